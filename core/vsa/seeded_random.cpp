#include "core/vsa/seeded_random.h"

#include <cmath>
#include <limits>

namespace mimo {

double SeededRandom::normal()
{
    if (hasSpare_) {
        hasSpare_ = false;
        return spare_;
    }
    double u1 = uniform01();
    while (u1 <= std::numeric_limits<double>::min())
        u1 = uniform01();
    const double u2 = uniform01();
    const double radius = std::sqrt(-2.0 * std::log(u1));
    const double angle = 2.0 * M_PI * u2;
    spare_ = radius * std::sin(angle);
    hasSpare_ = true;
    return radius * std::cos(angle);
}

int64_t SeededRandom::integer(int64_t low, int64_t high)
{
    const uint64_t span = static_cast<uint64_t>(high - low) + 1;
    if (span == 0) // full 64-bit range
        return static_cast<int64_t>(engine_());
    // Rejection keeps every value equally likely.
    const uint64_t limit = std::numeric_limits<uint64_t>::max() - std::numeric_limits<uint64_t>::max() % span;
    uint64_t draw = engine_();
    while (draw >= limit)
        draw = engine_();
    return low + static_cast<int64_t>(draw % span);
}

} // namespace mimo
