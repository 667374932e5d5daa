#pragma once
// The model-card fields every training fills the same way (name, data, command, seed, time,
// hardware, accuracy per N and the learning curve, whose last point is the final evaluation).
// Plain data.
#include "core/eval/evaluation.h"
#include "core/model/model_card.h"

#include <string>
#include <vector>

namespace mimo {

struct TrainingRecord {
    std::string name;        // --name, or the architecture's description
    std::string trainData, testData;
    std::vector<std::string> classNames;
    std::string command;
    unsigned long long seed = 0;
    std::string device;      // where it trained, e.g. "cpu"
    std::vector<EpochRecord> curve; // ends with the final evaluation on the whole test split
};

ModelCard trainedCard(const TrainingRecord& record);

// The card's accuracy by group (a ListOps tree depth) from the final evaluation; nothing when
// the test data does not group its items.
void recordGroups(ModelCard& card, const EvalReport& finalEvaluation);

} // namespace mimo
