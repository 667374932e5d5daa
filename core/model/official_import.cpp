#include "core/model/official_import.h"

#include "core/data/listops_vocabulary.h"
#include "core/errors.h"
#include "core/model/model_file.h"
#include "core/model/official_pipelines.h"
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
        throw DataError(path, "the checkpoint has no tensors (expected 'model_state_dict' with MIMOConv or MIMOFormer "
                              "weights)");
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
    applyOfficialPipeline(config, "", inputSize, path);
    try {
        config.validate();
    } catch (const Error& error) {
        throw DataError(path, std::string("inferred architecture is invalid: ") + error.what());
    }
    return config;
}

bool holdsFormer(const TensorMap& tensors) { return tensors.count("model.embeddings.word_embeddings.weight") > 0; }

MimoFormerConfig inferFormerFrom(const TensorMap& tensors, const std::string& path)
{
    const auto need = [&](const std::string& name) -> const at::Tensor& {
        const auto it = tensors.find(name);
        if (it == tensors.end())
            throw DataError(path, "no '" + name + "' tensor: not a MIMOFormer/Performer checkpoint of the official code");
        return it->second;
    };
    if (tensors.count("model.transformer.norm1.weight"))
        throw DataError(path, "tied encoder weights (model.transformer.*) are not supported");
    MimoFormerConfig c;
    const auto& words = need("model.embeddings.word_embeddings.weight");
    c.vocabularySize = int(words.size(0));
    c.dim = int(words.size(1));
    c.maxLength = int(need("model.embeddings.position_embeddings.weight").size(0));
    c.layers = 0;
    while (tensors.count("model.transformer_" + std::to_string(c.layers) + ".norm1.weight"))
        ++c.layers;
    if (c.layers == 0)
        throw DataError(path, "no model.transformer_0: no encoder layers");
    const std::string first = "model.transformer_0.mha.";
    const int inner = int(need(first + "W_q.weight").size(0));
    const bool performer = tensors.count(first + "attn.attn_fn.projection_matrix") > 0;
    const auto& projection = need(first + (performer ? "attn.attn_fn.projection_matrix" : "attn.projection_matrix"));
    c.features = int(projection.size(0));
    c.headDim = int(projection.size(1));
    if (c.headDim < 1 || inner % c.headDim != 0)
        throw DataError(path, "W_q has " + std::to_string(inner) + " outputs, not a multiple of the head width " +
                                  std::to_string(c.headDim));
    c.heads = inner / c.headDim;
    c.ffDim = int(need("model.transformer_0.mlpblock.0.weight").size(0));
    if (performer) {
        c.attention = FormerAttention::Performer;
        c.gridM = c.gridN = 1;
    } else {
        const auto& bindings = need(first + "attn.bindings");
        if (bindings.dim() != 6)
            throw DataError(path, "the bindings buffer is not of shape (1, M, N, 1, 1, D_h)");
        c.gridM = int(bindings.size(1));
        c.gridN = int(bindings.size(2));
        c.attention = tensors.count(first + "attn.bindings_embedding") ? FormerAttention::MimoMlp : FormerAttention::Mimo;
    }
    const auto& head = need("seq_classifer.mlpblock.0.weight");
    c.dualHead = head.size(1) == 4 * c.dim;
    c.numClasses = int(need("seq_classifer.mlpblock.2.weight").size(0));
    try {
        c.validate();
    } catch (const Error& error) {
        throw DataError(path, std::string("inferred architecture is invalid: ") + error.what());
    }
    return c;
}

ModelCard importedCard(const std::string& description, const std::string& checkpointPath,
                       const OfficialImportOptions& options)
{
    ModelCard card;
    card.name = options.name.empty() ? description + " (imported)" : options.name;
    card.dataset = "imported from an official MIMONets checkpoint: " + checkpointPath;
    card.classNames = options.classNames;
    card.trainingCommand = options.command;
    card.projectVersion = projectVersion();
    card.evaluation = "not measured by MIMO Explorer; run mimo eval";
    card.notes = "Weights imported unchanged from the official PyTorch code's checkpoint.";
    return card;
}

