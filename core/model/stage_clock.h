#pragma once
// Where a forward pass spends its time: the model calls lap("stage") at stage boundaries and
// the clock adds the time since the previous boundary to that stage. The device is synchronised
// at every boundary (a CUDA launch returns before the work is done), which itself costs a
// little: use it to see shares, and plain `mimo bench` for throughput. Plain data.
#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace mimo {

class StageClock {
public:
    explicit StageClock(std::function<void()> synchronize = {}) : synchronize_(std::move(synchronize)) {}

    void start();
    void lap(const std::string& stage);
    // Names the following laps "<scope><stage>" (a MIMOFormer's "layer 2 MLP"), so repeated
    // parts of a network are timed apart; "" for none.
    void setScope(std::string scope) { scope_ = std::move(scope); }
    // Seconds per stage, summed over every pass since clear(), in first-seen order.
    const std::vector<std::pair<std::string, double>>& totals() const { return totals_; }
    void clear() { totals_.clear(); }

private:
    std::function<void()> synchronize_;
    std::chrono::steady_clock::time_point last_;
    std::string scope_;
    std::vector<std::pair<std::string, double>> totals_;
};

} // namespace mimo
