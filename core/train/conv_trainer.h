#pragma once
// `mimo train conv`: the official MIMOConv recipe (docs/mimonets.md 2.8-2.10) as plain configuration.
#include "core/model/conv_config.h"
#include "core/model/model_card.h"
#include "core/train/distillation_settings.h"
#include "core/train/train_progress.h"
#include "core/train/training_run.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace mimo {

struct ConvTrainConfig : TrainingRun {
    ConvTrainConfig()
    {
        trainData = "fashion-mnist:train";
        testData = "fashion-mnist:test";
        curveEvalLimit = 2000;
    }

    MimoConvConfig architecture;
    double epochs = 10;              // official epochs: N_cap passes over the data each
    int batch = 128;                 // superposed samples per step (the loader takes batch*N_cap images)
    double maxLr = 0.2;
    double weightDecay = 1e-5;       // not on PReLU slopes
    double mixupAlpha = 1.0;         // 0 disables mixup
    double bindingRegularisation = 0.1;
    double isometryRegularisation = 1e-4;
    int isometryEvery = 1;           // the penalty (float64 self-convolutions) is costly on CPU:
                                     // apply it every k-th step, scaled by k; 1 is the official recipe
    double gradientSkipRatio = 10.0; // skip a batch whose gradient norm exceeds this x last epoch's mean; 0 disables
    double clipNorm = 1e3;
    int lowN = 0;                    // dynamic training: this N with probability 1 - fastFraction; 0 = static
    double fastFraction = 0.8;
    int cropPadding = 4;             // random crop after padding by this many pixels (0 disables)
    bool reflectPadding = true;      // reflect (the official CIFAR setting) or zero padding
    bool horizontalFlip = true;
    uint64_t seed = 1;
    double evalEveryEpochs = 1.0;    // learning-curve points
    bool channelsLast = false;       // image batches in channels-last memory (the convolutions keep it)
    DistillationSettings distillation; // a teacher's soft targets in the loss (distillation.h); off by default
};

TrainResult trainConv(const ConvTrainConfig& config, TrainCallback callback = {},
                      const std::atomic<bool>* cancel = nullptr);

} // namespace mimo
