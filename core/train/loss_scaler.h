#pragma once
// Dynamic loss scaling for fp16 mixed-precision training (what torch.cuda.amp.GradScaler does,
// and the official MIMOFormer's mixed_precision option uses): the loss is multiplied by a scale
// before the backward pass so that small gradients survive float16; the gradients are divided
// by it before clipping; a step whose gradients overflowed is skipped and the scale halved, and
// after `growthInterval` good steps in a row the scale doubles. Off (scale 1, nothing skipped)
// for fp32 and bf16. torch header: core .cpp files only.
#include <torch/types.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

namespace mimo {

class LossScaler {
public:
    explicit LossScaler(bool enabled, double initialScale = 65536.0, int64_t growthInterval = 2000);

    bool enabled() const { return enabled_; }
    double scale() const { return scale_; }
    torch::Tensor scaled(const torch::Tensor& loss) const;
    // Divides the gradients by the scale; false when any is not finite (skip this step).
    bool unscale(const std::vector<torch::Tensor>& parameters) const;
    // After each step: `finite` as unscale said.
    void update(bool finite);

    nlohmann::json toJson() const;
    void restore(const nlohmann::json& trainer); // throws mimo::Error for a scale out of range

private:
    bool enabled_;
    double scale_;
    int64_t growthInterval_;
    int64_t goodSteps_ = 0;
};

} // namespace mimo
