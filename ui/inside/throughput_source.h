#pragma once
// Where the accuracy-throughput curves come from, for the line above them: this tab's live
// run or the batch evaluation, with what was run; and the comparisons that tell whether the
// tab's controls still describe that run.
#include "core/explore/batch_evaluation.h"

#include <QString>

class QListWidget;

namespace throughput_source {

enum class Kind { None, Live, Batch };

// "Plotted: the live run started here (1 model, N = 1, 2, 4, on fashion-mnist:test)." and, when
// `controlsMatch` is false, a sentence saying the controls were changed since.
QString describe(Kind kind, const mimo::BatchConfig& plotted, bool hasPoints, bool controlsMatch);

// The same evaluation as far as the tab's controls go: the models (in any order), the dataset,
// the N values, the limit and the batch size.
bool sameRun(const mimo::BatchConfig& a, const mimo::BatchConfig& b);

// Checks exactly `models` in a list of checkable model entries (path in Qt::UserRole), adding
// an entry for a model the list does not hold.
void checkModels(QListWidget* list, const std::vector<std::string>& models);

} // namespace throughput_source
