#include "core/eval/prediction.h"

#include "core/errors.h"
#include "core/model/model_file.h"

#include <torch/torch.h>

#include <algorithm>

namespace mimo {
namespace {

std::vector<ClassScore> topClasses(const torch::Tensor& probabilities, const std::vector<std::string>& names, int k)
{
    const auto p = probabilities.to(torch::kFloat).contiguous();
    return mimo::topClasses(std::vector<float>(p.data_ptr<float>(), p.data_ptr<float>() + p.numel()), names, k);
}

std::string sourceName(const PredictionRequest& request, size_t i)
{
    return i < request.sources.size() ? request.sources[i] : "input " + std::to_string(i + 1);
}

void checkGroups(const PredictionRequest& request, size_t count)
{
    if (request.n < 1)
        throw Error("N must be at least 1 (got " + std::to_string(request.n) + ")");
    if (count == 0 || count % size_t(request.n) != 0)
        throw Error(std::to_string(count) + " input(s) do not fill groups of N=" + std::to_string(request.n) +
                    "; give a multiple of " + std::to_string(request.n));
}

std::vector<SlotPrediction> slotsFrom(const PredictionRequest& request, const torch::Tensor& superposed,
                                      const torch::Tensor& alone, const std::vector<std::string>& classNames)
{
    std::vector<SlotPrediction> out;
    for (int64_t i = 0; i < superposed.size(0); ++i) {
        SlotPrediction slot;
        slot.source = sourceName(request, size_t(i));
        slot.superposed = topClasses(superposed[i], classNames, request.topK);
        slot.alone = topClasses(alone[i], classNames, request.topK);
        slot.disagree = slot.superposed.front().index != slot.alone.front().index;
        out.push_back(slot);
    }
    return out;
}

} // namespace

std::vector<ClassScore> topClasses(const std::vector<float>& probabilities, const std::vector<std::string>& names, int k)
{
    std::vector<int> order(probabilities.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = int(i);
    const size_t keep = std::min(order.size(), size_t(std::max(0, k)));
    std::partial_sort(order.begin(), order.begin() + long(keep), order.end(), [&](int a, int b) {
        return probabilities[size_t(a)] > probabilities[size_t(b)] ||
               (probabilities[size_t(a)] == probabilities[size_t(b)] && a < b);
    });
    std::vector<ClassScore> scores;
    for (size_t i = 0; i < keep; ++i) {
        ClassScore score;
        score.index = order[i];
        score.name = size_t(score.index) < names.size() ? names[size_t(score.index)] : std::to_string(score.index);
        score.probability = probabilities[size_t(score.index)];
        scores.push_back(score);
    }
    return scores;
}

std::vector<SlotPrediction> predictSequences(const PredictionRequest& request)
{
    auto loaded = loadFormerModel(request.modelPath, request.device);
    const auto& config = loaded.model->config();
    const auto [m, n] = config.gridFor(request.n);
    checkGroups(request, request.sequences.size());
    const int64_t length = config.maxLength;
    auto tokens = torch::zeros({int64_t(request.sequences.size()), length}, torch::kLong);
    for (size_t i = 0; i < request.sequences.size(); ++i) {
        const auto& sequence = request.sequences[i];
        if (sequence.empty())
            throw Error(sourceName(request, i) + ": the sequence is empty");
        if (int64_t(sequence.size()) > length)
            throw Error(sourceName(request, i) + ": " + std::to_string(sequence.size()) + " tokens, but the model reads at most " +
                        std::to_string(length));
        for (size_t t = 0; t < sequence.size(); ++t) {
            if (sequence[t] < 0 || sequence[t] >= config.vocabularySize)
                throw Error(sourceName(request, i) + ": token " + std::to_string(t + 1) + " has id " +
                            std::to_string(sequence[t]) + ", outside the model's vocabulary [0, " +
                            std::to_string(config.vocabularySize) + ")");
            tokens[int64_t(i)][int64_t(t)] = int64_t(sequence[t]);
        }
    }
    torch::InferenceMode inference;
    const auto device = loaded.model->parameters().front().device();
    tokens = tokens.to(device);
    FormerForwardOptions superposition, single;
    superposition.grid = {m, n};
    single.grid = {1, 1};
    const auto superposed = torch::softmax(loaded.model->forward(tokens, superposition).logits, 1).to(torch::kCPU);
    const auto alone = torch::softmax(loaded.model->forward(tokens, single).logits, 1).to(torch::kCPU);
    return slotsFrom(request, superposed, alone, loaded.card.classNames);
}

std::vector<SlotPrediction> predictImages(const PredictionRequest& request)
{
    auto loaded = loadConvModel(request.modelPath, request.device);
    const auto& config = loaded.model->config();
    if (!config.supportsN(request.n))
        throw Error(request.modelPath + ": N=" + std::to_string(request.n) + " is not served by this model (N must "
                    "divide N_cap=" + std::to_string(config.capacity) + ")");
    checkGroups(request, request.images.size());
    std::vector<torch::Tensor> inputs;
    for (size_t i = 0; i < request.images.size(); ++i) {
        const auto& image = request.images[i];
        if (image.channels != config.input.channels || image.height != config.input.height ||
            image.width != config.input.width)
            throw Error(sourceName(request, i) +
                        ": prepared as " + std::to_string(image.channels) + "x" + std::to_string(image.height) + "x" +
                        std::to_string(image.width) + " but the model expects " + std::to_string(config.input.channels) +
                        "x" + std::to_string(config.input.height) + "x" + std::to_string(config.input.width));
        inputs.push_back(torch::from_blob(const_cast<float*>(image.normalized.data()),
                                          {image.channels, image.height, image.width}, torch::kFloat)
                             .clone());
    }
    torch::InferenceMode inference;
    const auto device = loaded.model->parameters().front().device();
    const auto batch = torch::stack(inputs).to(device);
    const auto superposed = torch::softmax(loaded.model->forward(batch, request.n), 1).to(torch::kCPU);
    const auto alone = torch::softmax(loaded.model->forward(batch, 1), 1).to(torch::kCPU);
    return slotsFrom(request, superposed, alone, loaded.card.classNames);
}

} // namespace mimo
