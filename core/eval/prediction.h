#pragma once
// Predictions for a handful of inputs in superposition, beside the same inputs alone (N=1):
// what the explorer window shows per slot, and `mimo predict`. Plain data.
#include "core/data/image_preprocess.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mimo {

struct ClassScore {
    int index = 0;
    std::string name;
    double probability = 0.0;
};

struct SlotPrediction {
    std::string source;                   // file name or description of the input
    std::vector<ClassScore> superposed;   // top classes with the slot's inputs superposed at N
    std::vector<ClassScore> alone;        // the same input processed at N=1
    bool disagree = false;                // top-1 differs between the two
};

// The k most probable classes, most probable first (ties: the lower index first).
std::vector<ClassScore> topClasses(const std::vector<float>& probabilities, const std::vector<std::string>& names, int k);

struct PredictionRequest {
    std::string modelPath;
    std::vector<PreparedImage> images;    // image models: already in the model's input spec
    std::vector<std::vector<int32_t>> sequences; // sequence models: token ids, unpadded
    std::vector<std::string> sources;
    int n = 1;                            // must divide N_cap; images.size() must be a multiple of it
    int topK = 3;
    std::string device = "cpu";
};

// Throws mimo::Error for an N the model cannot serve, an image count that does not fill
// whole groups, or images of another shape than the model's input.
std::vector<SlotPrediction> predictImages(const PredictionRequest& request);
// Sequence models: each sequence is padded with 0 to the model's length (its mean pooling
// divides by the padded length, as in training). Throws mimo::Error naming the input for an
// empty sequence, one longer than the model reads, or a token id outside its vocabulary.
std::vector<SlotPrediction> predictSequences(const PredictionRequest& request);

} // namespace mimo
