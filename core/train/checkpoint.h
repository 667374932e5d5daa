#pragma once
// Training checkpoints: model, optimizer, the global CPU generator and the trainer's own state
// (JSON, with a fingerprint of the configuration) in one LibTorch archive, written to a side
// file and renamed. torch header: core .cpp files only.
#include "core/model/model_card.h"

#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace mimo {

// `trainer` must hold a "fingerprint" string.
void writeTrainingCheckpoint(const std::string& path, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                             const nlohmann::json& trainer);

// Nothing when there is no checkpoint. Throws DataError(path, ...) when it is unreadable or
// belongs to another configuration (fingerprint differs); restores model, optimizer and RNG.
std::optional<nlohmann::json> readTrainingCheckpoint(const std::string& path, torch::nn::Module& model,
                                                     torch::optim::Optimizer& optimizer, const std::string& fingerprint);

nlohmann::json curveToJson(const std::vector<EpochRecord>& curve);
std::vector<EpochRecord> curveFromJson(const nlohmann::json& curve);

} // namespace mimo
