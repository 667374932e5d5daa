#include "core/train/training_card.h"

#include "core/runtime.h"

namespace mimo {

ModelCard trainedCard(const TrainingRecord& record)
{
    ModelCard card;
    card.name = record.name;
    card.dataset = record.trainData + " (evaluated on " + record.testData + ")";
    card.classNames = record.classNames;
    card.trainingCommand = record.command;
    card.seed = record.seed;
    card.trainingHardware = computeBackendSummary() + ", device " + record.device;
    card.curve = record.curve;
    if (!record.curve.empty()) {
        card.trainingSeconds = record.curve.back().elapsedSeconds;
        card.testAccuracy = record.curve.back().testAccuracy;
    }
    card.projectVersion = projectVersion();
    return card;
}

} // namespace mimo
