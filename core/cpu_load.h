#pragma once
// How much of the machine other processes used while we measured, so a speed figure taken on a
// busy desktop can say so. Linux: /proc/stat (all CPUs) against /proc/self/stat (this process),
// both in clock ticks; elsewhere the probe reports "unknown".
#include <chrono>
#include <cstdint>

namespace mimo {

class CpuLoadProbe {
public:
    CpuLoadProbe(); // the first sample

    // Cores' worth of CPU time that other processes used since construction, on average
    // (0.5: half a core busy with something else the whole time); negative when unknown.
    double otherProcessesCores() const;

private:
    struct Sample {
        std::int64_t busyTicks = -1;  // all CPUs, everything but idle and iowait
        std::int64_t totalTicks = -1; // all CPUs
        std::int64_t ownTicks = -1;   // this process, user + system
    };
    static Sample take();
    Sample first_;
};

// Other processes' load above which a measured speed is marked as taken on a busy machine.
inline constexpr double kBusyMachineCores = 0.3;

} // namespace mimo
