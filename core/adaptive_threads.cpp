#include "core/adaptive_threads.h"

#include "core/cpu_load.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <thread>

namespace mimo {
namespace {

std::atomic<int> ceiling{0};
std::atomic<bool> fixedCount{false};

} // namespace

int threadsForLoad(int ceilingThreads, int cores, double otherCores)
{
    const int ceilingOrOne = std::max(1, ceilingThreads);
    if (otherCores < 0.0)
        return ceilingOrOne;
    const int free = int(std::floor(double(cores) - otherCores + 0.5));
    return std::clamp(free, 1, ceilingOrOne);
}

void setThreadCeiling(int threads, bool fixed)
{
    ceiling = std::max(1, threads);
    fixedCount = fixed;
}

int threadCeiling() { return ceiling.load(); }

int adaptThreadsToLoad()
{
    thread_local std::unique_ptr<CpuLoadProbe> probe;
    const int top = ceiling.load();
    if (top <= 0 || fixedCount.load())
        return at::get_num_threads();
    if (!probe) {
        probe = std::make_unique<CpuLoadProbe>();
        if (at::get_num_threads() != top)
            at::set_num_threads(top);
        return top;
    }
    const double others = probe->otherProcessesCores();
    if (others < 0.0) // too soon to tell
        return at::get_num_threads();
    probe = std::make_unique<CpuLoadProbe>();
    const int threads = threadsForLoad(top, int(std::max(1u, std::thread::hardware_concurrency())), others);
    if (threads != at::get_num_threads())
        at::set_num_threads(threads);
    return threads;
}

} // namespace mimo
