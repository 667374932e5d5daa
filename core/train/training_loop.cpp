#include "core/train/training_loop.h"

#include "core/distributed/model_sync.h"
#include "core/errors.h"
#include "core/train/checkpoint.h"
#include "core/train/loss_scaler.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mimo {

std::unique_ptr<ProcessGroup> joinTrainingGroup(const TrainingRun& run)
{
    if (!run.distributed.active())
        return nullptr;
    return std::make_unique<ProcessGroup>(run.distributed, rankDevice(run));
}

std::string rankDevice(const TrainingRun& run) { return rankDeviceName(run.distributed, run.device); }

std::string precisionNote(Precision precision, const LossScaler& scaler)
{
    switch (precision) {
    case Precision::Bf16:
        return " Mixed precision: autocast to bfloat16 (no loss scaling); the learning curve in bfloat16, the test "
               "accuracy above in float32, as the model is used.";
    case Precision::Fp16:
    {
        char scale[32];
        std::snprintf(scale, sizeof scale, "%g", scaler.scale());
        return std::string(" Mixed precision: autocast to float16, dynamic loss scaling (final scale ") + scale +
               "); the learning curve in float16, the test accuracy above in float32, as the model is used.";
    }
    case Precision::Fp32:
        break;
    }
    return " fp32.";
}

std::string dataParallelNote(const ProcessGroup* group, int batch, const std::string& itemsPerRank, bool batchNorm)
{
    if (!group || group->size() < 2)
        return {};
    const int ranks = group->size();
    return " Data-parallel over " + std::to_string(ranks) + " ranks (c10d " + group->backendName() + "): batch " +
           std::to_string(batch) + " per rank, " + std::to_string(batch * ranks) +
           " per step in all, gradients averaged over the ranks;" +
           (batchNorm ? " batch-norm statistics per rank (each over its own " + itemsPerRank +
                            "), running statistics rank 0's;"
                      : std::string()) +
           " each rank draws its own random numbers (rank 0 those of one process), the choices every rank makes"
           " alike (a step's N) are rank 0's.";
}

TrainingLoop::TrainingLoop(TrainingLoopConfig config, TrainingSteps steps, torch::nn::Module& model,
                           torch::optim::Optimizer& optimizer)
    : config_(std::move(config)), steps_(std::move(steps)), model_(model), optimizer_(optimizer)
{
}

void TrainingLoop::save()
{
    if (config_.group && config_.group->rank() != 0)
        return; // one writer: rank 0's copy is every rank's
    nlohmann::json trainer{{"fingerprint", config_.fingerprint},
                           {"step", step_},
                           {"elapsed", elapsedSeconds_},
                           {"curve", curveToJson(curve_)}};
    if (steps_.saveState)
        trainer.update(steps_.saveState());
    writeTrainingCheckpoint(config_.checkpointPath, model_, optimizer_, trainer);
}

bool TrainingLoop::resume()
{
    const auto trainer = readTrainingCheckpoint(config_.checkpointPath, model_, optimizer_, config_.fingerprint);
    if (!trainer)
        return false;
    // The fields are the file's: a missing or mistyped one is refused by name, not with the JSON
    // library's text (the model and optimizer restored so far belong to a training that stops).
    try {
        step_ = trainer->at("step").get<int64_t>();
        elapsedSeconds_ = trainer->at("elapsed").get<double>();
        curve_ = curveFromJson(trainer->at("curve"));
        if (steps_.restoreState)
            steps_.restoreState(*trainer);
    } catch (const nlohmann::json::exception& error) {
        throw DataError(config_.checkpointPath, "the trainer state is incomplete: " + libraryErrorText(error.what()));
    } catch (const Error& error) {
        throw DataError(config_.checkpointPath, std::string("the trainer state is not valid: ") + error.what());
    }
    if (step_ < 0 || step_ > config_.schedule.totalSteps || !std::isfinite(elapsedSeconds_) || elapsedSeconds_ < 0)
        throw DataError(config_.checkpointPath, "the trainer state's step " + std::to_string(step_) +
                                                    " or elapsed time is outside this training");
    return true;
}

