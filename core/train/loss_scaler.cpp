#include "core/train/loss_scaler.h"

#include "core/errors.h"

#include <torch/torch.h>

#include <cmath>

namespace mimo {

LossScaler::LossScaler(bool enabled, double initialScale, int64_t growthInterval)
    : enabled_(enabled), scale_(enabled ? initialScale : 1.0), growthInterval_(growthInterval)
{
}

torch::Tensor LossScaler::scaled(const torch::Tensor& loss) const { return enabled_ ? loss * scale_ : loss; }

bool LossScaler::unscale(const std::vector<torch::Tensor>& parameters) const
{
    if (!enabled_)
        return true;
    torch::NoGradGuard noGrad;
    bool finite = true;
    for (const auto& parameter : parameters) {
        auto gradient = parameter.grad();
        if (!gradient.defined())
            continue;
        gradient.div_(scale_);
        finite = finite && gradient.isfinite().all().item<bool>();
    }
    return finite;
}

void LossScaler::update(bool finite)
{
    if (!enabled_)
        return;
    if (!finite) {
        scale_ = std::max(scale_ * 0.5, 1.0 / 65536.0);
        goodSteps_ = 0;
    } else if (++goodSteps_ >= growthInterval_) {
        scale_ = std::min(scale_ * 2.0, 16777216.0); // 2^24: float16 gradients cannot use more
        goodSteps_ = 0;
    }
}

nlohmann::json LossScaler::toJson() const
{
    return enabled_ ? nlohmann::json{{"loss_scale", scale_}, {"loss_scale_good_steps", goodSteps_}} : nlohmann::json::object();
}

void LossScaler::restore(const nlohmann::json& trainer)
{
    if (!enabled_ || !trainer.contains("loss_scale"))
        return; // a checkpoint of an fp32 or bf16 run: the scale starts afresh
    const double scale = trainer.at("loss_scale").get<double>();
    const int64_t good = trainer.at("loss_scale_good_steps").get<int64_t>();
    if (!std::isfinite(scale) || scale < 1.0 / 65536.0 || scale > 16777216.0 || good < 0)
        throw Error("the loss scale " + std::to_string(scale) + " or its step count is out of range");
    scale_ = scale;
    goodSteps_ = good;
}

} // namespace mimo
