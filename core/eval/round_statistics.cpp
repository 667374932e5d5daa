#include "core/eval/round_statistics.h"

#include <algorithm>
#include <tuple>

namespace mimo {

double median(std::vector<double> values)
{
    if (values.empty())
        return 0.0;
    std::sort(values.begin(), values.end());
    const size_t mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
}

std::pair<double, double> spreadAround(const std::vector<double>& values, double centre)
{
    double low = centre, high = centre;
    for (double value : values) {
        low = std::min(low, value);
        high = std::max(high, value);
    }
    return {low, high};
}

std::vector<StageTiming> groupTimings(const std::vector<StageRound>& rounds,
                                      const std::vector<std::vector<std::string>>& groups)
{
    std::vector<StageTiming> out;
    if (rounds.empty())
        return std::vector<StageTiming>(groups.size());
    for (const auto& group : groups) {
        StageTiming timing;
        timing.stages = group;
        std::vector<double> seconds, shares;
        for (const auto& round : rounds) {
            double mine = 0.0, total = 0.0;
            for (const auto& [stage, time] : round) {
                total += time;
                if (std::find(group.begin(), group.end(), stage) != group.end())
                    mine += time;
            }
            seconds.push_back(mine);
            shares.push_back(total > 0.0 ? mine / total : 0.0);
        }
        timing.seconds = median(seconds);
        timing.shareLow = *std::min_element(shares.begin(), shares.end());
        timing.shareHigh = *std::max_element(shares.begin(), shares.end());
        out.push_back(std::move(timing));
    }
    // Shares of the sum of the medians, so that they add up: on a busy machine each round has
    // some stage that waited, and the medians of per-round shares would leave that time out.
    double total = 0.0;
    for (const auto& timing : out)
        total += timing.seconds;
    for (auto& timing : out) {
        timing.share = total > 0.0 ? timing.seconds / total : 0.0;
        timing.shareLow = std::min(timing.shareLow, timing.share);
        timing.shareHigh = std::max(timing.shareHigh, timing.share);
    }
    return out;
}

std::vector<StageTiming> stageTimings(const std::vector<StageRound>& rounds)
{
    std::vector<std::vector<std::string>> groups;
    for (const auto& round : rounds)
        for (const auto& stage : round)
            if (std::none_of(groups.begin(), groups.end(), [&](const auto& g) { return g.front() == stage.first; }))
                groups.push_back({stage.first});
    return groupTimings(rounds, groups);
}

} // namespace mimo