// Every rank starts from the same step with rank 0's model. Each rank reads the checkpoint
// itself, so it must be where every rank finds it (one machine, or a shared disk).
void TrainingLoop::joinGroupState()
{
    ProcessGroup& group = *config_.group;
    std::vector<int64_t> steps{step_, -step_};
    group.max(steps);
    if (steps[0] != -steps[1])
        throw DistributedError("rank " + std::to_string(group.rank()) + " of " + std::to_string(group.size()) +
                               ": the ranks resumed at different steps (" + std::to_string(-steps[1]) + " to " +
                               std::to_string(steps[0]) + "); every rank must read the same checkpoint " +
                               config_.checkpointPath + " (a shared disk when the ranks are on several machines)");
    broadcastModel(group, model_);
    // Rank 0 keeps the random stream one process would have (crops, flips, dropout, mixup);
    // the others draw their own, a function of the seed, the rank and the step (a resume too).
    if (group.rank() != 0)
        torch::manual_seed(config_.seed * uint64_t(1000003) + uint64_t(group.rank()) * uint64_t(7919) + uint64_t(step_));
}

std::vector<std::size_t> TrainingLoop::itemsOf(int64_t step)
{
    // The data order depends only on the seed and the pass: a resumed run sees the same batches.
    const int64_t pass = step / config_.stepsPerPass;
    if (pass != orderPass_) {
        auto generator = at::make_generator<at::CPUGeneratorImpl>(config_.seed * 1000003ULL + uint64_t(pass));
        order_ = torch::randperm(int64_t(config_.trainItems), generator, torch::kLong);
        orderPass_ = pass;
    }
    // A rank takes its slice of the step's items: the group's batch is one process's batch.
    const int64_t ranks = config_.group ? config_.group->size() : 1;
    const int64_t share = config_.itemsPerStep / ranks;
    const int64_t first = (step % config_.stepsPerPass) * config_.itemsPerStep +
                          (config_.group ? config_.group->rank() : 0) * share;
    const auto chosen = order_.narrow(0, first, share);
    return std::vector<std::size_t>(chosen.data_ptr<int64_t>(), chosen.data_ptr<int64_t>() + share);
}

std::map<int, double> TrainingLoop::accuracy(std::size_t limit, Precision precision)
{
    EvalConfig evaluation = config_.evaluation;
    evaluation.limit = limit;
    evaluation.precision = precision;
    evaluation.shards = config_.group; // each rank evaluates its share, all get the sums
    if (config_.group)
        broadcastBuffers(*config_.group, model_); // each rank's step updated its own statistics
    lastEvaluation_ = steps_.evaluate(evaluation);
    const EvalReport& report = lastEvaluation_;
    model_.train();
    const std::size_t known = testUnreadable_.size();
    if (testUnreadable_.merge(report.unreadable) > 0) {
        const std::vector<UnreadableItem> found(testUnreadable_.items().begin() + std::ptrdiff_t(known),
                                                testUnreadable_.items().end());
        testUnreadableNews_ = unreadableReport(found, 5, "test items");
    }
    std::map<int, double> accuracy;
    for (const auto& row : report.rows)
        accuracy[row.n] = row.accuracy;
    return accuracy;
}

std::string TrainingLoop::curvePoint(double epoch)
{
    EpochRecord record;
    record.epoch = epoch;
    record.trainLoss = lossMean_;
    record.testAccuracy = accuracy(config_.curveEvalLimit, config_.evaluation.precision);
    record.elapsedSeconds = elapsedSeconds_;
    curve_.push_back(record);
    char buffer[48];
    if (config_.curveByEpoch)
        std::snprintf(buffer, sizeof buffer, "epoch %.2f:", epoch);
    else
        std::snprintf(buffer, sizeof buffer, "step %lld:", static_cast<long long>(step_));
    std::string text = buffer;
    for (const auto& [n, accuracy] : record.testAccuracy) {
        std::snprintf(buffer, sizeof buffer, " N=%d %.2f%%", n, 100.0 * accuracy);
        text += buffer;
    }
    return text + " (first " + std::to_string(config_.curveEvalLimit) + " " + config_.testItems + ")";
}

// Unreadable items found since the last announcement, training and test alike; each once.
std::string TrainingLoop::newlyUnreadable()
{
    std::string text = testUnreadableNews_;
    testUnreadableNews_.clear();
    if (steps_.unreadable && steps_.unreadable->size() > trainUnreadableShown_) {
        const auto& items = steps_.unreadable->items();
        const std::vector<UnreadableItem> found(items.begin() + std::ptrdiff_t(trainUnreadableShown_), items.end());
        trainUnreadableShown_ = items.size();
        text += (text.empty() ? "" : "; ") + unreadableReport(found, 5, "training items") +
                " (each replaced by a readable item of its batch)";
    }
    return text;
}

