#pragma once
// What the "seeing inside" views draw, as plain data: activations in superposition beside the
// same inputs alone, interference after unbinding, attention maps. Computed by the explorer's
// engine for the inputs in the slots (explorer_engine.h).
#include "core/eval/former_interference.h"
#include "core/explore/explorer_types.h"

#include <string>
#include <vector>

namespace mimo {

// One layer of a MIMOConv for the current inputs (group of n).
struct LayerActivations {
    std::string layer;            // "superposed" (what the stages receive), "layer1".."layer3"
    TensorView superposed;        // [C, H, W]: the superposition of the n inputs
    TensorView alone;             // [n, C, H, W]: each input computed alone (N = 1), same layer
    TensorView individuallyBound; // [n, C, H, W]: the superposition's path with only slot i present
    TensorView difference;        // [C, H, W]: superposed - sum of the individually bound
    double relativeGap = 0.0;     // |difference| / |superposed|: 0 where the network is still linear
};

struct ActivationReport {
    int n = 1;
    // The binding step, for teaching: each input's stem output, its key, the bound result, the sum.
    TensorView stem;              // [n, D, H, W]
    TensorView keys;              // [n, D]
    TensorView bound;             // [n, D, H, W]
    TensorView superposition;     // [D, H, W]
    std::vector<LayerActivations> layers;
};

struct InterferenceSummary {
    int n = 1;
    // Per slot: cosine between the unbound feature in superposition and the same input's
    // feature alone (1 = no interference), and the total variation distance between the two
    // class distributions (0 = the same probabilities).
    std::vector<double> featureCosine;
    std::vector<double> probabilityChange;
    // Across layers: how far the computation in superposition is from what each input would
    // give alone (MIMOConv: |superposed - sum of individually bound| / |superposed|;
    // MIMOFormer: 1 - cosine of each layer's unbound attention output to the one alone).
    std::vector<std::string> layers;
    std::vector<double> layerGap;
    std::string layerGapMeaning;
    // influence[i][j]: total variation of slot i's class distribution when input j is replaced
    // by a neutral input. The diagonal should dominate.
    TensorView influence;         // [n, n]
    std::string neutralInput;
    // Input-level interference of the keys in use (HRR MIMOConv, docs/mimonets.md 1): random Gaussian
    // inputs of the model's D bound with the slot keys, summed and unbound.
    bool hasKeyInterference = false;
    int keyDimension = 0;
    std::vector<double> slotCosine;    // at the current N, per slot
    std::vector<double> slotSnrDb;
    std::vector<int> curveN;           // 1..16
    std::vector<double> theoryCosine;  // expected cosine for keys of `theoryFamily`, over curveN
    std::string theoryFamily;
    std::vector<int> measuredN;        // the N the model serves
    std::vector<double> measuredCosine; // mean cosine with the model's keys at those N
    // MIMOFormer: query-key score interference per layer and head against its bound.
    std::vector<InterferenceStats> scoreInterference;
};

// Where one sequence of a MIMOFormer superposition attends, beside where it attends alone.
// Rows are query positions, columns key positions, both over the sequence's real tokens only.
struct AttentionMaps {
    int slot = 0, layer = 0, head = 0;
    int length = 0;               // real tokens of the sequence (rows and columns shown)
    TensorView superposed;        // [length, length]
    TensorView alone;             // [length, length]
    TensorView difference;        // superposed - alone
    double meanTotalVariation = 0.0; // over rows: 0.5 * sum |superposed - alone|, padding keys included
    // FAVOR+ gives every padding key a little weight (phi(0) = 0.001 per feature): a row sums to
    // 1 over all key positions, to 1 minus this (the mean over rows) over the columns shown.
    double paddingShareSuperposed = 0.0;
    double paddingShareAlone = 0.0;
    std::vector<std::string> tokens; // a label per real token ("[MAX", "7", "a", "3,11")
    // Pixel sequences: token t is the pixel (t / imageWidth, t % imageWidth); 0 for others.
    int imageHeight = 0, imageWidth = 0;
    std::vector<float> pixels;    // the image the sequence reads, [imageHeight * imageWidth] in [0, 1]
};

} // namespace mimo
