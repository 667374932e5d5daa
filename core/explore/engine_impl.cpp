#include "core/explore/engine_impl.h"

#include "core/errors.h"
#include "core/model/torch_device.h"
#include "core/vsa/keys.h"

#include <torch/torch.h>

#include <algorithm>

namespace mimo {
namespace {

torch::Tensor scaledTo(torch::Tensor keys, const torch::Tensor& reference)
{
    // Drawn keys get the trained keys' mean length, so a comparison changes directions only.
    const auto target = reference.norm(2, 1).mean();
    return keys * (target / keys.norm(2, 1).clamp_min(1e-12)).unsqueeze(1);
}

torch::Tensor permutationIndex(const std::vector<int>& permutation, int64_t count)
{
    std::vector<int> sorted = permutation;
    std::sort(sorted.begin(), sorted.end());
    bool valid = int64_t(sorted.size()) == count;
    for (int64_t i = 0; valid && i < count; ++i)
        valid = sorted[size_t(i)] == i;
    if (!valid)
        throw Error("a key permutation must list each of 0.." + std::to_string(count - 1) + " exactly once");
    return torch::tensor(std::vector<int64_t>(permutation.begin(), permutation.end()), torch::kLong);
}

torch::Tensor valuesTensor(const KeyChoice& choice, int64_t rows, int64_t cols)
{
    const std::string source = choice.sourceName.empty() ? "key values" : choice.sourceName;
    if (choice.rows != rows || choice.cols != cols || int64_t(choice.values.size()) != rows * cols)
        throw DataError(source, "has " + std::to_string(choice.rows) + " key(s) of length " + std::to_string(choice.cols) +
                                    "; this model needs " + std::to_string(rows) + " of length " + std::to_string(cols));
    return torch::tensor(choice.values, torch::kFloat).view({rows, cols});
}

// Replacement keys [count, width] for one key set of the model, from its trained keys.
torch::Tensor replacementKeys(const KeyChoice& choice, const torch::Tensor& trained, uint64_t seedOffset)
{
    const int64_t count = trained.size(0), width = trained.size(1);
    switch (choice.kind) {
    case KeyChoice::Kind::Trained:
        return trained;
    case KeyChoice::Kind::Family:
        if (choice.family == KeyFamily::Orthogonal && count > width)
            throw Error("orthogonal keys need at most as many keys as their length (" + std::to_string(count) + " > " +
                        std::to_string(width) + ")");
        return scaledTo(vsa::makeKeys(choice.family, count, width, choice.seed + seedOffset), trained);
    case KeyChoice::Kind::Permutation:
        return trained.index_select(0, permutationIndex(choice.permutation, count));
    case KeyChoice::Kind::Values:
        return valuesTensor(choice, count, width);
    }
    return trained;
}

std::string inputMismatch(const PreparedInput& input, const ModelInfo& info)
{
    return input.name + ": not prepared for this model (it expects a " + info.inputDescription() +
           "); load the input again";
}

} // namespace

bool isHrrConv(const ModelInfo& info)
{
    return info.family == ModelFamily::Conv && info.conv.binding == ConvBinding::HRR && info.conv.capacity > 1;
}

bool isMimoFormer(const ModelInfo& info)
{
    return info.family == ModelFamily::Former && info.former.attention != FormerAttention::Performer;
}

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
    // Replacements are built from the trained keys, so the model returns to them first; if the
    // new choice does not fit, the previous one (which did) goes back before the error leaves.
    const KeyChoice previous = applied;
    try {
        setKeys(choice);
    } catch (...) {
        applied = KeyChoice{};
        try {
            setKeys(previous);
        } catch (...) { // cannot happen (it fitted before); the trained keys are then in place
            setKeys(KeyChoice{});
            applied = KeyChoice{};
        }
        throw;
    }
}

void ExplorerEngine::Impl::setKeys(const KeyChoice& choice)
{
    torch::NoGradGuard noGrad;
    if (model->conv) {
        if (choice.kind == KeyChoice::Kind::Trained) {
            model->conv->restoreTrainedKeys();
        } else {
            model->conv->restoreTrainedKeys();
            const auto trained = model->conv->keys().to(torch::kCPU).clone();
            model->conv->overrideKeys(replacementKeys(choice, trained, 0));
        }
    } else if (model->former && isMimoFormer(info())) {
        if (choice.kind == KeyChoice::Kind::Trained) {
            model->former->restoreTrainedKeys();
        } else {
            model->former->restoreTrainedKeys();
            const auto& config = info().former;
            const int64_t count = int64_t(config.gridM) * config.gridN;
            std::vector<torch::Tensor> attention, stream;
            const auto attentionKeys = model->former->attentionKeys();
            for (size_t l = 0; l < attentionKeys.size(); ++l) {
                const auto trained = attentionKeys[l].to(torch::kCPU).reshape({count, config.headDim}).clone();
                attention.push_back(replacementKeys(choice, trained, l).view({config.gridM, config.gridN, config.headDim}));
            }
            // A key file gives attention keys only; the residual stream keeps its trained keys.
            if (choice.kind != KeyChoice::Kind::Values) {
                const auto streamKeys = model->former->streamKeys();
                for (size_t l = 0; l < streamKeys.size(); ++l) {
                    const auto trained = streamKeys[l].to(torch::kCPU).reshape({count, config.dim}).clone();
                    stream.push_back(replacementKeys(choice, trained, 1000 + l).view({config.gridM, config.gridN, config.dim}));
                }
            }
            model->former->overrideKeys(attention, stream);
        }
    }
    applied = choice;
}

torch::Tensor ExplorerEngine::Impl::slotKeys(int n) const
{
    if (model->conv && isHrrConv(info()))
        return model->conv->effectiveKeys(n).to(torch::kCPU);
    if (model->former && isMimoFormer(info())) {
        const auto [m, nn] = info().former.gridFor(n);
        const auto keys = model->former->attentionKeys().front().to(torch::kCPU);
        return keys.slice(0, 0, m).slice(1, 0, nn).reshape({int64_t(m) * nn, info().former.headDim});
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
    const auto& spec = info().conv.input;
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
    const auto& config = info().former;
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

FormerForwardOutput ExplorerEngine::Impl::formerForward(const torch::Tensor& tokens, std::pair<int, int> grid, bool capture)
{
    auto& former = model->former;
    const auto& config = info().former;
    const bool mimo = config.superposed() > 1;
    struct Restore {
        MimoFormer& model;
        int m, n;
        ~Restore() { model->setGrid(m, n); }
    } restore{former, mimo ? config.gridM : 1, mimo ? config.gridN : 1};
    former->setGrid(grid.first, grid.second);
    return former->forward(tokens, capture);
}

} // namespace mimo
