#include "core/eval/prediction.h"

#include "core/errors.h"
#include "core/model/model_file.h"

#include <torch/torch.h>

#include <algorithm>

namespace mimo {
namespace {

std::vector<ClassScore> topClasses(const torch::Tensor& probabilities, const std::vector<std::string>& names, int k)
{
    const auto [values, indices] = probabilities.topk(std::min<int64_t>(k, probabilities.size(0)));
    std::vector<ClassScore> scores;
    for (int64_t i = 0; i < values.size(0); ++i) {
        ClassScore score;
        score.index = int(indices[i].item<int64_t>());
        score.name = size_t(score.index) < names.size() ? names[size_t(score.index)] : std::to_string(score.index);
        score.probability = values[i].item<double>();
        scores.push_back(score);
    }
    return scores;
}

} // namespace

std::vector<SlotPrediction> predictImages(const PredictionRequest& request)
{
    auto loaded = loadConvModel(request.modelPath, request.device);
    const auto& config = loaded.model->config();
    if (!config.supportsN(request.n))
        throw Error(request.modelPath + ": N=" + std::to_string(request.n) + " is not served by this model (N must "
                    "divide N_cap=" + std::to_string(config.capacity) + ")");
    if (request.images.empty() || request.images.size() % size_t(request.n) != 0)
        throw Error(std::to_string(request.images.size()) + " input(s) do not fill groups of N=" +
                    std::to_string(request.n) + "; give a multiple of " + std::to_string(request.n));
    std::vector<torch::Tensor> inputs;
    for (size_t i = 0; i < request.images.size(); ++i) {
        const auto& image = request.images[i];
        if (image.channels != config.input.channels || image.height != config.input.height ||
            image.width != config.input.width)
            throw Error((i < request.sources.size() ? request.sources[i] : "input " + std::to_string(i)) +
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
    std::vector<SlotPrediction> out;
    for (size_t i = 0; i < request.images.size(); ++i) {
        SlotPrediction slot;
        slot.source = i < request.sources.size() ? request.sources[i] : "input " + std::to_string(i);
        slot.superposed = topClasses(superposed[int64_t(i)], loaded.card.classNames, request.topK);
        slot.alone = topClasses(alone[int64_t(i)], loaded.card.classNames, request.topK);
        slot.disagree = slot.superposed.front().index != slot.alone.front().index;
        out.push_back(slot);
    }
    return out;
}

} // namespace mimo