OfficialImportResult importFormer(TensorMap tensors, const std::string& checkpointPath, const std::string& outputPath,
                                  const OfficialImportOptions& options)
{
    if (!options.dataset.empty())
        throw Error("--dataset chooses a MIMOConv's image preprocessing; " + checkpointPath +
                    " holds a MIMOFormer (use --input-kind)");
    OfficialImportResult result;
    result.former = true;
    result.inferred = true;
    auto config = inferFormerFrom(tensors, checkpointPath);
    if (options.gridM > 0 || options.gridN > 0) {
        const int m = options.gridM > 0 ? options.gridM : config.gridM, n = options.gridN > 0 ? options.gridN : config.gridN;
        if (config.attention == FormerAttention::Performer || m > config.gridM || n > config.gridN)
            throw DataError(checkpointPath, "the checkpoint's keys hold a grid of at most " + std::to_string(config.gridM) +
                                                " x " + std::to_string(config.gridN) + "; cannot use " + std::to_string(m) +
                                                " x " + std::to_string(n));
        for (auto& [name, tensor] : tensors)
            if (name.size() > 9 && (name.find(".attn.bindings") != std::string::npos))
                tensor = tensor.narrow(1, 0, m).narrow(2, 0, n).contiguous();
        config.gridM = m;
        config.gridN = n;
    }
    config.inputKind = options.inputKind;
    config.imageHeight = config.imageWidth = options.imageSide;
    std::string vocabularyNote;
    if (!options.vocabularyFile.empty() && options.inputKind != "listops")
        throw Error("--vocabulary is for --input-kind listops (the ids of an official ListOps run)");
    if (options.inputKind == "listops") {
        if (config.vocabularySize < listops::kVocabularySize)
            throw DataError(checkpointPath, "the model has " + std::to_string(config.vocabularySize) +
                                                " word embeddings, fewer than the " +
                                                std::to_string(listops::kVocabularySize) + " ListOps needs");
        if (options.vocabularyFile.empty()) {
            result.notes.push_back(
                "ListOps ids come from the run's vocabulary, which the checkpoint does not hold; without --vocabulary "
                "FILE (token<TAB>id per line) they are assumed to be MIMO Explorer's: digits 0..9 -> 1..10, [MIN 11, "
                "[MAX 12, [MED 13, [SM 14, ] 15, padding 0");
        } else {
            // Row ourId of the table becomes the run's row for the same token, so datasets, the
            // explorer and mimo predict keep this program's ids.
            const auto theirs = listops::readRunVocabulary(options.vocabularyFile, config.vocabularySize);
            auto& words = tensors.at("model.embeddings.word_embeddings.weight");
            auto reordered = words.clone();
            for (int32_t ours = 1; ours < listops::kVocabularySize; ++ours)
                reordered[ours].copy_(words[theirs[std::size_t(ours)]]);
            words = reordered;
            vocabularyNote = " Word embeddings reordered from the run's vocabulary " + options.vocabularyFile +
                             " to MIMO Explorer's ListOps ids.";
            result.notes.push_back("word embeddings reordered from the run's vocabulary " + options.vocabularyFile +
                                   " to MIMO Explorer's ListOps ids");
        }
    }
    try {
        config.validate();
    } catch (const Error& error) {
        throw DataError(checkpointPath, error.what());
    }
    result.formerArchitecture = config;
    result.description = config.describe();
    result.tensorCount = int(tensors.size());
    MimoFormer model(config);
    // The stored random features and keys replace the freshly drawn ones: never redrawn.
    assignTensors(*model, tensors, checkpointPath, config.describe());
    ModelCard card = importedCard(result.description, checkpointPath, options);
    card.notes += vocabularyNote;
    if (card.classNames.empty())
        card.classNames = numberedClassNames(config.dualHead ? 2 : config.numClasses);
    model->eval();
    saveFormerModel(outputPath, model, card);
    return result;
}

} // namespace

MimoFormerConfig inferOfficialFormerArchitecture(const std::string& checkpointPath)
{
    return inferFormerFrom(readStateDict(checkpointPath), checkpointPath);
}

MimoConvConfig inferOfficialArchitecture(const std::string& checkpointPath, int inputSize)
{
    return inferFrom(readStateDict(checkpointPath), checkpointPath, inputSize);
}

OfficialImportResult importOfficialCheckpoint(const std::string& checkpointPath, const std::string& outputPath,
                                              const OfficialImportOptions& options)
{
    const TensorMap tensors = readStateDict(checkpointPath);
    if (holdsFormer(tensors))
        return importFormer(tensors, checkpointPath, outputPath, options);
    if (!options.vocabularyFile.empty())
        throw Error("--vocabulary is for MIMOFormer checkpoints read with --input-kind listops; " + checkpointPath +
                    " holds a MIMOConv");
    OfficialImportResult result;
    result.inferred = !options.architecture.has_value();
    result.architecture = options.architecture ? *options.architecture
                                               : inferFrom(tensors, checkpointPath, options.inputSize);
    const AppliedPipeline pipeline =
        applyOfficialPipeline(result.architecture, options.dataset, options.inputSize, checkpointPath);
    try {
        result.architecture.validate();
    } catch (const Error& error) {
        throw DataError(checkpointPath, std::string("the architecture is invalid: ") + error.what());
    }
    result.preprocessing = pipeline.description;
    if (!pipeline.note.empty())
        result.notes.push_back(pipeline.note);
    result.tensorCount = int(tensors.size());
    result.description = result.architecture.describe();
    MimoConv model(result.architecture);
    // Official checkpoints carry the same names; the HRR keys stay in channelConv's layout and
    // the model maps them to circular-convolution keys itself (docs/mimonets.md 2.2).
    assignTensors(model, tensors, checkpointPath, /*allowMissingAlpha=*/true);

    ModelCard card = importedCard(result.description, checkpointPath, options);
    card.dataset += "; test-time preprocessing: " + pipeline.description;
    if (card.classNames.empty())
        card.classNames = !pipeline.classNames.empty() ? pipeline.classNames
                                                       : numberedClassNames(result.architecture.numClasses);
    saveConvModel(outputPath, model, card);
    return result;
}

} // namespace mimo
