#pragma once
// Device names as the user types them ("cpu", "cuda", "cuda:1", "auto").
#include <exception>
#include <string>
#include <vector>

namespace mimo {

bool cudaAvailable();
// "auto" becomes "cuda" when a GPU is usable, else "cpu". Throws mimo::Error for an unknown
// name or for CUDA requested where there is none (saying so).
std::string resolveDeviceName(const std::string& requested);

// Every device this machine computes on: "cpu", then "cuda:0", "cuda:1", ... one per GPU.
std::vector<std::string> availableDeviceNames();
// One name per device, as availableDeviceNames lists them: "cuda" (the current GPU) is "cuda:0".
std::string canonicalDeviceName(const std::string& resolved);
// Whether `error` is a failure of the GPU rather than of the input: out of GPU memory, a CUDA,
// cuBLAS or cuDNN error, a lost device. The explorer then moves the model to the CPU.
bool isDeviceFailure(const std::exception& error);

} // namespace mimo
