#pragma once
// The evaluation loop both model families share: batches of a dataset run at every N in turn
// (interleaved), accuracy with Wilson intervals, per-class accuracy and device-synchronised
// throughput. torch header: core .cpp files only.
#include "core/eval/evaluation.h"

#include <torch/types.h>

#include <functional>

namespace mimo {

struct InterleavedModel {
    int numClasses = 0;
    torch::Device device{torch::kCPU};
    // Model inputs on the device for the dataset items `indices`.
    std::function<torch::Tensor(const std::vector<std::size_t>& indices)> inputs;
    // Logits [B, classes] for the batch computed N at a time.
    std::function<torch::Tensor(const torch::Tensor& inputs, int n)> logits;
};

// The caller has checked that every N in config.ns can be served. Items of a dataset that
// decodes on demand whose `inputs` throw a DataError are left out and listed in the report's
// `unreadable`; a batch that does not fill whole groups is completed with copies of its own
// first readable items (predictions discarded). Throws DataError when no item can be read.
EvalReport evaluateInterleaved(const Dataset& data, const EvalConfig& config, const InterleavedModel& model,
                               EvalProgress progress, const std::atomic<bool>* cancel);

} // namespace mimo
