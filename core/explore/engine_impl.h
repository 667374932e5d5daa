#pragma once
// Inside the explorer's engine: the loaded model and the keys its passes bind with, shared by
// the runs (explorer_engine.cpp) and the inspections (explorer_inspection.cpp). torch: core only.
#include "core/explore/explorer_engine.h"
#include "core/explore/key_application.h"
#include "core/model/model_file.h"

#include <optional>
#include <utility>

namespace mimo {


struct ExplorerEngine::Impl {
    std::optional<LoadedModel> model; // as trained: the keys go into each pass
    ModelSummary summary;
    KeyChoice applied;    // the keys every pass binds with
    KeyOverride replacement; // the same as tensors for the forward options

    const ModelInfo& info() const { return summary.info; }
    torch::Device device() const;
    void requireModel() const;
    void checkN(int n) const;
    // A model, an N it serves, one input per slot; then applies the request's keys.
    void checkRequest(const RunRequest& request);
    // Makes `choice` the keys of the following passes (no-op when it already is). Throws Error
    // (DataError naming a key file) for keys that do not fit; the keys in use then stay.
    void applyKeys(const KeyChoice& choice);
    // Options for a pass binding with the applied keys: MIMOConv with n inputs per superposition,
    // MIMOFormer on the m x n grid.
    ConvForwardOptions convOptions(int n, bool capture = false) const;
    FormerForwardOptions formerOptions(std::pair<int, int> grid, bool capture = false) const;
    // [count, width] keys binding the n slots under the applied keys; undefined when none.
    torch::Tensor slotKeys(int n) const;
    // The same after checking the model, N and applying `keys`.
    torch::Tensor slotKeysUnder(const KeyChoice& keys, int n);
    // The inputs as the model consumes them, on its device: normalised images [n, C, H, W] (and
    // what the model sees, in [0, 1], when `shown` is given) or tokens [n, L]. Throws Error
    // naming an input prepared for another model.
    torch::Tensor imageBatch(const std::vector<PreparedInput>& inputs, torch::Tensor* shown = nullptr) const;
    torch::Tensor tokenBatch(const std::vector<PreparedInput>& inputs) const;
    // A pass with the applied keys: MIMOConv with n inputs per superposition, MIMOFormer on the
    // m x n grid.
    ConvForwardOutput convForward(const torch::Tensor& images, int n, bool capture = false);
    FormerForwardOutput formerForward(const torch::Tensor& tokens, std::pair<int, int> grid, bool capture);
};

} // namespace mimo
