#include "core/cpu_load.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>
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

    // The command name (field 2) may hold spaces and parentheses: fields are counted after the last ')'.
    std::ifstream self("/proc/self/stat");
    const std::string line((std::istreambuf_iterator<char>(self)), std::istreambuf_iterator<char>());
    const auto close = line.rfind(')');
    if (close == std::string::npos)
        return Sample{};
    std::istringstream fields(line.substr(close + 1));
    std::string field;
    std::int64_t utime = 0, stime = 0;
    for (int index = 3; index <= 15 && fields >> field; ++index) {
        if (index == 14)
            utime = std::stoll(field);
        if (index == 15)
            stime = std::stoll(field);
    }
    sample.ownTicks = utime + stime;
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
