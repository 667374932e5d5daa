#include "core/runtime.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <torch/version.h>

#include <cstdlib>
#include <thread>

namespace mimo {
namespace {

int threadsFromEnvironment(const char* name)
{
    const char* value = std::getenv(name);
    if (!value || !*value)
        return 0;
    const int threads = std::atoi(value);
    return threads > 0 ? threads : 0;
}

} // namespace

std::string projectVersion() { return MIMO_VERSION; }

int initialiseCompute()
{
    int threads = threadsFromEnvironment("MIMO_THREADS");
    if (!threads)
        threads = threadsFromEnvironment("OMP_NUM_THREADS");
    if (!threads)
        threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(threads);
    return at::get_num_threads();
}

std::string computeBackendSummary()
{
    std::string summary = "LibTorch " TORCH_VERSION ", " + std::to_string(at::get_num_threads()) + " CPU thread(s)";
    summary += at::hasCUDA() ? ", CUDA available" : ", no CUDA";
    return summary;
}

} // namespace mimo
