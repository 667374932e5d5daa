#include "core/model/torch_device.h"

#include "core/errors.h"

#include <c10/util/Exception.h>
#include <torch/cuda.h>

namespace mimo {

bool cudaAvailable() { return torch::cuda::is_available(); }

std::string resolveDeviceName(const std::string& requested)
{
    if (requested.empty() || requested == "auto")
        return cudaAvailable() ? "cuda" : "cpu";
    if (requested == "cpu")
        return requested;
    if (requested.rfind("cuda", 0) == 0) {
        if (!cudaAvailable())
            throw Error("device '" + requested + "' requested, but no CUDA device is available here (use cpu)");
        try {
            const c10::Device device(requested);
            if (device.has_index() && device.index() >= static_cast<int>(torch::cuda::device_count()))
                throw Error("device '" + requested + "' does not exist: " + std::to_string(torch::cuda::device_count()) +
                            " CUDA device(s) found");
        } catch (const c10::Error&) {
            throw Error("device '" + requested + "' is not a valid device name (cpu, cuda, cuda:N, auto)");
        }
        return requested;
    }
    throw Error("device '" + requested + "' is not a valid device name (cpu, cuda, cuda:N, auto)");
}

c10::Device torchDevice(const std::string& requested) { return c10::Device(resolveDeviceName(requested)); }

void synchronizeDevice(const c10::Device& device)
{
    if (device.is_cuda())
        torch::cuda::synchronize(device.index() < 0 ? -1 : device.index());
}

std::vector<std::string> availableDeviceNames()
{
    std::vector<std::string> names{"cpu"};
    if (cudaAvailable())
        for (std::size_t i = 0; i < torch::cuda::device_count(); ++i)
            names.push_back("cuda:" + std::to_string(i));
    return names;
}

std::string canonicalDeviceName(const std::string& resolved)
{
    return resolved == "cuda" ? "cuda:0" : resolved;
}

bool isDeviceFailure(const std::exception& error)
{
    if (dynamic_cast<const c10::OutOfMemoryError*>(&error))
        return true; // LibTorch throws it for the GPU's memory (the CPU's is std::bad_alloc)
    if (!dynamic_cast<const c10::Error*>(&error))
        return false;
    const std::string text = error.what();
    for (const char* mark : {"CUDA error", "CUDA out of memory", "CUBLAS_STATUS", "CUDNN_STATUS", "cuDNN error",
                             "CUDA driver", "device-side assert", "NCCL error"})
        if (text.find(mark) != std::string::npos)
            return true;
    return false;
}

} // namespace mimo
