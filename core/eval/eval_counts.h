#pragma once
// What an evaluation counts per N (right answers overall, per class, per group of the data) and
// the accuracies derived from the counts; summing the counts of the ranks that shared an
// evaluation (EvalShards). Plain data.
#include "core/eval/evaluation.h"

#include <cstddef>
#include <map>
#include <vector>

namespace mimo {

class EvalShards;

struct EvalCounts {
    std::vector<std::size_t> classCount;                // items per class (the same for every N)
    std::vector<std::vector<std::size_t>> classCorrect; // per N (the report's rows), per class
    std::vector<std::map<int, GroupAccuracy>> groups;   // per N, by group

    EvalCounts(std::size_t kinds, std::size_t classes)
        : classCount(classes, 0), classCorrect(kinds, std::vector<std::size_t>(classes, 0)), groups(kinds)
    {
    }
};

// Each row's accuracy, Wilson interval, per-class and per-group accuracy from its counts.
void fillAccuracy(EvalReport& report, const EvalCounts& counts);

// Sums the rows' counts, `counts` and the unreadable items over the group, on every rank, then
// fills the accuracies; `cancelled` when any rank was. Every rank of the group must call it,
// also one whose evaluation failed (`failedHere`): then nothing is summed and every rank gets
// true (the evaluation failed somewhere), so all of them stop alike.
bool combineShards(EvalShards& shards, EvalReport& report, EvalCounts& counts, bool failedHere = false);

} // namespace mimo
