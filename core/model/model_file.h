#pragma once
// One self-describing file per model: every parameter and buffer by name, the architecture
// as JSON and the model card as JSON, in a LibTorch archive. torch header: core .cpp and
// tests only.
#include "core/model/mimo_conv.h"
#include "core/model/model_card.h"
#include "core/model/model_file_info.h"

#include <string>

namespace mimo {

inline constexpr int kModelFormatVersion = 1;

struct LoadedConvModel {
    MimoConv model{nullptr};
    ModelCard card;
};

// Written to a side file and renamed, so a failed save never leaves half a model.
void saveConvModel(const std::string& path, MimoConv& model, const ModelCard& card);
// Throws DataError(path, ...) naming what is wrong: not a model file, unknown format,
// architecture JSON invalid, a missing/unexpected tensor, or a shape mismatch.
LoadedConvModel loadConvModel(const std::string& path, const std::string& device = "cpu");

// Copies tensors by name into the model, checking names and shapes; `what` names the source
// in errors. Used by loading and by the official-checkpoint import.
void assignTensors(MimoConv& model, const std::map<std::string, at::Tensor>& tensors, const std::string& what,
                   bool allowMissingAlpha = false);

} // namespace mimo
