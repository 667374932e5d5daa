#include "core/explore/engine_impl.h"

#include "core/explore/key_application.h"

#include "core/errors.h"
#include "core/model/torch_device.h"
#include "core/vsa/keys.h"

#include <torch/torch.h>

#include <algorithm>

namespace mimo {
namespace {

std::string inputMismatch(const PreparedInput& input, const ModelInfo& info)
{
    return input.name + ": not prepared for this model (it expects a " + info.inputDescription() +
           "); load the input again";
}

} // namespace

torch::Device ExplorerEngine::Impl::device() const { return torchDevice(summary.device); }

void ExplorerEngine::Impl::requireModel() const
{
    if (!model)
        throw Error("no model is loaded");
}

void ExplorerEngine::Impl::checkN(int n) const
{
    if (!info().supportsN(n)) {
        std::string served;
        for (int value : info().supportedN())
            served += (served.empty() ? "" : ", ") + std::to_string(value);
        throw Error(summary.path + ": N=" + std::to_string(n) + " is not served by this model (it serves N = " +
                    served + ")");
    }
}

void ExplorerEngine::Impl::applyKeys(const KeyChoice& choice)
{
    requireModel();
    if (choice == applied)
        return;
    if (choice.kind != KeyChoice::Kind::Trained && !summary.keysAdjustable)
        throw Error(summary.keyDescription);
    replacement = keyOverride(*model, choice); // throws before anything changes
    applied = choice;
}

ConvForwardOptions ExplorerEngine::Impl::convOptions(int n, bool capture) const
{
    ConvForwardOptions options;
    options.n = n;
    options.captureIntermediates = capture;
    replacement.applyTo(options);
    return options;
}

void ExplorerEngine::Impl::checkRequest(const RunRequest& request)
{
    requireModel();
    checkN(request.n);
    if (int(request.inputs.size()) != request.n)
        throw Error(std::to_string(request.inputs.size()) + " input(s) given for N=" + std::to_string(request.n) +
                    ": fill every slot");
    applyKeys(request.keys);
}

FormerForwardOptions ExplorerEngine::Impl::formerOptions(std::pair<int, int> grid, bool capture) const
{
    FormerForwardOptions options;
    options.grid = grid;
    options.captureIntermediates = capture;
    replacement.applyTo(options);
    return options;
}

torch::Tensor ExplorerEngine::Impl::slotKeys(int n) const
{
    if (model->isConv() && isHrrConv(info()))
        return model->conv()->effectiveKeys(n, replacement.conv).to(torch::kCPU);
    if (model->isFormer() && isMimoFormer(info())) {
        const auto [m, nn] = info().former().gridFor(n);
        const auto layer0 = replacement.attention.empty() ? model->former()->attentionKeys().front()
                                                      : replacement.attention.front();
        return layer0.to(torch::kCPU).slice(0, 0, m).slice(1, 0, nn).reshape({int64_t(m) * nn, info().former().headDim});
    }
    return {};
}

torch::Tensor ExplorerEngine::Impl::slotKeysUnder(const KeyChoice& keys, int n)
{
    requireModel();
    checkN(n);
    applyKeys(keys);
    return slotKeys(n);
}

torch::Tensor ExplorerEngine::Impl::imageBatch(const std::vector<PreparedInput>& inputs, torch::Tensor* shown) const
{
    const auto& spec = info().conv().input;
    std::vector<torch::Tensor> images, display;
    for (const auto& input : inputs) {
        const auto& image = input.image;
        if (!input.isImage || image.channels != spec.channels || image.height != spec.height || image.width != spec.width)
            throw Error(inputMismatch(input, info()));
        images.push_back(torch::tensor(image.normalized, torch::kFloat).view({spec.channels, spec.height, spec.width}));
        if (shown)
            display.push_back(torch::tensor(image.display, torch::kFloat).view({spec.channels, spec.height, spec.width}));
    }
    if (shown)
        *shown = torch::stack(display);
    return torch::stack(images).to(device());
}

torch::Tensor ExplorerEngine::Impl::tokenBatch(const std::vector<PreparedInput>& inputs) const
{
    const auto& config = info().former();
    auto tokens = torch::zeros({int64_t(inputs.size()), int64_t(config.maxLength)}, torch::kLong);
    for (size_t i = 0; i < inputs.size(); ++i) {
        const auto& input = inputs[i];
        if (input.isImage || input.tokens.empty() || int64_t(input.tokens.size()) > config.maxLength)
            throw Error(inputMismatch(input, info()));
        for (size_t t = 0; t < input.tokens.size(); ++t) {
            const int32_t id = input.tokens[t];
            if (id < 0 || id >= config.vocabularySize)
                throw Error(input.name + ": token id " + std::to_string(id) + " is outside this model's vocabulary");
            tokens[int64_t(i)][int64_t(t)] = int64_t(id);
        }
    }
    return tokens.to(device());
}

ConvForwardOutput ExplorerEngine::Impl::convForward(const torch::Tensor& images, int n, bool capture)
{
    return model->conv()->forward(images, convOptions(n, capture));
}

FormerForwardOutput ExplorerEngine::Impl::formerForward(const torch::Tensor& tokens, std::pair<int, int> grid, bool capture)
{
    return model->former()->forward(tokens, formerOptions(grid, capture));
}

} // namespace mimo
