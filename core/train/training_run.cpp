#include "core/train/training_run.h"

#include "core/data/dataset.h"
#include "core/errors.h"

namespace mimo {

void TrainingRun::validate() const
{
    if (output.empty())
        throw Error("train: an output model file is required (--out)");
}

void requireClassifierCovers(const Dataset& data, int64_t numClasses)
{
    if (int64_t(data.classNames().size()) > numClasses)
        throw Error("train: " + data.name() + " has " + std::to_string(data.classNames().size()) +
                    " classes but the architecture's classifier has " + std::to_string(numClasses) + " (--classes)");
}

} // namespace mimo
