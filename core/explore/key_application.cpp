#include "core/explore/key_application.h"

#include "core/errors.h"
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

} // namespace

bool isHrrConv(const ModelInfo& info)
{
    return info.isConv() && info.conv().binding == ConvBinding::HRR && info.conv().capacity > 1;
}

bool isMimoFormer(const ModelInfo& info)
{
    return info.isFormer() && info.former().attention != FormerAttention::Performer;
}

KeyOverride keyOverride(const LoadedModel& model, const KeyChoice& choice)
{
    if (choice.kind != KeyChoice::Kind::Trained && !isHrrConv(model.info) && !isMimoFormer(model.info))
        throw Error("this model's keys cannot be replaced (only HRR MIMOConv and MIMOFormer keys can)");
    KeyOverride keys;
    if (choice.kind == KeyChoice::Kind::Trained)
        return keys;
    torch::NoGradGuard noGrad;
    if (model.isConv()) {
        const auto& conv = model.conv();
        const auto trained = conv->keys().to(torch::kCPU).clone();
        keys.conv = replacementKeys(choice, trained, 0);
        conv->checkKeys(keys.conv);
        return keys;
    }
    const auto& former = model.former();
    const auto& config = model.info.former();
    const int64_t count = int64_t(config.gridM) * config.gridN;
    const auto attentionKeys = former->attentionKeys();
    for (size_t l = 0; l < attentionKeys.size(); ++l) {
        const auto trained = attentionKeys[l].to(torch::kCPU).reshape({count, config.headDim}).clone();
        keys.attention.push_back(replacementKeys(choice, trained, l).view({config.gridM, config.gridN, config.headDim}));
    }
    // A key file gives attention keys only; the residual stream keeps its trained keys.
    if (choice.kind != KeyChoice::Kind::Values) {
        const auto streamKeys = former->streamKeys();
        for (size_t l = 0; l < streamKeys.size(); ++l) {
            const auto trained = streamKeys[l].to(torch::kCPU).reshape({count, config.dim}).clone();
            keys.stream.push_back(replacementKeys(choice, trained, 1000 + l).view({config.gridM, config.gridN, config.dim}));
        }
    }
    former->checkKeys(keys.attention, keys.stream);
    return keys;
}

} // namespace mimo
