#pragma once
// torch side of evaluation.h for sequence models, shared with the former trainer. Core .cpp
// files and tests only.
#include "core/eval/evaluation.h"
#include "core/model/mimo_former.h"

namespace mimo {

// Throws mimo::Error when the dataset cannot feed the model: not sequences, longer than the
// model's maximum length, token ids beyond its vocabulary, another number of classes.
void checkSequenceData(const Dataset& data, const MimoFormerConfig& config);

// Token batch [B, L] int64 of dataset items.
torch::Tensor tokenBatch(const Dataset& data, const std::vector<std::size_t>& indices);

// N counts sequences per superposition; each N runs on the grid config.gridFor(N).
EvalReport evaluateFormer(MimoFormer& model, const Dataset& data, const EvalConfig& config,
                          EvalProgress progress = {}, const std::atomic<bool>* cancel = nullptr);
// The same with `forward` as the options of every pass (replacement keys); the grid is set per N.
EvalReport evaluateFormer(MimoFormer& model, const Dataset& data, const EvalConfig& config,
                          const FormerForwardOptions& forward, EvalProgress progress = {},
                          const std::atomic<bool>* cancel = nullptr);

} // namespace mimo
