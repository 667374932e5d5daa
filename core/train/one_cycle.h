#pragma once
// PyTorch's OneCycleLR with its defaults (docs/mimonets.md 2.9): cosine warm-up from max/div to max over
// the first pct of the steps, cosine annealing to max/(div*final_div), and the momentum (or
// Adam's beta1) cycled the opposite way between base and max. Plain arithmetic, testable alone.
#include <cstdint>

namespace mimo {

struct OneCycle {
    enum class Anneal { Cosine, Linear }; // MIMOConv uses cosine; MIMOFormer linear (docs/mimonets.md 3.8)
    double maxLr = 0.2;
    int64_t totalSteps = 1;
    double pctStart = 0.3;
    double divFactor = 25.0;
    double finalDivFactor = 1e4;
    double baseMomentum = 0.85;
    double maxMomentum = 0.95;
    Anneal anneal = Anneal::Cosine;

    double learningRate(int64_t step) const;
    double momentum(int64_t step) const;

private:
    double phase(int64_t step, double startValue, double peakValue, double endValue) const;
};

} // namespace mimo
