#include "core/eval/former_evaluation.h"

#include "core/data/tensors.h"
#include "core/errors.h"
#include "core/eval/interleaved_evaluation.h"
#include "core/model/autocast_scope.h"
#include "core/model/torch_device.h"

#include <torch/torch.h>

namespace mimo {

void checkSequenceData(const Dataset& data, const MimoFormerConfig& config)
{
    if (data.modality() != Modality::Sequence)
        throw Error(data.name() + " holds images; " + config.describe() +
                    " reads sequences (use pixels:SPEC to read images as pixel sequences)");
    if (config.dualHead)
        throw Error(config.describe() + " compares two documents; " + data.name() + " holds single sequences");
    const auto shape = data.sampleShape();
    if (shape.size() != 1 || shape[0] < 1)
        throw Error(data.name() + " does not hold sequences of one fixed length");
    if (shape[0] > config.maxLength)
        throw Error(data.name() + " has sequences of " + std::to_string(shape[0]) + " tokens but " + config.describe() +
                    " reads at most " + std::to_string(config.maxLength) + " (pass a shorter --length)");
    if (data.vocabularySize() > config.vocabularySize)
        throw Error(data.name() + " uses token ids up to " + std::to_string(data.vocabularySize() - 1) + " but " +
                    config.describe() + " knows only " + std::to_string(config.vocabularySize));
    if (static_cast<int>(data.classNames().size()) != config.numClasses)
        throw Error(data.name() + " has " + std::to_string(data.classNames().size()) + " classes but the model has " +
                    std::to_string(config.numClasses));
}

torch::Tensor tokenBatch(const Dataset& data, const std::vector<std::size_t>& indices)
{
    return makeBatch(data, indices).inputs;
}

EvalReport evaluateFormer(MimoFormer& model, const Dataset& data, const EvalConfig& config, EvalProgress progress,
                          const std::atomic<bool>* cancel)
{
    return evaluateFormer(model, data, config, FormerForwardOptions{}, std::move(progress), cancel);
}

EvalReport evaluateFormer(MimoFormer& model, const Dataset& data, const EvalConfig& config,
                          const FormerForwardOptions& forward, EvalProgress progress, const std::atomic<bool>* cancel)
{
    const auto& arch = model->config();
    checkSequenceData(data, arch);
    for (int n : config.ns)
        arch.gridFor(n); // throws for an N the model cannot serve
    checkPrecisionOn(config.precision, config.device);
    InterleavedModel interleaved;
    interleaved.numClasses = arch.numClasses;
    interleaved.device = torchDevice(config.device);
    model->to(interleaved.device);
    model->eval();
    interleaved.inputs = [&](const std::vector<std::size_t>& indices) {
        return tokenBatch(data, indices).to(interleaved.device);
    };
    interleaved.logits = [&](const torch::Tensor& tokens, int n) {
        FormerForwardOptions pass = forward;
        pass.grid = arch.gridFor(n);
        const AutocastScope autocast(config.precision, interleaved.device);
        return model->forward(tokens, pass).logits.to(torch::kFloat);
    };
    return evaluateInterleaved(data, config, interleaved, std::move(progress), cancel);
}

} // namespace mimo
