#include "core/cpu_load.h"

#include "core/proc_self_stat.h"

#include <algorithm>
#include <fstream>
#include <string>
#include <thread>

namespace mimo {

CpuLoadProbe::CpuLoadProbe() : first_(take()) {}

CpuLoadProbe::Sample CpuLoadProbe::take()
{
    Sample sample;
    std::ifstream stat("/proc/stat");
    std::string cpu;
    std::int64_t user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
    if (!(stat >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal) || cpu != "cpu")
        return sample;
    sample.busyTicks = user + nice + system + irq + softirq + steal;
    sample.totalTicks = sample.busyTicks + idle + iowait;

    const std::string utime = procSelfStatField(14), stime = procSelfStatField(15);
    if (utime.empty() || stime.empty())
        return Sample{};
    sample.ownTicks = std::stoll(utime) + std::stoll(stime);
    return sample;
}

double CpuLoadProbe::otherProcessesCores() const
{
    const Sample now = take();
    if (first_.busyTicks < 0 || now.busyTicks < 0)
        return -1.0;
    const auto total = double(now.totalTicks - first_.totalTicks);
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    if (total < 20.0 * cores) // under ~0.2 s of ticks per core: too short to tell
        return -1.0;
    const double others = double(now.busyTicks - first_.busyTicks) - double(now.ownTicks - first_.ownTicks);
    return std::max(0.0, others / (total / cores));
}

} // namespace mimo
