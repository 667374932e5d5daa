#include "core/model/model_file.h"

#include "core/errors.h"
#include "core/model/torch_archive.h"
#include "core/model/torch_device.h"
#include "core/model/weights_checksum.h"

#include <torch/serialize.h>
#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <new>
#include <set>
#include <type_traits>

namespace mimo {
namespace {

constexpr const char* kFormatTag = "mimo-explorer-model";
constexpr const char* kChecksumKey = "weights_sha256";

void writeAtomically(const std::string& path, const std::vector<char>& bytes)
{
    const std::string partial = path + ".partial";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        if (!out)
            throw DataError(path, "cannot write the model file (folder missing or not writable)");
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out) {
            std::remove(partial.c_str());
            throw DataError(path, "writing the model file failed (disk full?)");
        }
    }
    if (std::rename(partial.c_str(), path.c_str()) != 0) {
        std::remove(partial.c_str());
        throw DataError(path, "cannot replace the model file");
    }
}

std::string shapeText(at::IntArrayRef shape)
{
    std::string text = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

using Kind = PickleValue::Kind;
using Entries = std::map<std::string, PickleValuePtr>;

// Our own checked reader (torch_archive.h), never torch::pickle_load: LibTorch's reader
// recurses on nesting and trusts every offset and stride in the file.
Entries readDictionary(const std::string& path, TensorData data)
{
    const PickleValuePtr value = readTorchArchive(path, kMaxModelFileBytes, "model file", data);
    if (!value->is(Kind::Dict))
        throw DataError(path, "not a MIMO Explorer model file (the archive holds no dictionary)");
    Entries entries;
    for (const auto& [key, entry] : value->entries) {
        if (!key->is(Kind::Text))
            throw DataError(path, "not a MIMO Explorer model file (non-text keys)");
        entries[key->text] = entry;
    }
    return entries;
}

std::string stringField(const Entries& dict, const std::string& key, const std::string& path)
{
    const auto it = dict.find(key);
    if (it == dict.end() || !it->second->is(Kind::Text))
        throw DataError(path, "the model file has no '" + key + "' entry");
    return it->second->text;
}

} // namespace

void assignTensors(torch::nn::Module& module, const std::map<std::string, at::Tensor>& tensors,
                   const std::string& what, const std::string& architecture,
                   const std::function<bool(const std::string&)>& mayBeMissing)
{
    std::map<std::string, at::Tensor> expected;
    for (const auto& item : module.named_parameters())
        expected[item.key()] = item.value();
    for (const auto& item : module.named_buffers())
        expected[item.key()] = item.value();

    std::vector<std::string> missing, unexpected, mismatched;
    for (const auto& [name, target] : expected) {
        const auto it = tensors.find(name);
        if (it == tensors.end()) {
            if (!(mayBeMissing && mayBeMissing(name)))
                missing.push_back(name);
        } else if (it->second.sizes() != target.sizes()) {
            mismatched.push_back(name + " is " + shapeText(it->second.sizes()) + " in the file but the architecture needs " +
                                 shapeText(target.sizes()));
        }
    }
    for (const auto& [name, tensor] : tensors)
        if (!expected.count(name))
            unexpected.push_back(name);

    const auto list = [](const std::vector<std::string>& names) {
        std::string text;
        for (size_t i = 0; i < names.size() && i < 4; ++i)
            text += (i ? "; " : "") + names[i];
        if (names.size() > 4)
            text += "; and " + std::to_string(names.size() - 4) + " more";
        return text;
    };
    if (!mismatched.empty())
        throw DataError(what, "shape mismatch for " + std::to_string(mismatched.size()) + " tensor(s): " + list(mismatched));
    if (!missing.empty())
        throw DataError(what, std::to_string(missing.size()) + " tensor(s) of " + architecture +
                                  " are missing: " + list(missing) + " (another architecture?)");
    if (!unexpected.empty())
        throw DataError(what, std::to_string(unexpected.size()) + " tensor(s) do not belong to " + architecture + ": " +
                                  list(unexpected) + " (another architecture?)");

    torch::NoGradGuard noGrad;
    for (auto& [name, target] : expected) {
        const auto it = tensors.find(name);
        if (it != tensors.end())
            target.copy_(it->second.to(target.dtype()));
    }
}

void assignTensors(MimoConv& model, const std::map<std::string, at::Tensor>& tensors, const std::string& what,
                   bool allowMissingAlpha)
{
    const auto isAlpha = [allowMissingAlpha](const std::string& name) {
        return allowMissingAlpha && name.size() > 6 && name.compare(name.size() - 6, 6, ".alpha") == 0;
    };
    assignTensors(*model, tensors, what, model->config().describe(), isAlpha);
}

