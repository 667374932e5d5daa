// `mimo train conv`: trains a MIMOConv or WRN baseline and writes a model file with its card.
#include "cli/architecture_options.h"
#include "cli/arguments.h"
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

std::string recordedCommand(const std::string& family, const Words& words)
{
    std::string command = "build/bin/mimo train " + family;
    for (const auto& word : words)
        command += " " + (word.find(' ') == std::string::npos ? word : "'" + word + "'");
    return command;
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

int finish(const TrainResult& result, const std::string& architecture)
{
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

int runTrainConv(const Words& words)
{
    const Arguments args(words, {"restart", "zero-padding", "no-flip"});
    std::set<std::string> known{"data", "test-data", "data-dir", "epochs", "batch", "lr", "wd", "mixup", "binding-reg",
                                "iso-reg", "iso-every", "skip-ratio", "low-n", "fast-fraction", "crop-padding", "zero-padding",
                                "no-flip", "seed", "out", "checkpoint", "checkpoint-minutes", "restart", "eval-n",
                                "eval-every", "curve-limit", "device", "name"};
    known.insert(architectureOptionNames().begin(), architectureOptionNames().end());
    args.allowOnly(known);

    ConvTrainConfig config;
    config.architecture = architectureFromArguments(args, "fmnist-mimoconv");
    config.trainData = args.text("data", config.trainData);
    config.testData = args.text("test-data", config.testData);
    config.dataDir = args.text("data-dir", "");
    config.epochs = args.number("epochs", config.epochs);
    config.batch = static_cast<int>(args.integer("batch", config.batch));
    config.maxLr = args.number("lr", config.maxLr);
    config.weightDecay = args.number("wd", config.weightDecay);
    config.mixupAlpha = args.number("mixup", config.mixupAlpha);
    config.bindingRegularisation = args.number("binding-reg", config.bindingRegularisation);
    config.isometryRegularisation = args.number("iso-reg", config.isometryRegularisation);
    config.isometryEvery = static_cast<int>(args.integer("iso-every", 1));
    if (config.isometryEvery < 1)
        throw UsageError("--iso-every must be at least 1");
    config.gradientSkipRatio = args.number("skip-ratio", config.gradientSkipRatio);
    config.lowN = static_cast<int>(args.integer("low-n", 0));
    config.fastFraction = args.number("fast-fraction", config.fastFraction);
    config.cropPadding = static_cast<int>(args.integer("crop-padding", config.cropPadding));
    config.reflectPadding = !args.flag("zero-padding");
    config.horizontalFlip = !args.flag("no-flip");
    config.seed = static_cast<uint64_t>(args.integer("seed", 1));
    config.output = args.text("out", "");
    config.checkpoint = args.text("checkpoint", "");
    config.checkpointMinutes = args.number("checkpoint-minutes", config.checkpointMinutes);
    config.restart = args.flag("restart");
    for (int64_t n : args.integerList("eval-n", {}))
        config.evalNs.push_back(static_cast<int>(n));
    config.evalEveryEpochs = args.number("eval-every", config.evalEveryEpochs);
    config.curveEvalLimit = static_cast<std::size_t>(args.integer("curve-limit", 2000));
    config.device = args.text("device", "cpu");
    config.name = args.text("name", "");
    config.command = recordedCommand("conv", words);
    if (config.output.empty())
        throw UsageError("--out FILE is required");

    stopOnSignals();
    std::printf("training %s on %s, %.2f epochs of batch %d, seed %llu -> %s\n",
                config.architecture.describe().c_str(), config.trainData.c_str(), config.epochs, config.batch,
                static_cast<unsigned long long>(config.seed), config.output.c_str());
    const auto result = trainConv(config, progressPrinter("img/s"), &interrupted);
    return finish(result, config.architecture.describe());
}

int runTrainFormer(const Words& words)
{
    const Arguments args(words, {"restart"});
    std::set<std::string> known{"data", "test-data", "data-dir", "steps", "batch", "lr", "warmup", "mimo-warmup", "wd",
                                "seed", "out", "checkpoint", "checkpoint-minutes", "restart", "eval-n", "eval-every",
                                "curve-limit", "device", "name"};
    known.insert(formerArchitectureOptionNames().begin(), formerArchitectureOptionNames().end());
    args.allowOnly(known);

    FormerTrainConfig config;
    config.architecture = formerArchitectureFromArguments(args, "listops-short-mimo");
    config.trainData = args.text("data", "");
    config.testData = args.text("test-data", "");
    if (config.trainData.empty() || config.testData.empty())
        throw UsageError("--data SPEC and --test-data SPEC are required (e.g. listops:train.tsv, pixels:fashion-mnist:train)");
    config.dataDir = args.text("data-dir", "");
    config.steps = args.integer("steps", config.steps);
    config.batch = static_cast<int>(args.integer("batch", config.batch));
    config.maxLr = args.number("lr", config.maxLr);
    config.warmupSteps = args.integer("warmup", config.warmupSteps);
    config.mimoWarmupSteps = args.integer("mimo-warmup", config.mimoWarmupSteps);
    config.weightDecay = args.number("wd", config.weightDecay);
    config.seed = static_cast<uint64_t>(args.integer("seed", static_cast<int64_t>(config.seed)));
    config.output = args.text("out", "");
    config.checkpoint = args.text("checkpoint", "");
    config.checkpointMinutes = args.number("checkpoint-minutes", config.checkpointMinutes);
    config.restart = args.flag("restart");
    for (int64_t n : args.integerList("eval-n", {}))
        config.evalNs.push_back(static_cast<int>(n));
    config.evalEverySteps = args.integer("eval-every", config.evalEverySteps);
    config.curveEvalLimit = static_cast<std::size_t>(args.integer("curve-limit", static_cast<int64_t>(config.curveEvalLimit)));
    config.device = args.text("device", "cpu");
    config.name = args.text("name", "");
    config.command = recordedCommand("former", words);
    if (config.output.empty())
        throw UsageError("--out FILE is required");

    stopOnSignals();
    std::printf("training %s on %s, %lld steps of batch %d, seed %llu -> %s\n", config.architecture.describe().c_str(),
                config.trainData.c_str(), static_cast<long long>(config.steps), config.batch,
                static_cast<unsigned long long>(config.seed), config.output.c_str());
    const auto result = trainFormer(config, progressPrinter("seq/s"), &interrupted);
    return finish(result, config.architecture.describe());
}

int runTrain(const Words& words)
{
    if (words.empty() || (words[0] != "conv" && words[0] != "former"))
        throw UsageError("missing model family: conv or former");
    const Words rest(words.begin() + 1, words.end());
    return words[0] == "conv" ? runTrainConv(rest) : runTrainFormer(rest);
}

} // namespace

std::vector<Command> trainCommands()
{
    return {
        {"train", "train a MIMOConv / WRN baseline or a MIMOFormer / Performer (official recipes) into a model file",
         std::string("mimo train conv --out FILE [--arch PRESET [overrides]] [--data SPEC] [--test-data SPEC]\n"
                     "      [--epochs E] [--batch B] [--lr 0.2] [--wd 1e-5] [--mixup 1.0] [--binding-reg 0.1]\n"
                     "      [--iso-reg 1e-4] [--iso-every 1] [--skip-ratio 10] [--low-n N --fast-fraction 0.8]\n"
                     "      [--crop-padding 4] [--zero-padding] [--no-flip] [--seed S] [--device cpu|cuda]\n"
                     "      [--checkpoint FILE] [--checkpoint-minutes 5] [--restart] [--eval-n 1,2,4]\n"
                     "      [--eval-every 1] [--curve-limit 2000] [--name TEXT]\n") +
             kArchitectureUsage +
             "  An epoch is N_cap passes over the data (batch*N_cap images per step), as in the\n"
             "  official code. Checkpoints every few minutes; the same command resumes. Ctrl-C stops\n"
             "  after saving a checkpoint. Writes FILE and FILE.md (the model card).\n\n"
             "mimo train former --out FILE --data SPEC --test-data SPEC [--arch PRESET [overrides]]\n"
             "      [--steps 2000] [--batch 32] [--lr 1e-4] [--warmup 100] [--mimo-warmup 0] [--wd 0]\n"
             "      [--seed 1234] [--device cpu|cuda] [--checkpoint FILE] [--checkpoint-minutes 5]\n"
             "      [--restart] [--eval-n 1,2,4] [--eval-every 500] [--curve-limit 1000] [--name TEXT]\n" +
             kFormerArchitectureUsage +
             "  AdamW (eps 1e-6) with OneCycle linear annealing that cycles beta1; --mimo-warmup K runs\n"
             "  the first K steps at M/2 x N/2 (att. only). The batch must be a multiple of M*N.\n"
             "  Sequences are padded to --length; token 0 is padding and masked.",
         runTrain},
    };
}

} // namespace mimo::cli
