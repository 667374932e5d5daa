#pragma once
// Device names as the user types them ("cpu", "cuda", "cuda:1", "auto").
#include <string>

namespace mimo {

bool cudaAvailable();
// "auto" becomes "cuda" when a GPU is usable, else "cpu". Throws mimo::Error for an unknown
// name or for CUDA requested where there is none (saying so).
std::string resolveDeviceName(const std::string& requested);

} // namespace mimo
