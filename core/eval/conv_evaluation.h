#pragma once
// torch side of evaluation.h, shared with the trainer. Core .cpp files and tests only.
#include "core/eval/evaluation.h"
#include "core/model/mimo_conv.h"

namespace mimo {

EvalReport evaluateConv(MimoConv& model, const Dataset& data, const EvalConfig& config, EvalProgress progress = {},
                        const std::atomic<bool>* cancel = nullptr);
// The same with `forward` as the options of every pass (replacement keys); n is set per N and the
// batch-norm mode from config.batchStatisticsBn.
EvalReport evaluateConv(MimoConv& model, const Dataset& data, const EvalConfig& config, const ConvForwardOptions& forward,
                        EvalProgress progress = {}, const std::atomic<bool>* cancel = nullptr);

// Normalised image batch [B, C, H, W] for the model's input spec from dataset items.
torch::Tensor imageBatch(const Dataset& data, const std::vector<std::size_t>& indices, const MimoConvConfig& config);

} // namespace mimo
