#pragma once
// Milestones of a start-up, timed from the moment the process was created (so the dynamic
// loading of LibTorch and Qt before main() counts): with MIMO_STARTUP_TRACE set, each mark
// prints "startup 0.512 s: milestone" to stderr. scripts/bench-startup.sh reads them.
namespace mimo {

void traceStartup(const char* milestone);

// Seconds since this process was created (10 ms resolution on Linux); negative if unknown.
double secondsSinceProcessStart();

} // namespace mimo
