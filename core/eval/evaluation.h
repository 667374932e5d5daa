#pragma once
// Accuracy and throughput per N over a dataset, plain data in and out (CLI, GUI, batch jobs).
#include "core/data/dataset.h"
#include "core/data/unreadable_items.h"
#include "core/model/precision.h"

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace mimo {

class EvalShards;

struct EvalConfig {
    std::vector<int> ns{1, 2, 4};
    int batch = 256;            // images per forward pass; rounded down to a multiple of each N
    std::size_t limit = 0;      // first K items only; 0 = all
    bool batchStatisticsBn = false; // MIMOConv: the official quirk (docs/mimonets.md 2.11); default: running statistics
    std::string device = "cpu";
    Precision precision = Precision::Fp32; // mixed precision (autocast) of the forward passes
    bool channelsLast = false;  // MIMOConv: image batches in channels-last memory
    // Set: this process evaluates its rank's share of the batches and the counts are summed over
    // the group (eval_shards.h); every rank's report then counts every item, as one process's.
    EvalShards* shards = nullptr;
};

// Accuracy over the items of one group of a dataset that groups its items (Dataset::group).
struct GroupAccuracy {
    int group = 0;
    std::size_t count = 0, correct = 0;
};

struct EvalRow {
    int n = 0;
    std::size_t count = 0;
    std::size_t correct = 0;
    double accuracy = 0.0;
    double ciLow = 0.0, ciHigh = 0.0; // 95 % Wilson interval
    // Forward passes only, device synchronised, after an untimed warm-up pass of every N; the
    // median over batches ("rounds"), with the slowest and fastest round as its spread.
    double inputsPerSecond = 0.0;
    double inputsPerSecondLow = 0.0, inputsPerSecondHigh = 0.0;
    // Over the smallest N evaluated, round by round (both N on the same batch, moments apart):
    // the median of those ratios and their min-max.
    double speedup = 0.0;
    double speedupLow = 0.0, speedupHigh = 0.0;
    int rounds = 0;                   // batches timed
    std::vector<double> perClassAccuracy;
    std::vector<GroupAccuracy> perGroup; // ascending groups; empty when the data has none
};

struct EvalReport {
    std::string model;
    std::string data;
    std::string device;
    std::string groupKind; // what EvalRow::perGroup groups by ("tree depth"), or empty
    std::vector<EvalRow> rows;
    bool cancelled = false;
    // Processes that shared the evaluation (EvalConfig::shards). The counts are the group's; the
    // speed figures are this process's own batches.
    int ranks = 1;
    // Cores' worth of CPU that other processes used during the run; negative when unknown.
    double otherProcessesCores = -1.0;
    // Items of a dataset that decodes on demand that could not be read: left out of every row's
    // count and accuracy (unreadableReport tells which).
    UnreadableItems unreadable;
};

// Why a run's speed figures should be read with care, in a sentence; empty when they need none:
// a wide spread between rounds, too few rounds, or a machine busy with other work.
std::string speedCaution(const EvalReport& report);

// Called after every batch with the rows so far (for live curves and progress bars).
using EvalProgress = std::function<void(const EvalReport& partial, std::size_t done, std::size_t total)>;

// Batches are evaluated for every N in turn (interleaved), so throughput is compared under
// the same conditions. A batch that does not fill whole groups (the last one, or one with
// unreadable items left out) is completed with copies of its own first items, whose
// predictions are discarded. Unreadable items are skipped and listed in the report; when no
// item can be read, DataError names the dataset's folder.
EvalReport evaluateModelFile(const std::string& modelPath, const DatasetPtr& data, const EvalConfig& config,
                             EvalProgress progress = {}, const std::atomic<bool>* cancel = nullptr);

std::pair<double, double> wilsonInterval(std::size_t correct, std::size_t count, double z = 1.959964);

} // namespace mimo
