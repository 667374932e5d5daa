#include "core/train/training_run.h"

#include "core/errors.h"

namespace mimo {

void TrainingRun::validate() const
{
    if (output.empty())
        throw Error("train: an output model file is required (--out)");
}

} // namespace mimo
