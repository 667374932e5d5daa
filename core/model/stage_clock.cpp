#include "core/model/stage_clock.h"

namespace mimo {

void StageClock::start()
{
    if (synchronize_)
        synchronize_();
    last_ = std::chrono::steady_clock::now();
}

void StageClock::lap(const std::string& lapName)
{
    const std::string stage = scope_ + lapName;
    if (synchronize_)
        synchronize_();
    const auto now = std::chrono::steady_clock::now();
    const double seconds = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    for (auto& [name, total] : totals_)
        if (name == stage) {
            total += seconds;
            return;
        }
    totals_.emplace_back(stage, seconds);
}

} // namespace mimo
