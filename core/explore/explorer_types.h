#pragma once
// What the explorer window exchanges with core: plain data only (no torch, no Qt), so the
// GUI's worker can pass it across threads and the window can draw it.
#include "core/data/image_preprocess.h"
#include "core/eval/prediction.h"
#include "core/model/model_info.h"
#include "core/vsa/key_family.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mimo {

// A small dense tensor copied out of a model for drawing: row-major values of `shape`.
struct TensorView {
    std::string name;           // e.g. "stem", "bound", "layer0.bundled_queries"
    std::string caption;        // one line for people: what the axes are
    std::vector<int64_t> shape;
    std::vector<float> values;
    // What the rows and columns of a rank-2 view are, one name each (e.g. "slot 1" and the
    // class names of a slot-by-class matrix); empty when they are plain indices.
    std::vector<std::string> rowLabels, columnLabels;

    int64_t numel() const;
    bool empty() const { return values.empty(); }
};

// The model the explorer has loaded, as the window shows it.
struct ModelSummary {
    std::string path;
    ModelInfo info;
    std::string device;          // "cpu" or "cuda"
    bool keysAdjustable = false; // HRR MIMOConv and MIMOFormer: keys can be replaced for exploring
    std::string keyDescription;  // what the keys are, or why they cannot be changed
    int keyCount = 0;            // keys a replacement must provide (N_cap, or M*N)
    int keyDimension = 0;        // their length (D, or D_h)
};

// Where an input comes from. The explorer prepares it for the loaded model (core does the
// decoding and resizing) before it enters a slot, so a bad input never replaces a good one.
struct InputSource {
    enum class Origin {
        File,          // an image, or for sequence models a text file or an image read as pixels
        EncodedBytes,  // a pasted or embedded encoded image (PNG, JPEG, ...)
        Pixels,        // raw 8-bit pixels (a pasted image): gray, RGB or RGBA rows
        Text,          // a typed sequence (a ListOps expression, text, token ids)
        DatasetSample, // item `index` of dataset `dataset` (dataset_spec.h)
    };
    Origin origin = Origin::File;
    std::string path;              // File
    std::vector<uint8_t> bytes;    // EncodedBytes, Pixels
    int width = 0, height = 0, channels = 0; // Pixels
    std::string text;              // Text
    std::string dataset;           // DatasetSample
    int64_t index = 0;             // DatasetSample
    std::string name;              // shown to people; derived from the origin when empty

    std::string displayName() const;
};

// An input in the form the loaded model consumes, with what to show for it.
struct PreparedInput {
    std::string name;                 // source name for slot captions and messages
    bool isImage = false;
    PreparedImage image;              // image models: display (what the model sees) + normalised
    std::vector<int32_t> tokens;      // sequence models: ids, unpadded
    std::string text;                 // sequence models: the tokens read back (expression, text)
    TensorView pixels;                // pixel-sequence models: the sequence as the image it is [H, W]
    int64_t label = -1;               // true class when known (dataset sample, class folder)
    std::vector<std::string> steps;   // preprocessing steps, one line each
};

// The binding keys to compute with. Changing them never touches the model file.
struct KeyChoice {
    enum class Kind {
        Trained,     // the keys stored in the model
        Family,      // drawn from `family` with `seed` (the same on every platform)
        Permutation, // the trained keys, key i replaced by trained key permutation[i]
        Values,      // given values, `rows` x `cols` (e.g. from a key file)
    };
    Kind kind = Kind::Trained;
    KeyFamily family = KeyFamily::Bipolar;
    uint64_t seed = 1;
    std::vector<int> permutation;
    int rows = 0, cols = 0;
    std::vector<float> values;
    std::string sourceName;           // the key file, for Values

    std::string describe() const;     // one line: "trained keys", "bipolar keys, seed 3", ...
    bool operator==(const KeyChoice& other) const;
    bool operator!=(const KeyChoice& other) const { return !(*this == other); }
};

// One step of the guided tour: bind, superpose, process, unbind, classify.
struct TourStep {
    std::string id;                   // "bind", "superpose", "process", "unbind", "classify"
    std::string title;
    std::string explanation;          // a short paragraph, with this model's numbers in it
    std::vector<TensorView> tensors;  // the tensors of the current inputs at this step
};

struct RunRequest {
    int n = 1;                        // inputs per superposition; inputs.size() must equal it
    KeyChoice keys;
    std::vector<PreparedInput> inputs;
    int topK = 3;
    bool withTour = false;            // also capture the tour's tensors
};

struct RunResult {
    int n = 1;
    std::string grid;                 // "N_cap=4" or "2 x 2 grid"
    std::string device;
    std::string keys;                 // KeyChoice::describe() of the keys used
    std::vector<SlotPrediction> predictions; // per slot ("slots" is a Qt macro)
    std::vector<int64_t> labels;      // per slot, -1 when unknown
    std::vector<std::vector<float>> superposedProbabilities; // per slot, every class
    std::vector<std::vector<float>> aloneProbabilities;
    TensorView keySimilarity;         // [n, n] cosine of the keys binding the n slots
    std::vector<TourStep> tour;       // when asked for
    double milliseconds = 0.0;        // the whole run: superposed, alone and tour passes
};

} // namespace mimo
