#include "core/model/model_file.h"

#include "core/data/binary_file.h"
#include "core/errors.h"
#include "core/model/torch_device.h"

#include <torch/serialize.h>
#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <set>
#include <type_traits>

namespace mimo {
namespace {

constexpr const char* kFormatTag = "mimo-explorer-model";

std::vector<char> readWholeFile(const std::string& path)
{
    refuseSpecialFile(path);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw DataError(path, "cannot open the model file (missing or unreadable)");
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.empty())
        throw DataError(path, "the model file is empty");
    return bytes;
}

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

using Entries = std::map<std::string, c10::IValue>;

Entries readDictionary(const std::string& path)
{
    const auto bytes = readWholeFile(path);
    c10::IValue value;
    try {
        value = torch::pickle_load(bytes);
    } catch (const c10::Error& error) {
        throw DataError(path, "not a readable model file (truncated or not a torch archive): " +
                                  std::string(error.what_without_backtrace()).substr(0, 200));
    }
    if (!value.isGenericDict())
        throw DataError(path, "not a MIMO Explorer model file (the archive holds no dictionary)");
    Entries entries;
    for (const auto& entry : value.toGenericDict()) {
        if (!entry.key().isString())
            throw DataError(path, "not a MIMO Explorer model file (non-text keys)");
        entries[entry.key().toStringRef()] = entry.value();
    }
    return entries;
}

std::string stringField(const Entries& dict, const std::string& key, const std::string& path)
{
    if (!dict.count(key) || !dict.at(key).isString())
        throw DataError(path, "the model file has no '" + key + "' entry");
    return dict.at(key).toStringRef();
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
    c10::Dict<std::string, at::Tensor> state;
    for (const auto& item : module.named_parameters())
        state.insert(item.key(), item.value().detach().to(torch::kCPU));
    for (const auto& item : module.named_buffers())
        state.insert(item.key(), item.value().detach().to(torch::kCPU));
    c10::impl::GenericDict root(c10::StringType::get(), c10::AnyType::get());
    root.insert("format", std::string(kFormatTag));
    root.insert("format_version", static_cast<int64_t>(kModelFormatVersion));
    root.insert("config", configJson);
    root.insert("card", toJson(card));
    root.insert("state_dict", state);
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
    if (!dict.count("format_version") || !dict.at("format_version").isInt() ||
        dict.at("format_version").toInt() > kModelFormatVersion)
        throw DataError(path, "written by a newer MIMO Explorer (model format version not supported)");
    const std::string config = stringField(dict, "config", path);
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
        info.card = modelCardFromJson(stringField(dict, "card", path));
    } catch (const DataError&) {
        throw;
    } catch (const nlohmann::json::exception& error) {
        throw DataError(path, std::string("the architecture is not valid JSON: ") + error.what());
    } catch (const Error& error) {
        throw DataError(path, error.what());
    }
    return info;
}

std::map<std::string, at::Tensor> weightsFromEntries(const Entries& dict, const std::string& path)
{
    if (!dict.count("state_dict") || !dict.at("state_dict").isGenericDict())
        throw DataError(path, "the model file has no weights (state_dict)");
    std::map<std::string, at::Tensor> tensors;
    for (const auto& entry : dict.at("state_dict").toGenericDict()) {
        if (!entry.key().isString() || !entry.value().isTensor())
            throw DataError(path, "the weights table holds something that is not a named tensor");
        tensors[entry.key().toStringRef()] = entry.value().toTensor();
    }
    return tensors;
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
    return infoFromEntries(readDictionary(path), path);
}

LoadedModel loadModel(const std::string& path, const std::string& device)
{
    const auto dict = readDictionary(path);
    ModelInfo info = infoFromEntries(dict, path);
    try {
        auto loaded = [&]() -> LoadedModel {
            if (info.isConv()) {
                MimoConv conv(info.conv());
                assignTensors(conv, weightsFromEntries(dict, path), path);
                return LoadedModel(std::move(info), conv);
            }
            MimoFormer former(info.former());
            assignTensors(*former, weightsFromEntries(dict, path), path, info.describe());
            return LoadedModel(std::move(info), former);
        }();
        loaded.module().to(torchDevice(device));
        loaded.module().eval();
        return loaded;
    } catch (const c10::Error& error) {
        throw DataError(path, "the model could not be built or moved to " + device + ": " +
                                  std::string(error.what_without_backtrace()).substr(0, 200));
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
