#pragma once
// Mixed precision for the forward passes run while an AutocastScope lives (on this thread, for
// the device's kind): LibTorch's autocast, with the previous state back when it ends. And the
// channels-last layout of an image batch, which the convolutions then keep through the network.
// torch header: core .cpp files only.
#include "core/model/precision.h"

#include <c10/core/Device.h>
#include <torch/types.h>

namespace mimo {

class AutocastScope {
public:
    AutocastScope(Precision precision, const c10::Device& device);
    ~AutocastScope();
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

private:
    bool active_ = false;
    c10::DeviceType type_ = c10::DeviceType::CPU;
    bool wasEnabled_ = false;
    c10::ScalarType previousType_ = c10::ScalarType::Float;
};

// Whether autocast is on for this device type on this thread (the version-independent call).
bool autocastEnabled(c10::DeviceType type);

// The batch in channels-last memory (NHWC strides) when asked and it is an image batch.
torch::Tensor inLayout(const torch::Tensor& images, bool channelsLast);

} // namespace mimo
