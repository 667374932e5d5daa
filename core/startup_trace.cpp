#include "core/startup_trace.h"

#include "core/proc_self_stat.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include <unistd.h>

namespace mimo {

double secondsSinceProcessStart()
{
    // Field 22 of /proc/self/stat is the start time in clock ticks after boot; CLOCK_BOOTTIME
    // counts from the same origin.
    const std::string started = procSelfStatField(22);
    timespec now{};
    const long ticks = ::sysconf(_SC_CLK_TCK);
    if (!started.empty() && ticks > 0 && ::clock_gettime(CLOCK_BOOTTIME, &now) == 0)
        return double(now.tv_sec) + double(now.tv_nsec) * 1e-9 - std::stod(started) / double(ticks);
    return -1.0;
}

void traceStartup(const char* milestone)
{
    static const bool enabled = std::getenv("MIMO_STARTUP_TRACE") != nullptr;
    if (enabled)
        std::fprintf(stderr, "startup %.3f s: %s\n", secondsSinceProcessStart(), milestone);
}

} // namespace mimo
