#pragma once
// The time a run of several models still needs, from the rates its work has gone at: seconds
// per item measured between batches (so loading a model, its warm-up and its first batch are
// timed apart, as a setup cost per model), not elapsed time over the fraction done, which
// counted those start-up costs again for all the work left (one run said "about 0:48 left"
// five seconds before it ended).
#include <cstddef>

namespace mimo {

class TimeLeft {
public:
    void modelStarted(double now);                                      // loading begins
    void batchDone(double now, std::size_t doneItems, std::size_t totalItems); // in the current model
    // Seconds until the current model and `modelsAfter` more like it are done; negative until
    // the current model has timed two batches.
    double secondsLeft(std::size_t modelsAfter) const;

private:
    double modelStart_ = 0.0;
    double lastBatchAt_ = -1.0;    // < 0: no batch of this model yet
    std::size_t lastDone_ = 0;
    std::size_t firstBatchItems_ = 0;
    std::size_t total_ = 0;
    double modelItemSeconds_ = 0.0; // this model, between its batches
    double modelItems_ = 0.0;
    double allItemSeconds_ = 0.0;   // every model so far
    double allItems_ = 0.0;
    double setupSeconds_ = 0.0;     // load, warm-up and first batch, summed over models
    int setups_ = 0;
};

} // namespace mimo
