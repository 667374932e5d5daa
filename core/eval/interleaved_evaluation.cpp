#include "core/eval/interleaved_evaluation.h"

#include "core/adaptive_threads.h"
#include "core/cpu_load.h"
#include "core/errors.h"
#include "core/eval/eval_counts.h"
#include "core/eval/eval_shards.h"
#include "core/eval/readable_inputs.h"
#include "core/eval/round_statistics.h"
#include "core/model/torch_device.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <numeric>

namespace mimo {

std::pair<double, double> wilsonInterval(std::size_t correct, std::size_t count, double z)
{
    if (count == 0)
        return {0.0, 1.0};
    const double n = static_cast<double>(count);
    const double p = static_cast<double>(correct) / n;
    const double denominator = 1.0 + z * z / n;
    const double centre = (p + z * z / (2.0 * n)) / denominator;
    const double half = z * std::sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n)) / denominator;
    return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

EvalReport evaluateInterleaved(const Dataset& data, const EvalConfig& config, const InterleavedModel& model,
                               EvalProgress progress, const std::atomic<bool>* cancel)
{
    if (config.ns.empty())
        throw Error("evaluation: no N values given");
    int common = 1;
    for (int n : config.ns) {
        if (n < 1)
            throw Error("evaluation: N must be at least 1 (got " + std::to_string(n) + ")");
        common = std::lcm(common, n);
    }
    const int batch = std::max(common, config.batch - config.batch % common);
    const std::size_t total = config.limit ? std::min(config.limit, data.size()) : data.size();
    if (total == 0)
        throw Error(data.name() + ": nothing to evaluate (empty dataset)");
    const auto classes = static_cast<std::size_t>(model.numClasses);
    torch::InferenceMode inference;

    EvalReport report;
    report.data = data.name();
    report.device = model.device.str();
    const std::size_t kinds = config.ns.size();
    const std::size_t base = size_t(std::min_element(config.ns.begin(), config.ns.end()) - config.ns.begin());
    std::vector<std::vector<double>> roundRates(kinds);  // inputs per second, one per batch
    std::vector<std::vector<double>> roundRatios(kinds); // over the smallest N on the same batch
    EvalCounts counts(kinds, classes);
    report.groupKind = data.groupKind();
    EvalShards* shards = config.shards && config.shards->size() > 1 ? config.shards : nullptr;
    for (int n : config.ns) {
        EvalRow row;
        row.n = n;
        report.rows.push_back(row);
    }
    const CpuLoadProbe load;

    bool warmedUp = false;
    // In a group, a rank whose batch fails still joins the others' sums, so that none waits.
    std::exception_ptr failure;
    try {
        for (std::size_t start = 0, round = 0, index = 0; start < total; start += size_t(batch), ++index) {
            if (shards && int(index % size_t(shards->size())) != shards->rank())
                continue; // another rank's batch: the same batches as one process, so the same groups
            if (cancel && cancel->load()) {
                report.cancelled = true;
                break;
            }
            std::vector<std::size_t> asked(std::min<std::size_t>(size_t(batch), total - start));
            std::iota(asked.begin(), asked.end(), start);
            ReadableInputs readable = readableInputs(data, asked, model.inputs, report.unreadable);
            if (readable.items.empty()) { // every item of this batch is unreadable
                if (progress)
                    progress(report, start + asked.size(), total);
                continue;
            }
            const std::size_t real = readable.items.size();
            std::vector<int64_t> labels(real);
            std::vector<int> itemGroups(real, -1);
            for (std::size_t i = 0; i < real; ++i) {
                labels[i] = data.label(readable.items[i]);
                if (!report.groupKind.empty())
                    itemGroups[i] = data.group(readable.items[i]);
                if (labels[i] >= 0 && size_t(labels[i]) < classes)
                    ++counts.classCount[size_t(labels[i])];
            }
            const std::size_t padded = (real + size_t(common) - 1) / size_t(common) * size_t(common);
            const auto inputs = repeatRows(readable.inputs, padded);
            adaptThreadsToLoad(); // once per round, so every N of a round runs with the same threads
            // The first pass of each N pays for allocations and kernel selection; timing it made
            // the first live point of a curve up to 3x off (an N=4 "speedup" of 14x).
            if (!warmedUp)
                for (int n : config.ns)
                    model.logits(inputs, n);
            warmedUp = true;

            std::vector<double> seconds(kinds, 0.0);
            for (size_t step = 0; step < kinds; ++step) {
                const size_t k = (step + round) % kinds; // rotated, so no N always runs first
                synchronizeDevice(model.device);
                const auto begin = std::chrono::steady_clock::now();
                const auto logits = model.logits(inputs, config.ns[k]);
                synchronizeDevice(model.device);
                seconds[k] = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
                const auto predicted = logits.argmax(1).to(torch::kCPU).narrow(0, 0, int64_t(real)).contiguous();
                const auto* p = predicted.data_ptr<int64_t>();
                auto& row = report.rows[k];
                for (std::size_t i = 0; i < real; ++i) {
                    const bool right = p[i] == labels[i];
                    ++row.count;
                    if (right) {
                        ++row.correct;
                        ++counts.classCorrect[k][size_t(labels[i])];
                    }
                    if (itemGroups[i] >= 0) {
                        GroupAccuracy& group = counts.groups[k][itemGroups[i]];
                        group.group = itemGroups[i];
                        ++group.count;
                        group.correct += right ? 1 : 0;
                    }
                }
            }
            for (size_t k = 0; k < kinds; ++k) {
                roundRates[k].push_back(seconds[k] > 0 ? double(padded) / seconds[k] : 0.0);
                roundRatios[k].push_back(seconds[k] > 0 ? seconds[base] / seconds[k] : 0.0);
            }
            for (size_t k = 0; k < kinds; ++k) {
                auto& row = report.rows[k];
                row.rounds = int(roundRates[k].size());
                row.inputsPerSecond = median(roundRates[k]);
                std::tie(row.inputsPerSecondLow, row.inputsPerSecondHigh) =
                    spreadAround(roundRates[k], row.inputsPerSecond);
            }
            fillAccuracy(report, counts);
            // As `mimo bench`: the ratio of median throughputs, with the per-round ratios as spread.
            const double reference = report.rows[base].inputsPerSecond;
            for (size_t k = 0; k < kinds; ++k) {
                auto& row = report.rows[k];
                row.speedup = reference > 0 ? row.inputsPerSecond / reference : 0.0;
                std::tie(row.speedupLow, row.speedupHigh) = spreadAround(roundRatios[k], row.speedup);
            }
            report.otherProcessesCores = load.otherProcessesCores();
            ++round;
            if (progress)
                progress(report, start + asked.size(), total);
        }
    } catch (...) {
        if (!shards)
            throw;
        failure = std::current_exception();
    }
    // Every rank, cancelled, failed or not: none waits in vain.
    if (shards && combineShards(*shards, report, counts, bool(failure))) {
        if (failure)
            std::rethrow_exception(failure);
        throw Error("evaluation: another rank of the group failed on this model (its own message says why)");
    }
    if (!report.cancelled && report.rows[base].count == 0)
        throwNothingReadable(data, total, report.unreadable);
    return report;
}

} // namespace mimo