namespace {

void saveModule(const std::string& path, const torch::nn::Module& module, const std::string& configJson,
                const ModelCard& card)
{
    std::map<std::string, at::Tensor> tensors;
    for (const auto& item : module.named_parameters())
        tensors[item.key()] = item.value().detach().to(torch::kCPU);
    for (const auto& item : module.named_buffers())
        tensors[item.key()] = item.value().detach().to(torch::kCPU);
    c10::Dict<std::string, at::Tensor> state;
    for (const auto& [name, tensor] : tensors)
        state.insert(name, tensor);
    c10::impl::GenericDict root(c10::StringType::get(), c10::AnyType::get());
    root.insert("format", std::string(kFormatTag));
    root.insert("format_version", static_cast<int64_t>(kModelFormatVersion));
    root.insert("config", configJson);
    root.insert("card", toJson(card));
    root.insert("state_dict", state);
    root.insert(kChecksumKey, weightsChecksum(tensors));
    writeAtomically(path, torch::pickle_save(root));
}

} // namespace

void saveConvModel(const std::string& path, MimoConv& model, const ModelCard& card)
{
    saveModule(path, *model, toJson(model->config()), card);
}

void saveFormerModel(const std::string& path, MimoFormer& model, const ModelCard& card)
{
    saveModule(path, *model, toJson(model->config()), card);
}

namespace {

// Architecture and card from an already read file: loading parses the archive only once.
ModelInfo infoFromEntries(const Entries& dict, const std::string& path)
{
    if (stringField(dict, "format", path) != kFormatTag)
        throw DataError(path, "not a MIMO Explorer model file (format tag '" + stringField(dict, "format", path) + "')");
    const auto version = dict.find("format_version");
    if (version == dict.end() || !version->second->is(Kind::Int) || version->second->integer < 1)
        throw DataError(path, "the model file has no valid 'format_version' entry");
    if (version->second->integer > kModelFormatVersion)
        throw DataError(path, "written by a newer MIMO Explorer (model format version " +
                                  std::to_string(version->second->integer) + "; this version reads up to " +
                                  std::to_string(kModelFormatVersion) + ")");
    const std::string config = stringField(dict, "config", path);
    const std::string card = stringField(dict, "card", path);
    ModelInfo info;
    try {
        const auto architecture = nlohmann::json::parse(config).value("architecture", std::string());
        if (architecture == "mimoconv") {
            info.architecture = convConfigFromJson(config);
        } else if (architecture == "mimoformer") {
            info.architecture = formerConfigFromJson(config);
        } else {
            throw Error("unknown architecture '" + architecture + "' (this version reads mimoconv and mimoformer)");
        }
        info.card = modelCardFromJson(card);
    } catch (const nlohmann::json::exception& error) {
        throw DataError(path, std::string("the architecture is not valid JSON: ") + error.what());
    } catch (const Error& error) {
        // Config readers name the field, not the file ("model config input: ...").
        throw DataError(path, error.what());
    }
    return info;
}

std::map<std::string, at::Tensor> weightsFromEntries(const Entries& dict, const std::string& path)
{
    const auto state = dict.find("state_dict");
    if (state == dict.end() || !state->second->is(Kind::Dict))
        throw DataError(path, "the model file has no weights (state_dict)");
    std::map<std::string, at::Tensor> tensors;
    for (const auto& [key, value] : state->second->entries) {
        if (!key->is(Kind::Text) || !value->is(Kind::Tensor))
            throw DataError(path, "the weights table holds something that is not a named tensor");
        if (!tensors.emplace(key->text, value->tensor).second)
            throw DataError(path, "the weights table names '" + key->text + "' twice");
    }
    return tensors;
}

// Files of format version 2 and later carry a checksum of their weights; version 1 files
// predate it and rely on the CRC-32 of each record (zip_archive.h).
void verifyChecksum(const Entries& dict, const std::map<std::string, at::Tensor>& tensors, const std::string& path)
{
    const auto stored = dict.find(kChecksumKey);
    if (stored == dict.end()) {
        if (dict.at("format_version")->integer >= 2)
            throw DataError(path, "the model file has no weights checksum ('" + std::string(kChecksumKey) +
                                      "'), which format version 2 requires (damaged file?)");
        return;
    }
    if (!stored->second->is(Kind::Text))
        throw DataError(path, "the weights checksum is not text");
    if (weightsChecksum(tensors) != stored->second->text)
        throw DataError(path, "the weights do not match their checksum: the file is damaged (flipped bits or an "
                              "edited tensor); it is refused instead of predicting nonsense");
}

// The file's element types must be the module's: converting a storage of another type would
// hide a damaged or foreign file. Non-finite weights make every prediction NaN.
void checkWeightValues(torch::nn::Module& module, const std::map<std::string, at::Tensor>& tensors,
                       const std::string& path)
{
    std::map<std::string, at::Tensor> expected;
    for (const auto& item : module.named_parameters())
        expected[item.key()] = item.value();
    for (const auto& item : module.named_buffers())
        expected[item.key()] = item.value();
    for (const auto& [name, tensor] : tensors) {
        const auto it = expected.find(name);
        if (it == expected.end())
            continue; // assignTensors names it
        if (tensor.scalar_type() != it->second.scalar_type())
            throw DataError(path, "tensor " + name + " holds " + std::string(c10::toString(tensor.scalar_type())) +
                                      " values but the architecture needs " +
                                      std::string(c10::toString(it->second.scalar_type())));
        if (tensor.is_floating_point() && !at::isfinite(tensor).all().item<bool>())
            throw DataError(path, "tensor " + name + " holds NaN or infinite values (damaged file or a diverged "
                                      "training)");
    }
}

std::string familyName(ModelFamily family) { return family == ModelFamily::Conv ? "a MIMOConv" : "a MIMOFormer"; }

} // namespace

