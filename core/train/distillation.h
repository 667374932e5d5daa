#pragma once
// `mimo train conv --distill FILE`: knowledge distillation (Hinton, Vinyals and Dean, 2015) from a
// trained classifier of the same task, typically the WRN baseline. Not the paper's recipe: the
// card says so. The teacher's logits are computed once, before the first step, on the training
// images as the test split is read (no crop, no flip): one teacher pass over the data instead of
// one per step, at the price of soft targets that ignore the student's augmentation.
// torch header: core .cpp and tests only.
#include "core/data/dataset.h"
#include "core/model/conv_config.h"
#include "core/train/distillation_settings.h"

#include <torch/torch.h>

#include <string>

namespace mimo {

struct TeacherTargets {
    torch::Tensor probabilities; // [train items, classes], float32 on the training device, at temperature T
    std::string note;            // the card's sentence
};

// Throws Error when the weight is outside [0, 1] or the temperature outside (0, 100]: checked
// with the other settings, before any data is read.
void checkDistillationSettings(const DistillationSettings& settings);

// Throws DataError(path, ...) when the file is not a MIMOConv / WRN model, or it has another
// number of classes or input geometry than the student, or its targets would not fit in memory.
TeacherTargets teacherTargets(const DistillationSettings& settings, const Dataset& train,
                              const MimoConvConfig& student, const torch::Device& device);

// T^2 KL(targets || softmax(logits / T)), averaged over the batch; `targets` rows sum to one.
torch::Tensor distillationLoss(const torch::Tensor& logits, const torch::Tensor& targets, double temperature);

} // namespace mimo
