#pragma once
// Summaries of timed rounds shared by `mimo bench` and the interleaved evaluation, so a speed
// shown anywhere is the same statistic: the median of rounds, with their min-max as its spread.
#include <utility>
#include <vector>

namespace mimo {

double median(std::vector<double> values); // 0 for none

// {min, max} of `values`, widened to include `centre` so whiskers always enclose their point.
std::pair<double, double> spreadAround(const std::vector<double>& values, double centre);

} // namespace mimo
