// `mimo train conv` and `train former`: train a model and write the model file with its card.
#include "cli/commands.h"
#include "core/errors.h"
#include "core/model/model_card.h"
#include "core/train/conv_trainer.h"
#include "core/train/former_trainer.h"

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

namespace mimo::cli {
namespace {

std::atomic<bool> interrupted{false};

std::string clock(double seconds)
{
    char buffer[32];
    const long s = static_cast<long>(seconds);
    std::snprintf(buffer, sizeof buffer, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
    return buffer;
}

// Ctrl-C or a TERM (a session ending) stops after the current step, with a checkpoint.
void stopOnSignals()
{
    std::signal(SIGINT, [](int) { interrupted = true; });
    std::signal(SIGTERM, [](int) { interrupted = true; });
}

TrainCallback progressPrinter(const std::string& unit)
{
    auto lastPrinted = std::make_shared<int64_t>(-1);
    return [lastPrinted, unit](const TrainProgress& p) {
        if (!p.message.empty())
            std::printf("\n%s\n", p.message.c_str());
        if (p.eventOnly || (p.message.empty() && p.step - *lastPrinted < 10))
            return;
        *lastPrinted = p.step;
        std::printf("\rstep %lld/%lld  epoch %.2f  loss %.4f  lr %.4g  %.0f %s  elapsed %s  eta %s  skipped %lld   ",
                    static_cast<long long>(p.step), static_cast<long long>(p.totalSteps), p.epoch, p.loss, p.learningRate,
                    p.imagesPerSecond, unit.c_str(), clock(p.elapsedSeconds).c_str(), clock(p.etaSeconds).c_str(),
                    static_cast<long long>(p.skippedSteps));
        std::fflush(stdout);
    };
}

// Rank 0 speaks for a data-parallel group: the progress, the model file and its card.
bool speaks(const TrainingRun& run) { return run.distributed.rank <= 0; }

// " per rank on 2 ranks" for a data-parallel group.
std::string perRank(const TrainingRun& run)
{
    if (!run.distributed.active())
        return {};
    return " per rank on " + std::to_string(run.distributed.worldSize) + " ranks";
}

int finish(const TrainResult& result, const std::string& architecture, bool rankZero)
{
    if (!rankZero)
        return result.cancelled ? 130 : 0;
    if (result.cancelled) {
        std::printf("\ninterrupted: the checkpoint is saved; run the same command again to resume\n");
        return 130;
    }
    std::printf("\nwrote %s\n", result.modelPath.c_str());
    for (const auto& [n, accuracy] : result.card.testAccuracy)
        std::printf("  test accuracy N=%d: %.2f %%\n", n, 100.0 * accuracy);
    const std::string cardPath = result.modelPath + ".md";
    std::ofstream(cardPath) << toMarkdown(result.card, architecture);
    std::printf("model card: %s\n", cardPath.c_str());
    return 0;
}

} // namespace

int runTrainConv(const ConvTrainConfig& asGiven)
{
    ConvTrainConfig config = asGiven;
    config.architecture.validate();
    config.distributed = resolveDistributed(config.distributed);
    stopOnSignals();
    if (speaks(config))
        std::printf("training %s on %s, %.2f epochs of batch %d%s, seed %llu -> %s\n",
                    config.architecture.describe().c_str(), config.trainData.c_str(), config.epochs, config.batch,
                    perRank(config).c_str(), static_cast<unsigned long long>(config.seed), config.output.c_str());
    const auto result = trainConv(config, speaks(config) ? progressPrinter("img/s") : TrainCallback(), &interrupted);
    return finish(result, config.architecture.describe(), speaks(config));
}

int runTrainFormer(const FormerTrainConfig& asGiven)
{
    FormerTrainConfig config = asGiven;
    config.architecture.validate();
    config.distributed = resolveDistributed(config.distributed);
    stopOnSignals();
    if (speaks(config))
        std::printf("training %s on %s, %lld steps of batch %d%s, seed %llu -> %s\n",
                    config.architecture.describe().c_str(), config.trainData.c_str(),
                    static_cast<long long>(config.steps), config.batch, perRank(config).c_str(),
                    static_cast<unsigned long long>(config.seed), config.output.c_str());
    const auto result = trainFormer(config, speaks(config) ? progressPrinter("seq/s") : TrainCallback(), &interrupted);
    return finish(result, config.architecture.describe(), speaks(config));
}

} // namespace mimo::cli
