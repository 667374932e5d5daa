#include "core/model/autocast_scope.h"

#include <ATen/autocast_mode.h>
#include <torch/torch.h>
#include <torch/version.h>

namespace mimo {
namespace {

// LibTorch 2.4 names autocast's state per device type; 1.13 to 2.3 have CPU and CUDA calls.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
bool enabled(c10::DeviceType type) { return at::autocast::is_autocast_enabled(type); }
void enable(c10::DeviceType type, bool on) { at::autocast::set_autocast_enabled(type, on); }
c10::ScalarType castType(c10::DeviceType type) { return at::autocast::get_autocast_dtype(type); }
void setCastType(c10::DeviceType type, c10::ScalarType scalar) { at::autocast::set_autocast_dtype(type, scalar); }
#else
bool enabled(c10::DeviceType type) { return type == c10::DeviceType::CUDA ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled(); }
void enable(c10::DeviceType type, bool on)
{
    if (type == c10::DeviceType::CUDA)
        at::autocast::set_enabled(on);
    else
        at::autocast::set_cpu_enabled(on);
}
c10::ScalarType castType(c10::DeviceType type)
{
    return type == c10::DeviceType::CUDA ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
}
void setCastType(c10::DeviceType type, c10::ScalarType scalar)
{
    if (type == c10::DeviceType::CUDA)
        at::autocast::set_autocast_gpu_dtype(scalar);
    else
        at::autocast::set_autocast_cpu_dtype(scalar);
}
#endif

} // namespace

bool autocastEnabled(c10::DeviceType type) { return enabled(type); }

AutocastScope::AutocastScope(Precision precision, const c10::Device& device)
{
    if (precision == Precision::Fp32)
        return;
    type_ = device.is_cuda() ? c10::DeviceType::CUDA : c10::DeviceType::CPU;
    wasEnabled_ = enabled(type_);
    previousType_ = castType(type_);
    setCastType(type_, precision == Precision::Bf16 ? c10::ScalarType::BFloat16 : c10::ScalarType::Half);
    enable(type_, true);
    at::autocast::increment_nesting();
    active_ = true;
}

AutocastScope::~AutocastScope()
{
    if (!active_)
        return;
    if (at::autocast::decrement_nesting() == 0)
        at::autocast::clear_cache(); // the casts of the weights, kept for this scope only
    enable(type_, wasEnabled_);
    setCastType(type_, previousType_);
}

torch::Tensor inLayout(const torch::Tensor& images, bool channelsLast)
{
    if (!channelsLast || images.dim() != 4)
        return images;
    return images.contiguous(torch::MemoryFormat::ChannelsLast);
}

} // namespace mimo
