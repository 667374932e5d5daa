#pragma once
// The loop every training shares (`mimo train conv` and `train former`): the OneCycle
// schedule, a data order that depends only on the seed and the pass (so a resumed run sees the
// batches the uninterrupted one would have), checkpoints with resume, a learning-curve point
// every k steps, progress, and the final evaluation. What one step does, how the model is
// evaluated and what else a checkpoint keeps are the model's: TrainingSteps. torch header:
// core .cpp files only.
#include "core/data/unreadable_items.h"
#include "core/distributed/process_group.h"
#include "core/eval/evaluation.h"
#include "core/model/model_card.h"
#include "core/train/one_cycle.h"
#include "core/train/train_progress.h"
#include "core/train/training_run.h"
#include "core/train/training_card.h"

#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mimo {

// The model's part of a training. The hooks may capture the trainer's locals by reference: the
// loop calls them only while the trainer runs.
struct TrainingSteps {
    // The learning rate and momentum (Adam's beta1) of the step about to run.
    std::function<void(double learningRate, double momentum)> setSchedule;
    // One optimizer step (`step` counts from 0) on these training items; returns its loss and
    // may set `message` to announce an event.
    std::function<double(int64_t step, const std::vector<std::size_t>& items, std::string& message)> run;
    // Evaluates on the test split (the loop then puts the model back in training mode).
    std::function<EvalReport(const EvalConfig& evaluation)> evaluate;
    // Optional: what a checkpoint keeps besides the step, the time and the curve (the fields of
    // one JSON object), and how a resume restores it; steps skipped so far, for the progress.
    std::function<nlohmann::json()> saveState;
    std::function<void(const nlohmann::json& checkpoint)> restoreState;
    std::function<int64_t()> skippedSteps;
    // Optional: the training items found unreadable so far (the run hook replaces each with a
    // readable item of its batch, inputsReplacingUnreadable); the loop announces each once.
    const UnreadableItems* unreadable = nullptr;
};

struct TrainingLoopConfig {
    OneCycle schedule;            // its totalSteps is the length of the training
    std::size_t trainItems = 0;   // the training split's size
    int64_t itemsPerStep = 1;     // over the whole group: each rank's run hook gets its share
    ProcessGroup* group = nullptr; // data-parallel: a step's items split over the ranks, the loss
                                   // averaged, a stop agreed, rank 0's buffers shared, rank 0 saves
    int64_t stepsPerPass = 1;     // every pass over the data draws a new order (from the seed)
    int64_t stepsPerEpoch = 1;    // the progress counts epochs of this many steps
    uint64_t seed = 0;
    int64_t evalEverySteps = 0;   // learning-curve points; 0: none
    std::size_t curveEvalLimit = 0;
    EvalConfig evaluation;        // N, batch and device of every evaluation (the limit is the loop's)
    bool curveByEpoch = false;    // a curve point reads "epoch 0.50: ..." (else "step 500: ...")
    std::string testItems;        // "... (first 1000 test items)"
    std::string checkpointPath;
    std::string fingerprint;      // of the configuration: a checkpoint of another one is refused
    double checkpointMinutes = 5.0;
    bool restart = false;         // ignore an existing checkpoint
};

// The group of a data-parallel training (nullptr when the run is one process) and the device of
// this rank: "cuda" is the rank's own GPU (LOCAL_RANK) in a group.
std::unique_ptr<ProcessGroup> joinTrainingGroup(const TrainingRun& run);
std::string rankDevice(const TrainingRun& run);
// What the card says about the precision: " fp32." or the mixed precision, with fp16's final
// loss scale.
class LossScaler;
std::string precisionNote(Precision precision, const LossScaler& scaler);
// What the card says about a data-parallel run; empty for one process.
std::string dataParallelNote(const ProcessGroup* group, int batch, const std::string& itemsPerRank, bool batchNorm);

