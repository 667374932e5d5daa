#include "core/eval/benchmark.h"

#include "core/errors.h"
#include "core/model/mimo_conv.h"
#include "core/model/model_file.h"
#include "core/model/torch_device.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>

namespace mimo {
namespace {

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const size_t mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
}

BenchReport run(MimoConv model, const std::string& description, const BenchConfig& bench, const BenchProgress& progress)
{
    if (bench.ns.empty())
        throw Error("bench: no N values given");
    if (bench.batch < 1 || bench.rounds < 1 || bench.warmup < 0)
        throw Error("bench: batch and rounds must be at least 1");
    const auto& config = model->config();
    for (int n : bench.ns) {
        if (!config.supportsN(n))
            throw Error("bench: " + config.describe() + " cannot serve N=" + std::to_string(n) +
                        " (N must divide N_cap=" + std::to_string(config.capacity) + ")");
        if (bench.batch % n != 0)
            throw Error("bench: batch " + std::to_string(bench.batch) + " is not a multiple of N=" + std::to_string(n));
    }
    if (bench.threads > 0)
        torch::set_num_threads(bench.threads);
    const auto device = torchDevice(bench.device);
    model->to(device);
    model->eval();
    torch::InferenceMode inference;
    const auto input = torch::randn({bench.batch, config.input.channels, config.input.height, config.input.width},
                                    torch::TensorOptions().device(device));

    BenchReport report;
    report.model = description;
    report.device = device.str();
    report.threads = torch::get_num_threads();
    report.parameters = parameterCount(*model);
    report.rows.resize(bench.ns.size());
    for (size_t i = 0; i < bench.ns.size(); ++i)
        report.rows[i].n = bench.ns[i];

    const auto timeOnce = [&](int n) {
        synchronizeDevice(device);
        const auto start = std::chrono::steady_clock::now();
        const auto logits = model->forward(input, n);
        synchronizeDevice(device);
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    for (int w = 0; w < bench.warmup; ++w)
        for (int n : bench.ns)
            timeOnce(n);
    for (int r = 0; r < bench.rounds; ++r) {
        for (size_t i = 0; i < bench.ns.size(); ++i)
            report.rows[i].roundSeconds.push_back(timeOnce(bench.ns[i]));
        if (progress)
            progress("round " + std::to_string(r + 1) + "/" + std::to_string(bench.rounds));
    }
    const auto baseline = std::min_element(report.rows.begin(), report.rows.end(),
                                           [](const BenchRow& a, const BenchRow& b) { return a.n < b.n; });
    for (auto& row : report.rows) {
        row.medianSeconds = median(row.roundSeconds);
        row.inputsPerSecond = bench.batch / row.medianSeconds;
    }
    for (auto& row : report.rows)
        row.speedup = row.inputsPerSecond / baseline->inputsPerSecond;
    return report;
}

} // namespace

BenchReport benchmarkArchitecture(const MimoConvConfig& config, const BenchConfig& bench, BenchProgress progress)
{
    torch::manual_seed(0);
    return run(MimoConv(config), config.describe() + ", random weights", bench, progress);
}

BenchReport benchmarkModelFile(const std::string& path, const BenchConfig& bench, BenchProgress progress)
{
    auto loaded = loadConvModel(path);
    return run(loaded.model, path, bench, progress);
}

} // namespace mimo
