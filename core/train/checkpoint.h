#pragma once
// Training checkpoints: model, optimizer, the global CPU generator and the trainer's own state
// (JSON, with a fingerprint of the configuration) in one file (checkpoint_file.h), written
// atomically and read back by our own checked reader: a damaged or hostile checkpoint is refused
// by name before anything of the training is changed. torch header: core .cpp files only.
#include "core/model/model_card.h"
#include "core/train/checkpoint_file.h"

#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace mimo {

// What writeTrainingCheckpoint writes: the trainer's JSON, the model's tensors, the optimizer's
// state and the generator's, the tensors sharing the model's and the optimizer's memory.
CheckpointContents trainingCheckpointContents(const torch::nn::Module& model, const torch::optim::Optimizer& optimizer,
                                              const nlohmann::json& trainer);

// `trainer` must hold a "fingerprint" string. The optimizer must be SGD or AdamW
// (optimizer_state.h). Throws DataError(path, ...) when the file cannot be written.
void writeTrainingCheckpoint(const std::string& path, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                             const nlohmann::json& trainer);

// Nothing when there is no checkpoint (not even a dangling link). Throws DataError(path, ...)
// when it is unreadable, damaged, of an earlier version, belongs to another configuration
// (fingerprint differs) or does not fit the model, optimizer or generator; all of that is checked
// before model, optimizer and generator are restored. Returns the trainer's JSON object.
std::optional<nlohmann::json> readTrainingCheckpoint(const std::string& path, torch::nn::Module& model,
                                                     torch::optim::Optimizer& optimizer, const std::string& fingerprint);

nlohmann::json curveToJson(const std::vector<EpochRecord>& curve);
std::vector<EpochRecord> curveFromJson(const nlohmann::json& curve);

} // namespace mimo
