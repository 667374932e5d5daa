#include "core/train/conv_trainer.h"

#include "core/data/dataset_spec.h"
#include "core/errors.h"
#include "core/eval/conv_evaluation.h"
#include "core/model/model_file.h"
#include "core/model/torch_device.h"
#include "core/train/checkpoint.h"
#include "core/train/one_cycle.h"
#include "core/train/training_card.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace mimo {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

// Random crop after padding and horizontal flip, per image (spec 2.9).
torch::Tensor augment(const torch::Tensor& images, const ConvTrainConfig& config)
{
    auto out = images;
    const int64_t pad = config.cropPadding;
    if (pad > 0) {
        const int64_t h = images.size(2), w = images.size(3);
        auto options = torch::nn::functional::PadFuncOptions({pad, pad, pad, pad});
        if (config.reflectPadding)
            options.mode(torch::kReflect);
        const auto padded = torch::nn::functional::pad(images, options);
        const auto offsets = torch::randint(0, 2 * pad + 1, {images.size(0), 2}, torch::kLong);
        const auto* o = offsets.data_ptr<int64_t>();
        std::vector<torch::Tensor> crops;
        crops.reserve(size_t(images.size(0)));
        for (int64_t i = 0; i < images.size(0); ++i)
            crops.push_back(padded[i].narrow(1, o[2 * i], h).narrow(2, o[2 * i + 1], w));
        out = torch::stack(crops);
    }
    if (config.horizontalFlip) {
        const auto flip = (torch::rand({images.size(0)}) < 0.5).view({-1, 1, 1, 1});
        out = torch::where(flip, out.flip({3}), out);
    }
    return out;
}

std::string fingerprint(const ConvTrainConfig& c)
{
    return json{{"architecture", json::parse(toJson(c.architecture))},
                {"train", c.trainData},
                {"epochs", c.epochs},
                {"batch", c.batch},
                {"lr", c.maxLr},
                {"mixup", c.mixupAlpha},
                {"low_n", c.lowN},
                {"fast", c.fastFraction},
                {"seed", c.seed},
                {"wd", c.weightDecay},
                {"binding_reg", c.bindingRegularisation},
                {"iso_reg", c.isometryRegularisation},
                {"iso_every", c.isometryEvery},
                {"skip_ratio", c.gradientSkipRatio},
                {"clip", c.clipNorm},
                {"crop", c.cropPadding},
                {"reflect", c.reflectPadding},
                {"flip", c.horizontalFlip}}
        .dump();
}

struct TrainerState {
    int64_t step = 0;
    double elapsedSeconds = 0.0;
    double skipThreshold = INFINITY;  // 10 x mean accepted gradient norm of the previous epoch
    double acceptedNormSum = 0.0;
    int64_t acceptedCount = 0;
    int64_t skipped = 0;
    std::vector<EpochRecord> curve;
};

void saveCheckpoint(const std::string& path, MimoConv& model, torch::optim::SGD& optimizer, const TrainerState& state,
                    const std::string& print)
{
    writeTrainingCheckpoint(path, *model, optimizer,
                            json{{"fingerprint", print},
                                 {"step", state.step},
                                 {"elapsed", state.elapsedSeconds},
                                 {"skip_threshold", std::isfinite(state.skipThreshold) ? state.skipThreshold : -1.0},
                                 {"accepted_sum", state.acceptedNormSum},
                                 {"accepted_count", state.acceptedCount},
                                 {"skipped", state.skipped},
                                 {"curve", curveToJson(state.curve)}});
}

bool loadCheckpoint(const std::string& path, MimoConv& model, torch::optim::SGD& optimizer, TrainerState& state,
                    const std::string& print)
{
    const auto trainer = readTrainingCheckpoint(path, *model, optimizer, print);
    if (!trainer)
        return false;
    state.step = trainer->at("step").get<int64_t>();
    state.elapsedSeconds = trainer->at("elapsed").get<double>();
    const double threshold = trainer->at("skip_threshold").get<double>();
    state.skipThreshold = threshold < 0 ? INFINITY : threshold;
    state.acceptedNormSum = trainer->at("accepted_sum").get<double>();
    state.acceptedCount = trainer->at("accepted_count").get<int64_t>();
    state.skipped = trainer->at("skipped").get<int64_t>();
    state.curve = curveFromJson(trainer->at("curve"));
    return true;
}

