#pragma once
// `mimo train former`: the official MIMOFormer recipe (docs/mimonets.md 3.5, 3.8) as plain configuration:
// AdamW (eps 1e-6, no weight decay), OneCycle with linear annealing that also cycles beta1
// 0.95 -> 0.85 -> 0.95, the MIMO warm-up at M/2 x N/2, dropout, token 0 masked.
#include "core/model/former_config.h"
#include "core/train/train_progress.h"
#include "core/train/training_run.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace mimo {

// trainData and testData: sequence dataset SPECs (listops:FILE, pixels:..., text:FILE).
struct FormerTrainConfig : TrainingRun {
    MimoFormerConfig architecture;
    int64_t steps = 2000;            // optimizer steps
    int batch = 32;                  // sequences per step; a multiple of M*N
    double maxLr = 1e-4;
    int64_t warmupSteps = 100;       // OneCycle's rising phase (pct_start = warmup / steps)
    int64_t mimoWarmupSteps = 0;     // first steps at M/2 x N/2 ("att." only, docs/mimonets.md 3.5)
    double weightDecay = 0.0;
    uint64_t seed = 1234;
    int64_t evalEverySteps = 500;    // learning-curve points
};

TrainResult trainFormer(const FormerTrainConfig& config, TrainCallback callback = {},
                        const std::atomic<bool>* cancel = nullptr);

} // namespace mimo
