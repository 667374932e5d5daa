#pragma once
// What a running training reports and returns, shared by `mimo train conv` and `train former`.
// Plain data.
#include "core/model/model_card.h"

#include <cstdint>
#include <functional>
#include <string>

namespace mimo {

struct TrainProgress {
    double epoch = 0.0;
    int64_t step = 0;
    int64_t totalSteps = 0;
    double loss = 0.0;       // running mean of the recent steps
    double learningRate = 0.0;
    double imagesPerSecond = 0.0; // training inputs (images or sequences) per second
    double elapsedSeconds = 0.0;
    double etaSeconds = 0.0;
    int64_t skippedSteps = 0;
    std::string message;     // set for events: checkpoint written, curve point, resume
    bool eventOnly = false;  // a message without a training step behind it (resume)
};

struct TrainResult {
    std::string modelPath;
    ModelCard card;
    bool cancelled = false;  // stopped early; the checkpoint allows resuming
};

using TrainCallback = std::function<void(const TrainProgress&)>;

} // namespace mimo