void setSchedule(torch::optim::SGD& optimizer, double lr, double momentum)
{
    for (auto& group : optimizer.param_groups()) {
        auto& options = static_cast<torch::optim::SGDOptions&>(group.options());
        options.lr(lr);
        options.momentum(momentum);
    }
}

} // namespace

TrainResult trainConv(const ConvTrainConfig& config, TrainCallback callback, const std::atomic<bool>* cancel)
{
    const auto& arch = config.architecture;
    arch.validate();
    if (config.output.empty())
        throw Error("train: an output model file is required (--out)");
    if (config.batch < 1 || config.epochs <= 0)
        throw Error("train: batch and epochs must be positive");
    if (config.lowN != 0 && !arch.supportsN(config.lowN))
        throw Error("train: --low-n " + std::to_string(config.lowN) + " does not divide N_cap=" +
                    std::to_string(arch.capacity));
    const std::string checkpointPath = config.checkpoint.empty() ? config.output + ".ckpt" : config.checkpoint;
    DataOptions dataOptions;
    dataOptions.fashionMnistDir = config.dataDir;
    dataOptions.imageSpec = arch.input;
    const DatasetPtr train = openDataset(config.trainData, dataOptions);
    const DatasetPtr test = openDataset(config.testData, dataOptions);

    torch::manual_seed(config.seed);
    const auto device = torchDevice(config.device);
    MimoConv model(arch);
    model->to(device);
    auto [noDecay, decay] = model->parametersByDecay();
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, std::make_unique<torch::optim::SGDOptions>(
                                   torch::optim::SGDOptions(0.0).momentum(0.9).weight_decay(config.weightDecay)));
    if (!noDecay.empty())
        groups.emplace_back(noDecay, std::make_unique<torch::optim::SGDOptions>(
                                         torch::optim::SGDOptions(0.0).momentum(0.9).weight_decay(0.0)));
    torch::optim::SGD optimizer(groups, torch::optim::SGDOptions(0.0));
    std::vector<torch::Tensor> parameters = model->parameters();

    const int64_t imagesPerStep = int64_t(config.batch) * arch.capacity;
    const int64_t stepsPerPass = int64_t(train->size()) / imagesPerStep;
    if (stepsPerPass < 1)
        throw Error("train: " + train->name() + " has " + std::to_string(train->size()) +
                    " items, fewer than one step needs (" + std::to_string(imagesPerStep) + ")");
    const int64_t stepsPerEpoch = stepsPerPass * arch.capacity;
    OneCycle schedule;
    schedule.maxLr = config.maxLr;
    schedule.totalSteps = std::max<int64_t>(1, std::llround(config.epochs * double(stepsPerEpoch)));
    const std::string print = fingerprint(config);

    TrainerState state;
    if (!config.restart && loadCheckpoint(checkpointPath, model, optimizer, state, print) && callback) {
        TrainProgress resumed;
        resumed.step = state.step;
        resumed.totalSteps = schedule.totalSteps;
        resumed.message = "resumed from " + checkpointPath + " at step " + std::to_string(state.step);
        resumed.eventOnly = true;
        callback(resumed);
    }
    std::vector<int> evalNs = config.evalNs.empty() ? arch.supportedN() : config.evalNs;
    const auto evaluate = [&](std::size_t limit) {
        EvalConfig eval;
        eval.ns = evalNs;
        eval.limit = limit;
        eval.device = config.device;
        const auto report = evaluateConv(model, *test, eval);
        model->train();
        std::map<int, double> accuracy;
        for (const auto& row : report.rows)
            accuracy[row.n] = row.accuracy;
        return accuracy;
    };

    model->train();
    const auto sessionStart = Clock::now();
    const double elapsedBefore = state.elapsedSeconds;
    auto lastCheckpoint = Clock::now();
    double lossMean = 0.0, lossWeight = 0.0;
    int64_t imagesThisSession = 0;
    const int64_t evalEverySteps = std::max<int64_t>(1, std::llround(config.evalEveryEpochs * double(stepsPerEpoch)));
    torch::Tensor permutation;
    int64_t permutationPass = -1;

    while (state.step < schedule.totalSteps) {
        if (cancel && cancel->load()) {
            state.elapsedSeconds = elapsedBefore + std::chrono::duration<double>(Clock::now() - sessionStart).count();
            saveCheckpoint(checkpointPath, model, optimizer, state, print);
            TrainResult result;
            result.cancelled = true;
            return result;
        }
        // Data order depends only on the seed and the pass number, so a resumed run sees
        // exactly the batches the uninterrupted one would have.
        const int64_t pass = state.step / stepsPerPass;
        if (pass != permutationPass) {
            auto generator = at::make_generator<at::CPUGeneratorImpl>(config.seed * 1000003ULL + uint64_t(pass));
            permutation = torch::randperm(int64_t(train->size()), generator, torch::kLong);
            permutationPass = pass;
        }
        const auto batchIndex = permutation.narrow(0, (state.step % stepsPerPass) * imagesPerStep, imagesPerStep);
        std::vector<std::size_t> indices(batchIndex.data_ptr<int64_t>(), batchIndex.data_ptr<int64_t>() + imagesPerStep);
        std::vector<int64_t> labelValues;
        for (std::size_t index : indices)
            labelValues.push_back(train->label(index));

        const int n = (config.lowN != 0 && torch::rand({1}).item<double>() >= config.fastFraction) ? config.lowN
                                                                                                    : arch.capacity;
        auto images = augment(imageBatch(*train, indices, arch), config).to(device);
        auto labels = torch::tensor(labelValues, torch::kLong).to(device);
        double lambda = 1.0;
        torch::Tensor mixedLabels = labels;
        if (config.mixupAlpha > 0.0) {
            const auto g = torch::_standard_gamma(torch::full({2}, config.mixupAlpha, torch::kDouble));
            lambda = (g[0] / (g[0] + g[1])).item<double>();
            const auto perm = torch::randperm(imagesPerStep, torch::kLong).to(device);
            images = lambda * images + (1.0 - lambda) * images.index_select(0, perm);
            mixedLabels = labels.index_select(0, perm);
        }

        setSchedule(optimizer, schedule.learningRate(state.step), schedule.momentum(state.step));
        optimizer.zero_grad();
        if (config.isometryRegularisation > 0 && arch.activation == ConvActivation::PReLU &&
            state.step % config.isometryEvery == 0) {
            // Official order: the isometry term is back-propagated on its own first (spec 2.9).
            // Applied every k-th step it is scaled by k: the same gradient on average.
            (config.isometryRegularisation * double(config.isometryEvery) * model->isometryRegularisation()).backward();
            torch::nn::utils::clip_grad_norm_(parameters, config.clipNorm);
        }
        const auto logits = model->forward(images, n);
        auto loss = lambda * torch::nn::functional::cross_entropy(logits, labels);
        if (lambda < 1.0)
            loss = loss + (1.0 - lambda) * torch::nn::functional::cross_entropy(logits, mixedLabels);
        auto total = loss;
        if (config.bindingRegularisation > 0 && arch.binding == ConvBinding::HRR)
            total = total + config.bindingRegularisation * model->bindingRegularisation().to(device);
        total.backward();
        const double gradNorm = torch::nn::utils::clip_grad_norm_(parameters, config.clipNorm);
        const bool accept = std::isfinite(gradNorm) &&
                            (config.gradientSkipRatio <= 0 || gradNorm < state.skipThreshold);
        if (accept) {
            optimizer.step();
            state.acceptedNormSum += gradNorm;
            ++state.acceptedCount;
        } else {
            ++state.skipped;
        }
        ++state.step;
        imagesThisSession += imagesPerStep;
        const double lossValue = loss.item<double>();
        lossMean = lossWeight < 50 ? (lossMean * lossWeight + lossValue) / (lossWeight + 1) : lossMean * 0.98 + lossValue * 0.02;
        lossWeight += 1;

        if (state.step % stepsPerEpoch == 0 && state.acceptedCount > 0) {
            state.skipThreshold = config.gradientSkipRatio * state.acceptedNormSum / double(state.acceptedCount);
            state.acceptedNormSum = 0.0;
            state.acceptedCount = 0;
        }
        const double sessionSeconds = std::chrono::duration<double>(Clock::now() - sessionStart).count();
        state.elapsedSeconds = elapsedBefore + sessionSeconds;
        TrainProgress progress;
        progress.epoch = double(state.step) / double(stepsPerEpoch);
        progress.step = state.step;
        progress.totalSteps = schedule.totalSteps;
        progress.loss = lossMean;
        progress.learningRate = schedule.learningRate(state.step - 1);
        progress.imagesPerSecond = double(imagesThisSession) / std::max(sessionSeconds, 1e-9);
        progress.elapsedSeconds = state.elapsedSeconds;
        const double stepsThisSession = double(imagesThisSession / imagesPerStep);
        progress.etaSeconds = sessionSeconds / stepsThisSession * double(schedule.totalSteps - state.step);
        progress.skippedSteps = state.skipped;

        if (state.step % evalEverySteps == 0 && state.step < schedule.totalSteps) {
            EpochRecord record;
            record.epoch = progress.epoch;
            record.trainLoss = lossMean;
            record.testAccuracy = evaluate(config.curveEvalLimit);
            record.elapsedSeconds = state.elapsedSeconds;
            state.curve.push_back(record);
            char buffer[48];
            std::snprintf(buffer, sizeof buffer, "epoch %.2f:", progress.epoch);
            std::string text = buffer;
            for (const auto& [evalN, accuracy] : record.testAccuracy) {
                std::snprintf(buffer, sizeof buffer, " N=%d %.2f%%", evalN, 100.0 * accuracy);
                text += buffer;
            }
            progress.message = text + " (first " + std::to_string(config.curveEvalLimit) + " test images)";
        }
        if (std::chrono::duration<double>(Clock::now() - lastCheckpoint).count() > 60.0 * config.checkpointMinutes) {
            saveCheckpoint(checkpointPath, model, optimizer, state, print);
            lastCheckpoint = Clock::now();
            if (progress.message.empty())
                progress.message = "checkpoint written to " + checkpointPath;
        }
        if (callback)
            callback(progress);
    }
    saveCheckpoint(checkpointPath, model, optimizer, state, print);

    EpochRecord final;
    final.epoch = double(state.step) / double(stepsPerEpoch);
    final.trainLoss = lossMean;
    final.testAccuracy = evaluate(0);
    final.elapsedSeconds = state.elapsedSeconds;
    state.curve.push_back(final);

    TrainResult result;
    result.modelPath = config.output;
    result.card = trainedCard({config.name.empty() ? arch.describe() : config.name, config.trainData, config.testData,
                               train->classNames(), config.command, config.seed, device.str(), state.curve});
    ModelCard& card = result.card;
    card.evaluation = "All " + std::to_string(test->size()) + " items of " + config.testData +
                      ", running-statistics batch norm, batches of 256 images.";
    card.notes = "Steps: " + std::to_string(state.step) + " (" + std::to_string(stepsPerEpoch) +
                 " per epoch), skipped by the gradient-norm filter: " + std::to_string(state.skipped) + ".";
    model->eval();
    saveConvModel(config.output, model, card);
    return result;
}

} // namespace mimo
