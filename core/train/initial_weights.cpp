#include "core/train/initial_weights.h"

#include "core/errors.h"
#include "core/model/model_file.h"

#include <torch/torch.h>

#include <map>

namespace mimo {
namespace {

// Same architecture, so the same names and shapes; assignTensors copies them in place.
template <class Model>
std::string copyWeights(Model& model, const Model& source, const ModelCard& card, const std::string& path)
{
    const std::string wanted = toJson(model->config());
    const std::string found = toJson(source->config());
    if (wanted != found)
        throw DataError(path, "its architecture (" + source->config().describe() + ") is not the one being trained (" +
                                  model->config().describe() + "); --init needs the same architecture");
    std::map<std::string, at::Tensor> tensors;
    for (const auto& item : source->named_parameters())
        tensors.emplace(item.key(), item.value());
    for (const auto& item : source->named_buffers())
        tensors.emplace(item.key(), item.value());
    assignTensors(*model, tensors, path, model->config().describe());
    return " Started from the weights of " + provenance(card, path) + ", not from a fresh initialisation.";
}

} // namespace

std::string startFromWeights(MimoConv& model, const std::string& path)
{
    const LoadedConvModel loaded = loadConvModel(path, "cpu");
    return copyWeights(model, loaded.model, loaded.card, path);
}

std::string startFromWeights(MimoFormer& model, const std::string& path)
{
    const LoadedFormerModel loaded = loadFormerModel(path, "cpu");
    return copyWeights(model, loaded.model, loaded.card, path);
}

} // namespace mimo
