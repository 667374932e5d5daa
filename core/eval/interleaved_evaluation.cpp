#include "core/eval/interleaved_evaluation.h"

#include "core/errors.h"
#include "core/model/torch_device.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
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
    std::vector<double> seconds(config.ns.size(), 0.0);
    std::vector<std::vector<std::size_t>> classCorrect(config.ns.size(), std::vector<std::size_t>(classes));
    std::vector<std::size_t> classCount(classes, 0);
    for (int n : config.ns) {
        EvalRow row;
        row.n = n;
        report.rows.push_back(row);
    }

    for (std::size_t start = 0; start < total; start += size_t(batch)) {
        if (cancel && cancel->load()) {
            report.cancelled = true;
            break;
        }
        const std::size_t real = std::min<std::size_t>(size_t(batch), total - start);
        std::vector<std::size_t> indices(real);
        std::vector<int64_t> labels(real);
        for (std::size_t i = 0; i < real; ++i) {
            indices[i] = start + i;
            labels[i] = data.label(indices[i]);
            if (labels[i] >= 0 && size_t(labels[i]) < classes)
                ++classCount[size_t(labels[i])];
        }
        std::size_t padded = real;
        while (padded % size_t(common) != 0)
            indices.push_back((padded++ - real) % data.size());
        const auto inputs = model.inputs(indices);

        for (size_t k = 0; k < config.ns.size(); ++k) {
            synchronizeDevice(model.device);
            const auto begin = std::chrono::steady_clock::now();
            const auto logits = model.logits(inputs, config.ns[k]);
            synchronizeDevice(model.device);
            seconds[k] += std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
            const auto predicted = logits.argmax(1).to(torch::kCPU).narrow(0, 0, int64_t(real)).contiguous();
            const auto* p = predicted.data_ptr<int64_t>();
            auto& row = report.rows[k];
            for (std::size_t i = 0; i < real; ++i) {
                ++row.count;
                if (p[i] == labels[i]) {
                    ++row.correct;
                    ++classCorrect[k][size_t(labels[i])];
                }
            }
        }
        for (size_t k = 0; k < config.ns.size(); ++k) {
            auto& row = report.rows[k];
            row.accuracy = double(row.correct) / double(row.count);
            std::tie(row.ciLow, row.ciHigh) = wilsonInterval(row.correct, row.count);
            row.inputsPerSecond = seconds[k] > 0 ? double(row.count) / seconds[k] : 0.0;
            row.perClassAccuracy.assign(classes, 0.0);
            for (size_t c = 0; c < classes; ++c)
                row.perClassAccuracy[c] = classCount[c] ? double(classCorrect[k][c]) / double(classCount[c]) : 0.0;
        }
        const auto slowest = std::min_element(report.rows.begin(), report.rows.end(),
                                              [](const EvalRow& a, const EvalRow& b) { return a.n < b.n; });
        for (auto& row : report.rows)
            row.speedup = slowest->inputsPerSecond > 0 ? row.inputsPerSecond / slowest->inputsPerSecond : 0.0;
        if (progress)
            progress(report, start + real, total);
    }
    return report;
}

} // namespace mimo
