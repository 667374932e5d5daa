#pragma once
// One self-describing file per model: every parameter and buffer by name, the architecture
// as JSON (its "architecture" field says mimoconv or mimoformer), the model card as JSON and a
// checksum of the weights, in the archive torch::pickle_save writes. Read back by our own
// checked readers (torch_archive.h, docs/file-safety.md). torch header: core .cpp and tests only.
#include "core/model/mimo_conv.h"
#include "core/model/mimo_former.h"
#include "core/model/model_card.h"
#include "core/model/model_info.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <variant>

namespace mimo {

// Version 2 adds the checksum of the weights (weights_checksum.h); version 1 files still load.
inline constexpr int kModelFormatVersion = 2;
// Larger than any model this program builds (a MIMOConv-28-10 file is about 150 MB); a larger
// file is refused before it is read.
inline constexpr uint64_t kMaxModelFileBytes = uint64_t(1) << 30;

struct LoadedConvModel {
    MimoConv model{nullptr};
    ModelCard card;
};

struct LoadedFormerModel {
    MimoFormer model{nullptr};
    ModelCard card;
};

// Either family, as the file says: its description and the one model of that family.
class LoadedModel {
public:
    // Throws mimo::Error when `info` describes the other family.
    LoadedModel(ModelInfo info, MimoConv conv);
    LoadedModel(ModelInfo info, MimoFormer former);

    ModelInfo info;

    ModelFamily family() const { return isConv() ? ModelFamily::Conv : ModelFamily::Former; }
    bool isConv() const { return std::holds_alternative<MimoConv>(model_); }
    bool isFormer() const { return std::holds_alternative<MimoFormer>(model_); }
    // The model of the file's family; throws mimo::Error for the other family.
    MimoConv& conv();
    const MimoConv& conv() const;
    MimoFormer& former();
    const MimoFormer& former() const;
    torch::nn::Module& module(); // whichever it is

private:
    std::variant<MimoConv, MimoFormer> model_;
};

// Written to a side file and renamed, so a failed save never leaves half a model.
void saveConvModel(const std::string& path, MimoConv& model, const ModelCard& card);
void saveFormerModel(const std::string& path, MimoFormer& model, const ModelCard& card);

// Throw DataError(path, ...) naming what is wrong: not a model file, unknown format, another
// family than asked for, architecture JSON invalid, a missing/unexpected tensor, a shape or
// element type mismatch, a tensor outside its storage, weights that fail their checksum.
LoadedModel loadModel(const std::string& path, const std::string& device = "cpu");
LoadedConvModel loadConvModel(const std::string& path, const std::string& device = "cpu");
LoadedFormerModel loadFormerModel(const std::string& path, const std::string& device = "cpu");

// Copies tensors by name into a module, checking names and shapes; `what` names the source
// and `architecture` the module in errors. Used by loading and by the official-checkpoint
// imports; names for which `mayBeMissing` returns true keep the module's values.
void assignTensors(torch::nn::Module& module, const std::map<std::string, at::Tensor>& tensors,
                   const std::string& what, const std::string& architecture,
                   const std::function<bool(const std::string&)>& mayBeMissing = {});
void assignTensors(MimoConv& model, const std::map<std::string, at::Tensor>& tensors, const std::string& what,
                   bool allowMissingAlpha = false);

} // namespace mimo
