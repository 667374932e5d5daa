#pragma once
// A random source whose output is fixed by the C++ standard (mt19937_64) and by our own
// mapping to floats, so a seed gives the same keys on every platform and with every
// torch version (the GPU machines run a different PyTorch than Debian's).
#include <cstdint>
#include <random>

namespace mimo {

class SeededRandom {
public:
    explicit SeededRandom(uint64_t seed) : engine_(seed) {}

    double uniform01() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; } // [0, 1)
    double uniform(double low, double high) { return low + (high - low) * uniform01(); }
    double normal();                          // standard normal, Box-Muller
    int64_t integer(int64_t low, int64_t high); // inclusive bounds, unbiased
    bool coin() { return (engine_() >> 63) != 0; }

private:
    std::mt19937_64 engine_;
    bool hasSpare_ = false;
    double spare_ = 0.0;
};

} // namespace mimo
