#include "core/eval/benchmark.h"

#include "core/adaptive_threads.h"
#include "core/errors.h"
#include "core/eval/round_statistics.h"
#include "core/model/mimo_conv.h"
#include "core/model/mimo_former.h"
#include "core/model/model_file.h"
#include "core/model/autocast_scope.h"
#include "core/model/torch_device.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <tuple>

namespace mimo {
namespace {

void checkBench(const BenchConfig& bench)
{
    if (bench.ns.empty())
        throw Error("bench: no N values given");
    for (int n : bench.ns)
        if (n < 1)
            throw Error("bench: N must be at least 1 (got " + std::to_string(n) + ")");
    if (bench.batch < 1 || bench.rounds < 1 || bench.warmup < 0)
        throw Error("bench: batch and rounds must be at least 1");
    for (int n : bench.ns)
        if (bench.batch % n != 0)
            throw Error("bench: batch " + std::to_string(bench.batch) + " is not a multiple of N=" + std::to_string(n));
    if (bench.threads > 0) {
        torch::set_num_threads(bench.threads);
        setThreadCeiling(bench.threads, true); // a count asked for is kept, busy machine or not
    }
}

// Every N once per round, rounds interleaved after the warm-up, medians and ratios to the
// smallest N: the one timing discipline of every benchmark.
void timeInterleaved(BenchReport& report, const BenchConfig& bench, const torch::Device& device,
                     const std::function<void(int n, StageClock* clock)>& pass, const BenchProgress& progress)
{
    report.device = device.str();
    report.threads = torch::get_num_threads();
    report.rows.resize(bench.ns.size());
    for (size_t i = 0; i < bench.ns.size(); ++i) {
        report.rows[i].n = bench.ns[i];
        if (report.rows[i].label.empty())
            report.rows[i].label = "N=" + std::to_string(bench.ns[i]);
    }
    const auto timeOnce = [&](int n) {
        synchronizeDevice(device);
        const auto start = std::chrono::steady_clock::now();
        pass(n, nullptr);
        synchronizeDevice(device);
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    for (int w = 0; w < bench.warmup; ++w)
        for (int n : bench.ns)
            timeOnce(n);
    for (int r = 0; r < bench.rounds; ++r) {
        adaptThreadsToLoad(); // once per round, so every N of a round runs with the same threads
        report.threads = std::max(report.threads, torch::get_num_threads());
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
    const double reference = baseline->inputsPerSecond;
    for (auto& row : report.rows) {
        row.speedup = row.inputsPerSecond / reference;
        std::vector<double> ratios;
        for (size_t r = 0; r < row.roundSeconds.size(); ++r)
            ratios.push_back(baseline->roundSeconds[r] / row.roundSeconds[r]);
        std::tie(row.speedupLow, row.speedupHigh) = spreadAround(ratios, row.speedup);
    }
    if (!bench.breakdown)
        return;
    // Separate rounds: synchronising at every stage would distort the throughput above. Each
    // stage gets the median of its rounds, as the explorer's pipeline view shows it.
    std::vector<std::vector<StageRound>> rounds(bench.ns.size());
    for (int r = 0; r < bench.rounds; ++r)
        for (size_t i = 0; i < bench.ns.size(); ++i) {
            StageClock clock([&device] { synchronizeDevice(device); });
            pass(bench.ns[i], &clock);
            rounds[i].push_back(clock.totals());
        }
    for (size_t i = 0; i < bench.ns.size(); ++i)
        for (const auto& timing : stageTimings(rounds[i]))
            report.rows[i].stageSeconds.emplace_back(timing.stages.front(), timing.seconds);
    if (progress)
        progress("stage breakdown done");
}

BenchReport runConv(MimoConv model, const std::string& description, const BenchConfig& bench,
                    const BenchProgress& progress)
{
    checkBench(bench);
    const auto& config = model->config();
    for (int n : bench.ns)
        if (!config.supportsN(n))
            throw Error("bench: " + config.describe() + " cannot serve N=" + std::to_string(n) +
                        " (N must divide N_cap=" + std::to_string(config.capacity) + ")");
    const auto device = torchDevice(bench.device);
    model->to(device);
    model->eval();
    torch::InferenceMode inference;
    checkPrecisionOn(bench.precision, bench.device);
    const auto input = inLayout(torch::randn({bench.batch, config.input.channels, config.input.height, config.input.width},
                                             torch::TensorOptions().device(device)),
                                bench.channelsLast);
    BenchReport report;
    report.model = description;
    report.precision = precisionName(bench.precision);
    report.channelsLast = bench.channelsLast;
    report.parameters = parameterCount(*model);
    timeInterleaved(
        report, bench, device,
        [&](int n, StageClock* clock) {
            ConvForwardOptions options;
            options.n = n;
            options.clock = clock;
            const AutocastScope autocast(bench.precision, device);
            model->forward(input, options);
        },
        progress);
    return report;
}

BenchReport runFormer(MimoFormer model, const std::string& description, const BenchConfig& bench,
                      const BenchProgress& progress)
{
    checkBench(bench);
    const auto& config = model->config();
    std::vector<std::pair<int, int>> grids;
    for (int n : bench.ns)
        grids.push_back(config.gridFor(n)); // throws for an N the model cannot serve
    const int length = bench.length > 0 ? bench.length : config.maxLength;
    if (length > config.maxLength)
        throw Error("bench: " + config.describe() + " reads at most " + std::to_string(config.maxLength) + " tokens");
    const auto device = torchDevice(bench.device);
    model->to(device);
    model->eval();
    torch::InferenceMode inference;
    auto generator = at::make_generator<at::CPUGeneratorImpl>(7);
    const auto tokens = torch::randint(1, config.vocabularySize, {bench.batch, length}, generator, torch::kLong).to(device);
    checkPrecisionOn(bench.precision, bench.device);
    BenchReport report;
    report.model = description + ", " + std::to_string(length) + " tokens";
    report.precision = precisionName(bench.precision);
    report.parameters = parameterCount(*model);
    for (size_t i = 0; i < grids.size(); ++i) {
        BenchRow row;
        row.label = "M=" + std::to_string(grids[i].first) + " N=" + std::to_string(grids[i].second);
        report.rows.push_back(row);
    }
    timeInterleaved(
        report, bench, device,
        [&](int n, StageClock* clock) {
            FormerForwardOptions options;
            options.grid = config.gridFor(n);
            options.clock = clock;
            const AutocastScope autocast(bench.precision, device);
            model->forward(tokens, options);
        },
        progress);
    return report;
}

} // namespace

BenchReport benchmarkArchitecture(const MimoConvConfig& config, const BenchConfig& bench, BenchProgress progress)
{
    torch::manual_seed(0);
    return runConv(MimoConv(config), config.describe() + ", random weights", bench, progress);
}

BenchReport benchmarkArchitecture(const MimoFormerConfig& config, const BenchConfig& bench, BenchProgress progress)
{
    torch::manual_seed(0);
    return runFormer(MimoFormer(config), config.describe() + ", random weights", bench, progress);
}

BenchReport benchmarkModelFile(const std::string& path, const BenchConfig& bench, BenchProgress progress)
{
    auto loaded = loadModel(path);
    return loaded.isConv() ? runConv(loaded.conv(), path, bench, progress)
                           : runFormer(loaded.former(), path, bench, progress);
}

BenchReport benchmarkAttentionCore(const std::vector<int>& grids, int length, int heads, int headDim, int features,
                                   const BenchConfig& bench, BenchProgress progress)
{
    BenchConfig counts = bench;
    counts.ns.clear();
    for (int m : grids) {
        if (m < 1)
            throw Error("bench: grid sizes must be at least 1");
        counts.ns.push_back(m * m);
    }
    checkBench(counts);
    if (length < 1 || heads < 1 || headDim < 1 || features < 1)
        throw Error("bench: length, heads, head dimension and features must be positive");
    const auto device = torchDevice(bench.device);
    checkPrecisionOn(bench.precision, bench.device);
    torch::InferenceMode inference;
    auto generator = at::make_generator<at::CPUGeneratorImpl>(11);
    const auto shape = std::vector<int64_t>{bench.batch, heads, length, headDim};
    const auto q = torch::randn(shape, generator, torch::kFloat).to(device);
    const auto k = torch::randn(shape, generator, torch::kFloat).to(device);
    const auto v = torch::randn(shape, generator, torch::kFloat).to(device);
    const auto mask = torch::ones({bench.batch, length}, torch::kFloat).to(device);
    const auto projection = orthogonalRandomFeatures(features, headDim, generator).to(device);
    const int largest = *std::max_element(grids.begin(), grids.end());
    const auto keys = (torch::randint(0, 2, {largest, largest, headDim}, generator, torch::kFloat) * 2 - 1).to(device);

    BenchReport report;
    report.model = "attention core: " + std::to_string(heads) + "x" + std::to_string(headDim) + " heads, R=" +
                   std::to_string(features) + ", " + std::to_string(length) + " tokens";
    report.precision = precisionName(bench.precision);
    for (int m : grids) {
        BenchRow row;
        row.label = m == 1 ? "Performer" : "M=N=" + std::to_string(m);
        report.rows.push_back(row);
    }
    timeInterleaved(
        report, counts, device,
        [&](int n, StageClock*) {
            const AutocastScope autocast(bench.precision, device);
            int m = 1;
            while (m * m < n)
                ++m;
            if (m == 1)
                performerAttention(q, k, v, mask, projection);
            else
                mimoAttention(q, k, v, mask, projection, keys.narrow(0, 0, m).narrow(1, 0, m).contiguous(), m, m);
        },
        progress);
    return report;
}

} // namespace mimo
