#include "core/eval/time_left.h"

namespace mimo {

void TimeLeft::modelStarted(double now)
{
    modelStart_ = now;
    lastBatchAt_ = -1.0;
    lastDone_ = 0;
    modelItemSeconds_ = 0.0;
    modelItems_ = 0.0;
}

void TimeLeft::batchDone(double now, std::size_t doneItems, std::size_t totalItems)
{
    total_ = totalItems;
    if (lastBatchAt_ < 0.0) {
        setupSeconds_ += now - modelStart_;
        ++setups_;
        firstBatchItems_ = doneItems;
    } else if (doneItems > lastDone_) {
        const double items = double(doneItems - lastDone_);
        modelItemSeconds_ += now - lastBatchAt_;
        modelItems_ += items;
        allItemSeconds_ += now - lastBatchAt_;
        allItems_ += items;
    }
    lastBatchAt_ = now;
    lastDone_ = doneItems;
}

double TimeLeft::secondsLeft(std::size_t modelsAfter) const
{
    if (modelItems_ <= 0.0 || allItems_ <= 0.0)
        return -1.0;
    const double current = double(total_ - lastDone_) * modelItemSeconds_ / modelItems_;
    const double later = double(modelsAfter) * (setupSeconds_ / setups_
                                               + double(total_ - firstBatchItems_) * allItemSeconds_ / allItems_);
    return current + later;
}

} // namespace mimo
