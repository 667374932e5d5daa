#pragma once
// Throughput per N, measured interleaved in one run (N=1, 2, 4, N=1, 2, 4, ...) after a
// warm-up, so machine noise hits every N alike; speedups are ratios to N=1 in the same run.
#include "core/model/precision.h"
#include "core/model/conv_config.h"
#include "core/model/former_config.h"

#include <functional>
#include <utility>
#include <string>
#include <vector>

namespace mimo {

struct BenchConfig {
    std::vector<int> ns{1, 2, 4};
    int batch = 128;     // input images per forward pass, for every N
    int rounds = 5;      // timed passes per N
    int warmup = 1;      // untimed passes per N
    std::string device = "cpu";
    int threads = 0;     // 0: keep the process setting
    int length = 0;      // sequence models: tokens per sequence (0: the model's maximum length)
    Precision precision = Precision::Fp32; // mixed precision (autocast) of the timed passes
    bool channelsLast = false; // MIMOConv: the input batch in channels-last memory
    bool breakdown = false; // also time each stage of the forward pass (extra rounds, device synchronised per stage)
};

struct BenchRow {
    int n = 0;                     // inputs per superposition
    std::string label;             // how the row computes, e.g. "N=4" or "M=N=2"
    double medianSeconds = 0.0;    // per batch
    double inputsPerSecond = 0.0;  // batch / median
    double speedup = 0.0;          // inputsPerSecond / that of N=1 (or of the smallest N run)
    double speedupLow = 0.0, speedupHigh = 0.0; // the same ratio round by round: its min-max
    std::vector<double> roundSeconds;
    std::vector<std::pair<std::string, double>> stageSeconds; // per batch, when breakdown was asked for
};

struct BenchReport {
    std::string model;   // file or architecture description
    std::string device;
    std::string precision = "fp32";
    bool channelsLast = false;
    int threads = 0;     // the most CPU threads a round used (fewer while other programs kept cores busy)
    int64_t parameters = 0;
    std::vector<BenchRow> rows;
};

using BenchProgress = std::function<void(const std::string&)>;

// Random weights: measures speed without a trained model.
BenchReport benchmarkArchitecture(const MimoConvConfig& config, const BenchConfig& bench, BenchProgress progress = {});
BenchReport benchmarkArchitecture(const MimoFormerConfig& config, const BenchConfig& bench, BenchProgress progress = {});
// Either family, as the file says.
BenchReport benchmarkModelFile(const std::string& path, const BenchConfig& bench, BenchProgress progress = {});

// The attention kernel alone (docs/mimonets.md 3.6): Performer FAVOR+ on every sequence against MIMOFormer
// "att." on M x M grids (grids {1, 2, 4}: 1 is the Performer), for random q, k, v of `length`
// positions; bench.batch sequences per pass (a multiple of every M*M).
BenchReport benchmarkAttentionCore(const std::vector<int>& grids, int length, int heads, int headDim, int features,
                                   const BenchConfig& bench, BenchProgress progress = {});

} // namespace mimo
