#pragma once
// The state of the optimizers the trainers use, by parameter position (param group, index in the
// group), as plain tensors and numbers a training checkpoint can hold without LibTorch's own
// archive: SGD's momentum_buffer (conv_trainer.cpp) and AdamW's step, exp_avg, exp_avg_sq and,
// with amsgrad, max_exp_avg_sq (former_trainer.cpp). LibTorch keys this state by the address of
// each parameter, which means nothing in another process; the position does.
//
// The options of each group (learning rate, momentum, betas, weight decay) are not kept: they
// follow from the training configuration, which the checkpoint's fingerprint pins, and from the
// schedule, which sets the learning rate and momentum (beta1) before every step.
// torch header: core .cpp files and tests only.
#include <ATen/core/Tensor.h>
#include <torch/optim/optimizer.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mimo {

inline constexpr const char* kSgdOptimizer = "sgd";
inline constexpr const char* kAdamWOptimizer = "adamw";

struct ParameterState {
    int64_t group = 0;
    int64_t index = 0;                         // within its group
    std::map<std::string, at::Tensor> tensors; // by LibTorch's names (momentum_buffer, exp_avg, ...)
    std::optional<int64_t> step;               // AdamW's count of steps taken
};

struct OptimizerState {
    std::string kind;                       // kSgdOptimizer or kAdamWOptimizer
    std::vector<int64_t> groupSizes;        // parameters in each group
    std::vector<ParameterState> parameters; // those the optimizer holds state for, in position order
};

// Tensors share the optimizer's memory. Throws mimo::Error for an optimizer other than SGD and
// AdamW (a trainer using another one needs its state described here first).
OptimizerState captureOptimizerState(const torch::optim::Optimizer& optimizer);

// Throws DataError(source, ...) naming the parameter and the field unless `state` fits
// `optimizer` exactly: the same kind and group sizes, each parameter named once and inside its
// group, exactly the tensors its kind keeps, each of its parameter's shape and element type,
// AdamW's step 1 or more. Changes nothing.
void checkOptimizerState(const OptimizerState& state, const torch::optim::Optimizer& optimizer,
                         const std::string& source);

// Replaces the optimizer's state with copies of `state`'s tensors on each parameter's device.
// `state` must have passed checkOptimizerState.
void restoreOptimizerState(const OptimizerState& state, torch::optim::Optimizer& optimizer);

} // namespace mimo
