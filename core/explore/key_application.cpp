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
    return info.family == ModelFamily::Conv && info.conv.binding == ConvBinding::HRR && info.conv.capacity > 1;
}

bool isMimoFormer(const ModelInfo& info)
{
    return info.family == ModelFamily::Former && info.former.attention != FormerAttention::Performer;
}

void applyKeyChoice(LoadedModel& model, const KeyChoice& choice)
{
    if (choice.kind != KeyChoice::Kind::Trained && !isHrrConv(model.info) && !isMimoFormer(model.info))
        throw Error("this model's keys cannot be replaced (only HRR MIMOConv and MIMOFormer keys can)");
    torch::NoGradGuard noGrad;
    if (model.conv) {
        if (choice.kind == KeyChoice::Kind::Trained) {
            model.conv->restoreTrainedKeys();
        } else {
            model.conv->restoreTrainedKeys();
            const auto trained = model.conv->keys().to(torch::kCPU).clone();
            model.conv->overrideKeys(replacementKeys(choice, trained, 0));
        }
    } else if (model.former && isMimoFormer(model.info)) {
        if (choice.kind == KeyChoice::Kind::Trained) {
            model.former->restoreTrainedKeys();
        } else {
            model.former->restoreTrainedKeys();
            const auto& config = model.info.former;
            const int64_t count = int64_t(config.gridM) * config.gridN;
            std::vector<torch::Tensor> attention, stream;
            const auto attentionKeys = model.former->attentionKeys();
            for (size_t l = 0; l < attentionKeys.size(); ++l) {
                const auto trained = attentionKeys[l].to(torch::kCPU).reshape({count, config.headDim}).clone();
                attention.push_back(replacementKeys(choice, trained, l).view({config.gridM, config.gridN, config.headDim}));
            }
            // A key file gives attention keys only; the residual stream keeps its trained keys.
            if (choice.kind != KeyChoice::Kind::Values) {
                const auto streamKeys = model.former->streamKeys();
                for (size_t l = 0; l < streamKeys.size(); ++l) {
                    const auto trained = streamKeys[l].to(torch::kCPU).reshape({count, config.dim}).clone();
                    stream.push_back(replacementKeys(choice, trained, 1000 + l).view({config.gridM, config.gridN, config.dim}));
                }
            }
            model.former->overrideKeys(attention, stream);
        }
    }
}

} // namespace mimo
