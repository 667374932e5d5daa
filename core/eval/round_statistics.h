#pragma once
// Summaries of timed rounds shared by `mimo bench` and the interleaved evaluation, so a speed
// shown anywhere is the same statistic: the median of rounds, with their min-max as its spread.
#include <string>
#include <utility>
#include <vector>

namespace mimo {

double median(std::vector<double> values); // 0 for none

// {min, max} of `values`, widened to include `centre` so whiskers always enclose their point.
std::pair<double, double> spreadAround(const std::vector<double>& values, double centre);

// One round of a pass timed stage by stage: (stage, seconds), as StageClock::totals gives them.
using StageRound = std::vector<std::pair<std::string, double>>;

// Time of a group of stages over rounds: the median seconds per pass; its share of the sum of
// every group's median (groups that cover the pass: shares of the pass that add up to 1), with
// the lowest and highest share of a single round.
struct StageTiming {
    std::vector<std::string> stages;
    double seconds = 0.0;
    double share = 0.0, shareLow = 0.0, shareHigh = 0.0;
};

// One timing per group (a stage missing from a round counts 0 there); all 0 for no rounds.
std::vector<StageTiming> groupTimings(const std::vector<StageRound>& rounds,
                                      const std::vector<std::vector<std::string>>& groups);
// Every stage on its own, in first-seen order.
std::vector<StageTiming> stageTimings(const std::vector<StageRound>& rounds);

} // namespace mimo
