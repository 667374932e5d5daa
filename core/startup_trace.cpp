#include "core/startup_trace.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include <unistd.h>

namespace mimo {

double secondsSinceProcessStart()
{
    // Field 22 of /proc/self/stat is the start time in clock ticks after boot; CLOCK_BOOTTIME
    // counts from the same origin.
    std::ifstream stat("/proc/self/stat");
    const std::string line((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto close = line.rfind(')');
    if (close == std::string::npos)
        return -1.0;
    std::istringstream fields(line.substr(close + 1));
    std::string field;
    for (int index = 3; index <= 22 && fields >> field; ++index)
        if (index == 22) {
            timespec now{};
            const long ticks = ::sysconf(_SC_CLK_TCK);
            if (ticks <= 0 || ::clock_gettime(CLOCK_BOOTTIME, &now) != 0)
                return -1.0;
            return double(now.tv_sec) + double(now.tv_nsec) * 1e-9 - std::stod(field) / double(ticks);
        }
    return -1.0;
}

void traceStartup(const char* milestone)
{
    static const bool enabled = std::getenv("MIMO_STARTUP_TRACE") != nullptr;
    if (enabled)
        std::fprintf(stderr, "startup %.3f s: %s\n", secondsSinceProcessStart(), milestone);
}

} // namespace mimo
