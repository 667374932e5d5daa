#pragma once
// The plain settings of `mimo train conv --distill` (distillation.h does the work). No torch:
// conv_trainer.h, which the command line includes, holds them.
#include <string>

namespace mimo {

struct DistillationSettings {
    std::string teacherPath;   // a trained model file; empty: no distillation
    double weight = 0.5;       // alpha: loss = (1 - alpha) cross-entropy + alpha T^2 KL(teacher || student)
    double temperature = 4.0;  // T, softening both distributions
};

} // namespace mimo
