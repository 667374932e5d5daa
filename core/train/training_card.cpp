#include "core/train/training_card.h"

#include "core/runtime.h"

#include <algorithm>

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

void recordGroups(ModelCard& card, const EvalReport& finalEvaluation)
{
    card.groupKind = finalEvaluation.groupKind;
    card.testAccuracyByGroup.clear();
    for (const EvalRow& row : finalEvaluation.rows)
        for (const GroupAccuracy& group : row.perGroup) {
            auto record = std::find_if(card.testAccuracyByGroup.begin(), card.testAccuracyByGroup.end(),
                                       [&](const GroupAccuracyRecord& r) { return r.group == group.group; });
            if (record == card.testAccuracyByGroup.end())
                record = card.testAccuracyByGroup.insert(card.testAccuracyByGroup.end(),
                                                         GroupAccuracyRecord{group.group, group.count, {}});
            if (group.count > 0)
                record->accuracy[row.n] = double(group.correct) / double(group.count);
        }
}

} // namespace mimo
