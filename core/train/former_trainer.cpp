#include "core/train/former_trainer.h"

#include "core/data/dataset_spec.h"
#include "core/data/tensors.h"
#include "core/errors.h"
#include "core/eval/former_evaluation.h"
#include "core/model/model_file.h"
#include "core/model/torch_device.h"
#include "core/train/checkpoint.h"
#include "core/train/one_cycle.h"
#include "core/train/training_card.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>

namespace mimo {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

std::string fingerprint(const FormerTrainConfig& c)
{
    return json{{"architecture", json::parse(toJson(c.architecture))},
                {"train", c.trainData},
                {"steps", c.steps},
                {"batch", c.batch},
                {"lr", c.maxLr},
                {"warmup", c.warmupSteps},
                {"mimo_warmup", c.mimoWarmupSteps},
                {"wd", c.weightDecay},
                {"seed", c.seed}}
        .dump();
}

void setSchedule(torch::optim::AdamW& optimizer, double lr, double beta1)
{
    for (auto& group : optimizer.param_groups()) {
        auto& options = static_cast<torch::optim::AdamWOptions&>(group.options());
        options.lr(lr);
        options.betas(std::make_tuple(beta1, 0.999));
    }
}

std::string shortNumber(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", value);
    return buffer;
}

// The warm-up grid of spec 3.5: half of M and of N, at least 1.
std::pair<int, int> warmupGrid(const MimoFormerConfig& arch)
{
    return {std::max(1, arch.gridM / 2), std::max(1, arch.gridN / 2)};
}

} // namespace