// The settings every training configuration (ConvTrainConfig, FormerTrainConfig) names alike;
// `fingerprint` holds the fields only this model's configuration has.
template <class TrainConfig>
TrainingLoopConfig loopConfigFor(const TrainConfig& config, nlohmann::json fingerprint)
{
    TrainingLoopConfig loop;
    loop.schedule.maxLr = config.maxLr;
    loop.seed = config.seed;
    loop.curveEvalLimit = config.curveEvalLimit;
    loop.evaluation.device = rankDevice(config);
    loop.checkpointPath = config.checkpoint.empty() ? config.output + ".ckpt" : config.checkpoint;
    if (!config.initialWeights.empty()) // only then: the checkpoints of runs without it still resume
        fingerprint["init"] = config.initialWeights;
    fingerprint.update(nlohmann::json{{"architecture", nlohmann::json::parse(toJson(config.architecture))},
                                      {"train", config.trainData},
                                      {"batch", config.batch * std::max(1, config.distributed.worldSize)},
                                      {"lr", config.maxLr},
                                      {"wd", config.weightDecay},
                                      {"seed", config.seed}});
    loop.fingerprint = fingerprint.dump();
    loop.checkpointMinutes = config.checkpointMinutes;
    loop.restart = config.restart;
    return loop;
}

// A finished training's result: the model file and the card's common fields (trainedCard).
template <class TrainConfig>
TrainResult trainedResult(const TrainConfig& config, const std::vector<std::string>& classNames,
                          const std::string& device, const std::vector<EpochRecord>& curve)
{
    TrainResult result;
    result.modelPath = config.output;
    result.card = trainedCard({config.name.empty() ? config.architecture.describe() : config.name, config.trainData,
                               config.testData, classNames, config.command, config.seed, device, curve});
    return result;
}


class TrainingLoop {
public:
    TrainingLoop(TrainingLoopConfig config, TrainingSteps steps, torch::nn::Module& model,
                 torch::optim::Optimizer& optimizer);

    // Resumes from the checkpoint (unless told to restart), then steps to the end of the
    // schedule and saves a checkpoint. False when `cancel` stopped it first (checkpoint saved).
    bool run(const TrainCallback& callback, const std::atomic<bool>* cancel);
    // Evaluates on the whole test split as the curve's last point; returns the curve.
    const std::vector<EpochRecord>& finish();
    // The latest evaluation in full (after finish(): the whole test split's).
    const EvalReport& lastEvaluation() const { return lastEvaluation_; }
    int64_t steps() const { return step_; }

private:
    void save();
    bool resume();
    void joinGroupState();
    std::vector<std::size_t> itemsOf(int64_t step);
    std::string curvePoint(double epoch);
    std::map<int, double> accuracy(std::size_t limit, Precision precision);
    std::string newlyUnreadable();

    using Clock = std::chrono::steady_clock;
    TrainingLoopConfig config_;
    TrainingSteps steps_;
    torch::nn::Module& model_;
    torch::optim::Optimizer& optimizer_;
    int64_t step_ = 0;
    double elapsedSeconds_ = 0.0; // at the end of the latest step, over all sessions
    double lossMean_ = 0.0, lossWeight_ = 0.0;
    std::vector<EpochRecord> curve_;
    torch::Tensor order_;         // the data order of pass orderPass_
    int64_t orderPass_ = -1;
    std::size_t trainUnreadableShown_ = 0; // of *steps_.unreadable, announced already
    UnreadableItems testUnreadable_;       // found by the curve's evaluations
    std::string testUnreadableNews_;       // of the latest evaluation, not yet announced
    EvalReport lastEvaluation_;
};

// Trains from the model's training mode to the end of the schedule and returns the finished
// run's result (trainedResult); nothing when `cancel` stopped it first (the checkpoint keeps it).
template <class TrainConfig>
std::optional<TrainResult> trainToEnd(TrainingLoop& training, torch::nn::Module& model, const TrainConfig& config,
                                      const std::vector<std::string>& classNames, const std::string& device,
                                      const TrainCallback& callback, const std::atomic<bool>* cancel)
{
    model.train();
    if (!training.run(callback, cancel))
        return std::nullopt;
    TrainResult result = trainedResult(config, classNames, device, training.finish());
    recordGroups(result.card, training.lastEvaluation());
    return result;
}

} // namespace mimo