LoadedModel::LoadedModel(ModelInfo description, MimoConv conv) : info(std::move(description)), model_(std::move(conv))
{
    if (!info.isConv())
        throw Error("a MIMOConv model needs a MIMOConv's description, not " + info.describe());
}

LoadedModel::LoadedModel(ModelInfo description, MimoFormer former)
    : info(std::move(description)), model_(std::move(former))
{
    if (!info.isFormer())
        throw Error("a MIMOFormer model needs a MIMOFormer's description, not " + info.describe());
}

namespace {

// The model of family `Model` in `models` (const or not); throws Error naming the family held.
template <typename Model, typename Models>
auto& modelOf(Models& models, const ModelInfo& info)
{
    if (auto* model = std::get_if<Model>(&models))
        return *model;
    throw Error("this is a " + std::string(info.isConv() ? "MIMOConv" : "MIMOFormer") + " model (" + info.describe() +
                "), not a " + (std::is_same_v<Model, MimoConv> ? "MIMOConv" : "MIMOFormer"));
}

} // namespace

MimoConv& LoadedModel::conv() { return modelOf<MimoConv>(model_, info); }
const MimoConv& LoadedModel::conv() const { return modelOf<MimoConv>(model_, info); }
MimoFormer& LoadedModel::former() { return modelOf<MimoFormer>(model_, info); }
const MimoFormer& LoadedModel::former() const { return modelOf<MimoFormer>(model_, info); }

torch::nn::Module& LoadedModel::module()
{
    return isConv() ? static_cast<torch::nn::Module&>(*conv()) : static_cast<torch::nn::Module&>(*former());
}

ModelInfo readModelInfo(const std::string& path)
{
    return infoFromEntries(readDictionary(path, TensorData::LayoutOnly), path);
}

LoadedModel loadModel(const std::string& path, const std::string& device)
{
    const auto dict = readDictionary(path, TensorData::Read);
    ModelInfo info = infoFromEntries(dict, path);
    const std::string architecture = info.describe();
    const auto tensors = weightsFromEntries(dict, path);
    verifyChecksum(dict, tensors, path);
    try {
        auto loaded = [&]() -> LoadedModel {
            if (info.isConv()) {
                MimoConv conv(info.conv());
                checkWeightValues(*conv, tensors, path);
                assignTensors(conv, tensors, path);
                return LoadedModel(std::move(info), conv);
            }
            MimoFormer former(info.former());
            checkWeightValues(*former, tensors, path);
            assignTensors(*former, tensors, path, info.describe());
            return LoadedModel(std::move(info), former);
        }();
        loaded.module().to(torchDevice(device));
        loaded.module().eval();
        return loaded;
    } catch (const std::bad_alloc&) {
        throw DataError(path, "not enough memory to build this model (" + architecture + ")");
    } catch (const c10::Error& error) {
        throw DataError(path, "the model (" + architecture + ") could not be built or moved to " + device + ": " +
                                  libraryErrorText(error.what_without_backtrace()));
    }
}

LoadedConvModel loadConvModel(const std::string& path, const std::string& device)
{
    auto loaded = loadModel(path, device);
    if (!loaded.isConv())
        throw DataError(path, "holds " + familyName(loaded.family()) + " model (" + loaded.info.describe() +
                                  "), not a MIMOConv");
    return LoadedConvModel{loaded.conv(), std::move(loaded.info.card)};
}

LoadedFormerModel loadFormerModel(const std::string& path, const std::string& device)
{
    auto loaded = loadModel(path, device);
    if (!loaded.isFormer())
        throw DataError(path, "holds " + familyName(loaded.family()) + " model (" + loaded.info.describe() +
                                  "), not a MIMOFormer");
    return LoadedFormerModel{loaded.former(), std::move(loaded.info.card)};
}

} // namespace mimo
