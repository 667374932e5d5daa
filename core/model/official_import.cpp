#include "core/model/official_import.h"

#include "core/data/cifar.h"
#include "core/errors.h"
#include "core/model/model_file.h"
#include "core/model/torch_save_reader.h"
#include "core/runtime.h"

#include <torch/torch.h>

namespace mimo {
namespace {

using TensorMap = std::map<std::string, at::Tensor>;

TensorMap readStateDict(const std::string& path)
{
    const TensorMap all = readTorchSaveTensors(path);
    // {'model_state_dict': ...} as the official training script saves it, or a bare state_dict.
    TensorMap tensors;
    const std::string nested = "model_state_dict/";
    for (const auto& [name, tensor] : all)
        if (name.rfind(nested, 0) == 0)
            tensors[name.substr(nested.size())] = tensor;
    if (tensors.empty())
        for (const auto& [name, tensor] : all)
            if (name.find('/') == std::string::npos)
                tensors[name] = tensor;
    TensorMap stripped;
    for (const auto& [name, tensor] : tensors)
        stripped[name.rfind("module.", 0) == 0 ? name.substr(7) : name] = tensor; // DataParallel prefix
    if (stripped.empty())
        throw DataError(path, "the checkpoint has no tensors (expected 'model_state_dict' with MIMOConv weights)");
    return stripped;
}

const at::Tensor& need(const TensorMap& tensors, const std::string& name, const std::string& path)
{
    const auto it = tensors.find(name);
    if (it == tensors.end())
        throw DataError(path, "no '" + name + "' tensor: not a MIMOConv/WideResNet checkpoint of the official code");
    return it->second;
}

MimoConvConfig inferFrom(const TensorMap& tensors, const std::string& path, int inputSize)
{
    MimoConvConfig config;
    const auto& stem = need(tensors, "conv1.weight", path);
    if (stem.dim() != 4)
        throw DataError(path, "conv1.weight is not a convolution kernel");
    config.stemWidth = int(stem.size(0));
    config.input.channels = int(stem.size(1));
    int blocks = 0;
    while (tensors.count("layer1." + std::to_string(blocks) + ".conv1.weight"))
        ++blocks;
    if (blocks == 0)
        throw DataError(path, "no layer1.0.conv1.weight: not a WideResNet body");
    config.depth = 6 * blocks + 4;
    const auto& first = need(tensors, "layer1.0.conv1.weight", path);
    if (first.size(0) % 16 != 0)
        throw DataError(path, "layer1 width " + std::to_string(first.size(0)) + " is not a multiple of 16");
    config.widthFactor = int(first.size(0) / 16);
    if (tensors.count("channelConv.weight")) {
        config.binding = ConvBinding::HRR;
        config.capacity = int(tensors.at("channelConv.weight").size(0));
    } else if (tensors.count("channelLinear.weight")) {
        config.binding = ConvBinding::MBAT;
        config.capacity = int(tensors.at("channelLinear.weight").size(0) / config.stemWidth);
    } else {
        config.binding = ConvBinding::None;
        config.capacity = 1;
    }
    config.activation = tensors.count("layer1.0.relu1.weight") ? ConvActivation::PReLU : ConvActivation::ReLU;
    config.numClasses = int(need(tensors, "fc.weight", path).size(0));
    config.input.height = config.input.width = inputSize;
    if (config.input.channels == 3) {
        const bool cifar100 = config.numClasses == 100;
        config.input.mean = cifar100 ? std::vector<float>{0.5071f, 0.4867f, 0.4408f}
                                     : std::vector<float>{0.4914f, 0.4822f, 0.4465f};
        config.input.stddev = cifar100 ? std::vector<float>{0.2675f, 0.2565f, 0.2761f}
                                       : std::vector<float>{0.2470f, 0.2435f, 0.2616f};
        config.input.aspect = AspectMode::CenterCrop;
    } else {
        config.input.mean = {0.5f};
        config.input.stddev = {0.5f};
    }
    try {
        config.validate();
    } catch (const Error& error) {
        throw DataError(path, std::string("inferred architecture is invalid: ") + error.what());
    }
    return config;
}

} // namespace

MimoConvConfig inferOfficialArchitecture(const std::string& checkpointPath, int inputSize)
{
    return inferFrom(readStateDict(checkpointPath), checkpointPath, inputSize);
}

OfficialImportResult importOfficialCheckpoint(const std::string& checkpointPath, const std::string& outputPath,
                                              const OfficialImportOptions& options)
{
    const TensorMap tensors = readStateDict(checkpointPath);
    OfficialImportResult result;
    result.inferred = !options.architecture.has_value();
    result.architecture = options.architecture ? *options.architecture
                                               : inferFrom(tensors, checkpointPath, options.inputSize);
    result.tensorCount = int(tensors.size());
    MimoConv model(result.architecture);
    // Official checkpoints carry the same names; the HRR keys stay in channelConv's layout and
    // the model maps them to circular-convolution keys itself (spec 2.2).
    assignTensors(model, tensors, checkpointPath, /*allowMissingAlpha=*/true);

    ModelCard card;
    card.name = options.name.empty() ? result.architecture.describe() + " (imported)" : options.name;
    card.dataset = "imported from an official MIMONets checkpoint: " + checkpointPath;
    if (!options.classNames.empty())
        card.classNames = options.classNames;
    else if (result.architecture.numClasses == 10 && result.architecture.input.channels == 3)
        card.classNames = cifar10DefaultClassNames();
    else
        for (int c = 0; c < result.architecture.numClasses; ++c)
            card.classNames.push_back("class_" + std::to_string(c));
    card.trainingCommand = options.command;
    card.projectVersion = projectVersion();
    card.evaluation = "not measured by MIMO Explorer; run mimo eval";
    card.notes = "Weights imported unchanged from the official PyTorch code's checkpoint.";
    saveConvModel(outputPath, model, card);
    return result;
}

} // namespace mimo