TrainResult trainFormer(const FormerTrainConfig& config, TrainCallback callback, const std::atomic<bool>* cancel)
{
    const auto& arch = config.architecture;
    arch.validate();
    if (config.output.empty())
        throw Error("train: an output model file is required (--out)");
    if (config.steps < 1 || config.batch < 1)
        throw Error("train: steps and batch must be positive");
    if (config.batch % arch.superposed() != 0)
        throw Error("train: batch " + std::to_string(config.batch) + " is not a multiple of M*N=" +
                    std::to_string(arch.superposed()));
    if (config.warmupSteps < 0 || config.warmupSteps >= config.steps)
        throw Error("train: the learning-rate warm-up must be shorter than the training");
    if (config.trainData.empty() || config.testData.empty())
        throw Error("train: give the training and test data (--data SPEC --test-data SPEC)");
    for (int n : config.evalNs)
        arch.gridFor(n); // an N the model cannot serve fails now, not at the first curve point
    if (arch.attention == FormerAttention::Mimo && config.mimoWarmupSteps > 0) {
        const auto [m, n] = warmupGrid(arch);
        if (config.batch % (m * n) != 0)
            throw Error("train: batch " + std::to_string(config.batch) + " does not fill the warm-up grid " +
                        std::to_string(m) + " x " + std::to_string(n));
    }
    const std::string checkpointPath = config.checkpoint.empty() ? config.output + ".ckpt" : config.checkpoint;
    DataOptions dataOptions;
    dataOptions.fashionMnistDir = config.dataDir;
    dataOptions.sequenceLength = static_cast<std::size_t>(arch.maxLength);
    dataOptions.pixelHeight = arch.imageHeight;
    dataOptions.pixelWidth = arch.imageWidth;
    const DatasetPtr train = openDataset(config.trainData, dataOptions);
    const DatasetPtr test = openDataset(config.testData, dataOptions);
    checkSequenceData(*train, arch);
    checkSequenceData(*test, arch);
    if (train->size() < size_t(config.batch))
        throw Error("train: " + train->name() + " has " + std::to_string(train->size()) + " items, fewer than one batch");

    torch::manual_seed(config.seed);
    const auto device = torchDevice(config.device);
    MimoFormer model(arch);
    model->to(device);
    torch::optim::AdamW optimizer(
        model->parameters(),
        torch::optim::AdamWOptions(config.maxLr).betas(std::make_tuple(0.95, 0.999)).eps(1e-6).weight_decay(config.weightDecay));
    OneCycle schedule;
    schedule.maxLr = config.maxLr;
    schedule.totalSteps = config.steps;
    schedule.pctStart = double(config.warmupSteps) / double(config.steps);
    schedule.anneal = OneCycle::Anneal::Linear;
    const std::string print = fingerprint(config);

    int64_t step = 0;
    double elapsedBefore = 0.0;
    std::vector<EpochRecord> curve;
    if (!config.restart) {
        if (const auto trainer = readTrainingCheckpoint(checkpointPath, *model, optimizer, print)) {
            step = trainer->at("step").get<int64_t>();
            elapsedBefore = trainer->at("elapsed").get<double>();
            curve = curveFromJson(trainer->at("curve"));
            if (callback) {
                TrainProgress resumed;
                resumed.step = step;
                resumed.totalSteps = config.steps;
                resumed.message = "resumed from " + checkpointPath + " at step " + std::to_string(step);
                resumed.eventOnly = true;
                callback(resumed);
            }
        }
    }
    const auto sessionStart = Clock::now();
    const auto elapsed = [&] { return elapsedBefore + std::chrono::duration<double>(Clock::now() - sessionStart).count(); };
    const auto save = [&] {
        writeTrainingCheckpoint(checkpointPath, *model, optimizer,
                                json{{"fingerprint", print}, {"step", step}, {"elapsed", elapsed()}, {"curve", curveToJson(curve)}});
    };
    const std::vector<int> evalNs = config.evalNs.empty() ? arch.supportedN() : config.evalNs;
    const auto evaluate = [&](std::size_t limit) {
        EvalConfig eval;
        eval.ns = evalNs;
        eval.limit = limit;
        eval.batch = std::max(config.batch, 64);
        eval.device = config.device;
        const auto report = evaluateFormer(model, *test, eval);
        std::map<int, double> accuracy;
        for (const auto& row : report.rows)
            accuracy[row.n] = row.accuracy;
        return accuracy;
    };
    const int64_t stepsPerEpoch = std::max<int64_t>(1, int64_t(train->size()) / config.batch);
    const auto [halfM, halfN] = warmupGrid(arch);

    auto lastCheckpoint = Clock::now();
    double lossMean = 0.0, lossWeight = 0.0;
    int64_t stepsThisSession = 0;
    torch::Tensor permutation;
    int64_t permutationPass = -1;
    model->train();
    while (step < config.steps) {
        if (cancel && cancel->load()) {
            save();
            TrainResult result;
            result.cancelled = true;
            return result;
        }
        // The data order depends only on the seed and the pass: a resumed run sees the same batches.
        const int64_t pass = step / stepsPerEpoch;
        if (pass != permutationPass) {
            auto generator = at::make_generator<at::CPUGeneratorImpl>(config.seed * 1000003ULL + uint64_t(pass));
            permutation = torch::randperm(int64_t(train->size()), generator, torch::kLong);
            permutationPass = pass;
        }
        const auto chosen = permutation.narrow(0, (step % stepsPerEpoch) * config.batch, config.batch);
        std::vector<std::size_t> indices(chosen.data_ptr<int64_t>(), chosen.data_ptr<int64_t>() + config.batch);
        const auto batch = makeBatch(*train, indices);
        const auto tokens = batch.inputs.to(device), labels = batch.labels.to(device);

        const bool warmingUp = arch.attention == FormerAttention::Mimo && step < config.mimoWarmupSteps;
        setSchedule(optimizer, schedule.learningRate(step), schedule.momentum(step));
        optimizer.zero_grad();
        FormerForwardOptions forward;
        forward.grid = warmingUp ? std::make_pair(halfM, halfN) : std::make_pair(arch.gridM, arch.gridN);
        const auto loss = torch::nn::functional::cross_entropy(model->forward(tokens, forward).logits, labels);
        loss.backward();
        optimizer.step();
        ++step;
        ++stepsThisSession;
        const double lossValue = loss.item<double>();
        lossMean = lossWeight < 50 ? (lossMean * lossWeight + lossValue) / (lossWeight + 1) : lossMean * 0.98 + lossValue * 0.02;
        lossWeight += 1;

        const double sessionSeconds = std::chrono::duration<double>(Clock::now() - sessionStart).count();
        TrainProgress progress;
        progress.epoch = double(step) / double(stepsPerEpoch);
        progress.step = step;
        progress.totalSteps = config.steps;
        progress.loss = lossMean;
        progress.learningRate = schedule.learningRate(step - 1);
        progress.imagesPerSecond = double(stepsThisSession * config.batch) / std::max(sessionSeconds, 1e-9);
        progress.elapsedSeconds = elapsed();
        progress.etaSeconds = sessionSeconds / double(stepsThisSession) * double(config.steps - step);
        if (warmingUp && step == config.mimoWarmupSteps)
            progress.message = "MIMO warm-up done: from now on M=" + std::to_string(arch.gridM) + ", N=" +
                               std::to_string(arch.gridN);
        if (config.evalEverySteps > 0 && step % config.evalEverySteps == 0 && step < config.steps) {
            EpochRecord record;
            record.epoch = progress.epoch;
            record.trainLoss = lossMean;
            record.testAccuracy = evaluate(config.curveEvalLimit);
            record.elapsedSeconds = elapsed();
            model->train();
            curve.push_back(record);
            std::string text = "step " + std::to_string(step) + ":";
            char buffer[48];
            for (const auto& [n, accuracy] : record.testAccuracy) {
                std::snprintf(buffer, sizeof buffer, " N=%d %.2f%%", n, 100.0 * accuracy);
                text += buffer;
            }
            progress.message = text + " (first " + std::to_string(config.curveEvalLimit) + " test items)";
        }
        if (std::chrono::duration<double>(Clock::now() - lastCheckpoint).count() > 60.0 * config.checkpointMinutes) {
            save();
            lastCheckpoint = Clock::now();
            if (progress.message.empty())
                progress.message = "checkpoint written to " + checkpointPath;
        }
        if (callback)
            callback(progress);
    }
    save();

    EpochRecord final;
    final.epoch = double(step) / double(stepsPerEpoch);
    final.trainLoss = lossMean;
    final.testAccuracy = evaluate(0);
    final.elapsedSeconds = elapsed();
    curve.push_back(final);

    TrainResult result;
    result.modelPath = config.output;
    result.card = trainedCard({config.name.empty() ? arch.describe() : config.name, config.trainData, config.testData,
                               train->classNames(), config.command, config.seed, device.str(), curve});
    ModelCard& card = result.card;
    std::string grids;
    for (int n : evalNs) {
        const auto [m, k] = arch.gridFor(n);
        grids += (grids.empty() ? "" : ", ") + std::string("N=") + std::to_string(n) + " on M=" + std::to_string(m) +
                 " x N=" + std::to_string(k);
    }
    card.evaluation = "All " + std::to_string(test->size()) + " items of " + config.testData +
                      ", in consecutive groups; trained for M=" + std::to_string(arch.gridM) + ", N=" +
                      std::to_string(arch.gridN) + "; evaluated " + grids + ".";
    card.notes = "Steps: " + std::to_string(step) + " of batch " + std::to_string(config.batch) + " (" +
                 std::to_string(stepsPerEpoch) + " per pass over the data); MIMO warm-up: " +
                 std::to_string(arch.attention == FormerAttention::Mimo ? config.mimoWarmupSteps : 0) +
                 " steps at M=" + std::to_string(halfM) + ", N=" + std::to_string(halfN) +
                 "; AdamW eps 1e-6, weight decay " + shortNumber(config.weightDecay) +
                 ", OneCycle linear, beta1 cycled 0.95-0.85; fp32 (no AMP on CPU).";
    model->eval();
    saveFormerModel(config.output, model, card);
    return result;
}

} // namespace mimo