bool TrainingLoop::run(const TrainCallback& callback, const std::atomic<bool>* cancel)
{
    const int64_t totalSteps = config_.schedule.totalSteps;
    if (config_.group && config_.itemsPerStep % config_.group->size() != 0)
        throw Error("train: a step's " + std::to_string(config_.itemsPerStep) + " items do not split over " +
                    std::to_string(config_.group->size()) + " ranks");
    const bool fromCheckpoint = !config_.restart && resume();
    if (config_.group)
        joinGroupState();
    if (fromCheckpoint && callback) {
        TrainProgress resumed;
        resumed.step = step_;
        resumed.totalSteps = totalSteps;
        resumed.message = "resumed from " + config_.checkpointPath + " at step " + std::to_string(step_);
        resumed.eventOnly = true;
        callback(resumed);
    }
    const auto sessionStart = Clock::now();
    const double elapsedBefore = elapsedSeconds_;
    auto lastCheckpoint = Clock::now();
    int64_t stepsThisSession = 0;
    while (step_ < totalSteps) {
        bool stop = cancel && cancel->load();
        if (config_.group) {
            stop = config_.group->any(stop); // every rank stops at the same step, none waits
            broadcastBuffers(*config_.group, model_);
        }
        if (stop) {
            elapsedSeconds_ = elapsedBefore + std::chrono::duration<double>(Clock::now() - sessionStart).count();
            save();
            return false;
        }
        const std::vector<std::size_t> items = itemsOf(step_);
        steps_.setSchedule(config_.schedule.learningRate(step_), config_.schedule.momentum(step_));
        TrainProgress progress;
        double loss = steps_.run(step_, items, progress.message);
        if (config_.group)
            loss = config_.group->mean(loss);
        ++step_;
        ++stepsThisSession;
        lossMean_ = lossWeight_ < 50 ? (lossMean_ * lossWeight_ + loss) / (lossWeight_ + 1) : lossMean_ * 0.98 + loss * 0.02;
        lossWeight_ += 1;

        const double sessionSeconds = std::chrono::duration<double>(Clock::now() - sessionStart).count();
        elapsedSeconds_ = elapsedBefore + sessionSeconds;
        progress.epoch = double(step_) / double(config_.stepsPerEpoch);
        progress.step = step_;
        progress.totalSteps = totalSteps;
        progress.loss = lossMean_;
        progress.learningRate = config_.schedule.learningRate(step_ - 1);
        progress.imagesPerSecond = double(stepsThisSession * config_.itemsPerStep) / std::max(sessionSeconds, 1e-9);
        progress.elapsedSeconds = elapsedSeconds_;
        progress.etaSeconds = sessionSeconds / double(stepsThisSession) * double(totalSteps - step_);
        progress.skippedSteps = steps_.skippedSteps ? steps_.skippedSteps() : 0;
        if (config_.evalEverySteps > 0 && step_ % config_.evalEverySteps == 0 && step_ < totalSteps)
            progress.message = curvePoint(progress.epoch);
        if (const std::string unreadable = newlyUnreadable(); !unreadable.empty())
            progress.message += (progress.message.empty() ? "" : "; ") + unreadable;
        if (std::chrono::duration<double>(Clock::now() - lastCheckpoint).count() > 60.0 * config_.checkpointMinutes) {
            save();
            lastCheckpoint = Clock::now();
            if (progress.message.empty())
                progress.message = "checkpoint written to " + config_.checkpointPath;
        }
        if (callback)
            callback(progress);
    }
    save();
    return true;
}

const std::vector<EpochRecord>& TrainingLoop::finish()
{
    EpochRecord final;
    final.epoch = double(step_) / double(config_.stepsPerEpoch);
    final.trainLoss = lossMean_;
    // In float32 whatever the training's precision: the card tells what a user of the file gets.
    final.testAccuracy = accuracy(0, Precision::Fp32);
    final.elapsedSeconds = elapsedSeconds_;
    curve_.push_back(final);
    return curve_;
}

} // namespace mimo
