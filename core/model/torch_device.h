#pragma once
// torch side of device.h: for core .cpp files only.
#include "core/model/device.h"

#include <c10/core/Device.h>

namespace mimo {

c10::Device torchDevice(const std::string& requested);
// Waits for queued GPU work so wall-clock timings are honest; no-op on CPU.
void synchronizeDevice(const c10::Device& device);

} // namespace mimo
