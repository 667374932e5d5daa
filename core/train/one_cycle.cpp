#include "core/train/one_cycle.h"

#include <algorithm>
#include <cmath>

namespace mimo {
namespace {

double annealed(OneCycle::Anneal anneal, double start, double end, double fraction)
{
    if (anneal == OneCycle::Anneal::Linear)
        return start + (end - start) * fraction;
    return end + (start - end) / 2.0 * (1.0 + std::cos(M_PI * fraction));
}

} // namespace

double OneCycle::phase(int64_t step, double startValue, double peakValue, double endValue) const
{
    // Phase ends as PyTorch computes them: pct*total - 1, then total - 1.
    const double warmEnd = pctStart * static_cast<double>(totalSteps) - 1.0;
    const double lastStep = static_cast<double>(totalSteps) - 1.0;
    const double s = static_cast<double>(std::clamp<int64_t>(step, 0, totalSteps - 1));
    if (s <= warmEnd)
        return annealed(anneal, startValue, peakValue, warmEnd > 0 ? s / warmEnd : 1.0);
    return annealed(anneal, peakValue, endValue, lastStep > warmEnd ? (s - warmEnd) / (lastStep - warmEnd) : 1.0);
}

double OneCycle::learningRate(int64_t step) const
{
    const double initial = maxLr / divFactor;
    return phase(step, initial, maxLr, initial / finalDivFactor);
}

double OneCycle::momentum(int64_t step) const { return phase(step, maxMomentum, baseMomentum, maxMomentum); }

} // namespace mimo
