#include "core/train/training_loop.h"

#include "core/errors.h"
#include "core/train/checkpoint.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mimo {

TrainingLoop::TrainingLoop(TrainingLoopConfig config, TrainingSteps steps, torch::nn::Module& model,
                           torch::optim::Optimizer& optimizer)
    : config_(std::move(config)), steps_(std::move(steps)), model_(model), optimizer_(optimizer)
{
}

void TrainingLoop::save()
{
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

std::vector<std::size_t> TrainingLoop::itemsOf(int64_t step)
{
    // The data order depends only on the seed and the pass: a resumed run sees the same batches.
    const int64_t pass = step / config_.stepsPerPass;
    if (pass != orderPass_) {
        auto generator = at::make_generator<at::CPUGeneratorImpl>(config_.seed * 1000003ULL + uint64_t(pass));
        order_ = torch::randperm(int64_t(config_.trainItems), generator, torch::kLong);
        orderPass_ = pass;
    }
    const auto chosen = order_.narrow(0, (step % config_.stepsPerPass) * config_.itemsPerStep, config_.itemsPerStep);
    return std::vector<std::size_t>(chosen.data_ptr<int64_t>(), chosen.data_ptr<int64_t>() + config_.itemsPerStep);
}

std::map<int, double> TrainingLoop::accuracy(std::size_t limit)
{
    EvalConfig evaluation = config_.evaluation;
    evaluation.limit = limit;
    const EvalReport report = steps_.evaluate(evaluation);
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
    record.testAccuracy = accuracy(config_.curveEvalLimit);
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
    if (!config_.restart && resume() && callback) {
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
        if (cancel && cancel->load()) {
            elapsedSeconds_ = elapsedBefore + std::chrono::duration<double>(Clock::now() - sessionStart).count();
            save();
            return false;
        }
        const std::vector<std::size_t> items = itemsOf(step_);
        steps_.setSchedule(config_.schedule.learningRate(step_), config_.schedule.momentum(step_));
        TrainProgress progress;
        const double loss = steps_.run(step_, items, progress.message);
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
    final.testAccuracy = accuracy(0);
    final.elapsedSeconds = elapsedSeconds_;
    curve_.push_back(final);
    return curve_;
}

} // namespace mimo
