#include "core/eval/round_statistics.h"

#include <algorithm>

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

} // namespace mimo
