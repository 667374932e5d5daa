#include "core/train/distillation.h"

#include "core/errors.h"
#include "core/eval/conv_evaluation.h"
#include "core/model/model_file.h"

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace mimo {
namespace {

// Soft targets are kept for every training item: bounded so a large set fails at once, with a
// message, instead of exhausting memory (ImageNet's 1.28 M images x 1,000 classes would be 5 GiB).
constexpr int64_t kMaxTargetValues = int64_t(1) << 28; // 1 GiB of float32

constexpr int64_t kTeacherBatch = 256;

void requireSameTask(const MimoConvConfig& teacher, const MimoConvConfig& student, const std::string& path)
{
    if (teacher.numClasses != student.numClasses)
        throw DataError(path, "the teacher has " + std::to_string(teacher.numClasses) + " classes, the model being trained " +
                                  std::to_string(student.numClasses));
    const auto& t = teacher.input;
    const auto& s = student.input;
    if (t.channels != s.channels || t.height != s.height || t.width != s.width)
        throw DataError(path, "the teacher reads " + std::to_string(t.channels) + "x" + std::to_string(t.height) + "x" +
                                  std::to_string(t.width) + " images, the model being trained " +
                                  std::to_string(s.channels) + "x" + std::to_string(s.height) + "x" +
                                  std::to_string(s.width));
}

} // namespace

void checkDistillationSettings(const DistillationSettings& settings)
{
    if (!(settings.weight >= 0.0 && settings.weight <= 1.0))
        throw Error("train: --distill-weight must be between 0 and 1");
    if (!(settings.temperature > 0.0 && settings.temperature <= 100.0))
        throw Error("train: --distill-temperature must be above 0 and at most 100");
}

TeacherTargets teacherTargets(const DistillationSettings& settings, const Dataset& train, const MimoConvConfig& student,
                              const torch::Device& device)
{
    const std::string& path = settings.teacherPath;
    LoadedConvModel teacher = loadConvModel(path, "cpu");
    const MimoConvConfig& config = teacher.model->config();
    requireSameTask(config, student, path);
    const int64_t items = int64_t(train.size());
    if (items * int64_t(config.numClasses) > kMaxTargetValues)
        throw DataError(path, "its soft targets for the " + std::to_string(items) + " items of " + train.name() +
                                  " would take more than 1 GiB; distil on a smaller training set");

    teacher.model->to(device);
    teacher.model->eval();
    const torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> logits;
    for (int64_t first = 0; first < items; first += kTeacherBatch) {
        std::vector<std::size_t> indices(std::size_t(std::min(kTeacherBatch, items - first)));
        std::iota(indices.begin(), indices.end(), std::size_t(first));
        // N = 1: every model serves it, and it is a teacher's most accurate.
        logits.push_back(teacher.model->forward(imageBatch(train, indices, config).to(device), 1).to(torch::kFloat));
    }
    TeacherTargets targets;
    targets.probabilities = torch::softmax(torch::cat(logits) / settings.temperature, 1);
    const double agreement = [&] {
        std::vector<int64_t> labels(static_cast<std::size_t>(items));
        for (int64_t i = 0; i < items; ++i)
            labels[std::size_t(i)] = train.label(std::size_t(i));
        const auto truth = torch::tensor(labels, torch::kLong).to(device);
        return targets.probabilities.argmax(1).eq(truth).to(torch::kDouble).mean().item<double>();
    }();
    char numbers[256];
    std::snprintf(numbers, sizeof numbers,
                  "loss = %.2f x cross-entropy + %.2f x T^2 KL(teacher || student) at temperature T = %.2f; the "
                  "teacher is right on %.2f %% of the training images",
                  1.0 - settings.weight, settings.weight, settings.temperature, 100.0 * agreement);
    targets.note = " Distilled from " + provenance(teacher.card, path) + ": " + numbers +
                   ". Its logits were computed once, on the training images without crop or flip. Knowledge "
                   "distillation is not the paper's recipe.";
    return targets;
}

torch::Tensor distillationLoss(const torch::Tensor& logits, const torch::Tensor& targets, double temperature)
{
    const auto logStudent = torch::log_softmax(logits / temperature, 1);
    // xlogy: a target probability of exactly 0 contributes 0, not 0 * -inf.
    const auto perItem = (torch::xlogy(targets, targets) - targets * logStudent).sum(1);
    return temperature * temperature * perItem.mean();
}

} // namespace mimo
