#pragma once
// Architecture of a Performer / MIMOFormer encoder (docs/mimonets.md 3.1-3.4) as plain data.
#include "core/model/model_limits.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mimo {

// Bounds checked before any module is built (docs/file-safety.md), well above the LRA
// configurations (d=512, d_ff=2048, up to 48 heads, 6 layers, L=2000), so that a damaged or hostile
// config cannot ask for minutes of building or gigabytes of weights (model_limits.h bounds
// the total).
inline constexpr int kMaxFormerVocabulary = 1'000'000;
inline constexpr int kMaxFormerLength = 65536;
inline constexpr int kMaxFormerDim = 4096;
inline constexpr int kMaxFormerFfDim = 16384;
inline constexpr int kMaxFormerHeads = 64;
inline constexpr int kMaxFormerHeadDim = 1024;
inline constexpr int kMaxFormerLayers = 48;
inline constexpr int kMaxFormerFeatures = 8192;
inline constexpr int kMaxFormerGrid = 16;

enum class FormerAttention {
    Performer, // FAVOR+ with a ReLU kernel and fixed orthogonal random features (the baseline)
    Mimo,      // MIMOFormer "att.": attention computed in superposition on an M x N key grid
    MimoMlp,   // MIMOFormer "att.+MLP": also the residual stream and the MLP in superposition
};

struct MimoFormerConfig {
    int vocabularySize = 16;   // token ids in [0, vocab); 0 is padding and masked
    int maxLength = 512;       // longest sequence; the position table is rounded up to a power of two
    int dim = 64;              // d
    int ffDim = 128;           // d_ff of the MLP and the head
    int heads = 2;             // H
    int headDim = 32;          // D_h
    int layers = 2;
    int numClasses = 10;
    int features = 256;        // R, random features of FAVOR+
    FormerAttention attention = FormerAttention::Mimo;
    int gridM = 2;             // M: key bundles (queries are summed over M)
    int gridN = 2;             // N: query bundles (keys and values are summed over N)
    double dropout = 0.1;
    bool dualHead = false;     // two-document tasks (LRA Retrieval)
    uint64_t bufferSeed = 1234; // draws the fixed keys and random features once, at construction
    // What the tokens mean, so a viewer can show and read inputs: "listops" (listops::vocabulary),
    // "text" (byte + 1, text_tsv.h), "pixels" (row-major gray values of an image of
    // imageHeight x imageWidth) or "tokens" (opaque ids).
    std::string inputKind = "tokens";
    int imageHeight = 0, imageWidth = 0;

    int positionRows() const;  // maxLength rounded up to a power of two
    int superposed() const { return attention == FormerAttention::Performer ? 1 : gridM * gridN; }
    // "N" as the rest of the application uses it: sequences computed in one superposition,
    // m * n for every grid m <= M, n <= N; ascending. The Performer baseline serves only 1.
    std::vector<int> supportedN() const;
    bool supportsN(int count) const;
    // The grid that serves `count` sequences: the squarest m x n with m <= M, n <= N (m >= n on
    // ties). Throws mimo::Error when no grid of this model holds exactly `count`.
    std::pair<int, int> gridFor(int count) const;
    // Weights and fixed buffers, counted from the config alone (before anything is built).
    int64_t parameterCount() const;
    void validate() const;     // throws mimo::Error naming the field (as the JSON names it)
    std::string describe() const;
};

std::string formerAttentionName(FormerAttention attention);
// "performer", "mimo-att" (or "mimo"), "mimo-att-mlp" (or "mimo-mlp"); throws mimo::Error.
FormerAttention formerAttentionFromName(const std::string& name);

// TASK-VARIANT: task listops-short, fmnist-seq (the CPU-sized bundles), lra-listops,
// lra-image, lra-text (docs/mimonets.md 3.8); variant performer, mimo (att.) or mimo-mlp (att.+MLP).
// Our CPU-sized MIMO variants use M = N = 2; LRA's "mimo" uses the official M = N = 4.
// Throws mimo::Error listing the known names.
MimoFormerConfig formerPreset(const std::string& name);
std::vector<std::string> formerPresetNames();

std::string toJson(const MimoFormerConfig& config);
MimoFormerConfig formerConfigFromJson(const std::string& json);

} // namespace mimo
