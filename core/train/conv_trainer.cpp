#include "core/train/conv_trainer.h"

#include "core/data/dataset_spec.h"
#include "core/errors.h"
#include "core/eval/conv_evaluation.h"
#include "core/distributed/model_sync.h"
#include "core/eval/readable_inputs.h"
#include "core/model/autocast_scope.h"
#include "core/model/model_file.h"
#include "core/model/torch_device.h"
#include "core/train/distillation.h"
#include "core/train/initial_weights.h"
#include "core/train/loss_scaler.h"
#include "core/train/training_loop.h"

#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>

namespace mimo {
namespace {

using nlohmann::json;

// Random crop after padding and horizontal flip, per image (docs/mimonets.md 2.9).
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

// The fields of this recipe a checkpoint must match (loopConfigFor adds the common ones).
json fingerprint(const ConvTrainConfig& c)
{
    json recipe = json{{"epochs", c.epochs}, {"mixup", c.mixupAlpha}, {"low_n", c.lowN}, {"fast", c.fastFraction},
                {"binding_reg", c.bindingRegularisation}, {"iso_reg", c.isometryRegularisation},
                {"iso_every", c.isometryEvery}, {"skip_ratio", c.gradientSkipRatio}, {"clip", c.clipNorm},
                {"crop", c.cropPadding}, {"reflect", c.reflectPadding}, {"flip", c.horizontalFlip}};
    if (!c.distillation.teacherPath.empty()) // only then: the checkpoints of runs without it still resume
        recipe["distill"] = json{{"teacher", c.distillation.teacherPath},
                                 {"weight", c.distillation.weight},
                                 {"temperature", c.distillation.temperature}};
    return recipe;
}

// The gradient-norm filter (docs/mimonets.md 2.9): a step whose norm exceeds this ratio times the previous
// epoch's mean accepted norm is skipped. Kept in checkpoints.
struct GradientFilter {
    double skipThreshold = std::numeric_limits<double>::infinity();
    double acceptedNormSum = 0.0;
    int64_t acceptedCount = 0;
    int64_t skipped = 0;

    json toJson() const
    {
        return json{{"skip_threshold", std::isfinite(skipThreshold) ? skipThreshold : -1.0},
                    {"accepted_sum", acceptedNormSum},
                    {"accepted_count", acceptedCount},
                    {"skipped", skipped}};
    }

    void restore(const json& trainer)
    {
        const double threshold = trainer.at("skip_threshold").get<double>();
        skipThreshold = threshold < 0 ? std::numeric_limits<double>::infinity() : threshold;
        acceptedNormSum = trainer.at("accepted_sum").get<double>();
        acceptedCount = trainer.at("accepted_count").get<int64_t>();
        skipped = trainer.at("skipped").get<int64_t>();
    }
};

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
    config.validate();
    if (config.batch < 1 || config.epochs <= 0)
        throw Error("train: batch and epochs must be positive");
    checkDistillationSettings(config.distillation);
    if (config.lowN != 0 && !arch.supportsN(config.lowN))
        throw Error("train: --low-n " + std::to_string(config.lowN) + " does not divide N_cap=" +
                    std::to_string(arch.capacity));
    DataOptions dataOptions;
    dataOptions.fashionMnistDir = config.dataDir;
    dataOptions.imageSpec = arch.input;
    const DatasetPtr train = openDataset(config.trainData, dataOptions);
    const DatasetPtr test = openDataset(config.testData, dataOptions);
    requireClassifierCovers(*train, arch.numClasses);
    requireClassifierCovers(*test, arch.numClasses);

    checkPrecisionOn(config.precision, rankDevice(config));
    const std::unique_ptr<ProcessGroup> group = joinTrainingGroup(config);
    const int ranks = group ? group->size() : 1;
    torch::manual_seed(config.seed);
    const auto device = torchDevice(rankDevice(config));
    MimoConv model(arch);
    const std::string startNote = config.initialWeights.empty() ? "" : startFromWeights(model, config.initialWeights);
    model->to(device);
    const bool distilling = !config.distillation.teacherPath.empty();
    const TeacherTargets teacher =
        distilling ? teacherTargets(config.distillation, *train, arch, device) : TeacherTargets{};
    auto [noDecay, decay] = model->parametersByDecay();
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, std::make_unique<torch::optim::SGDOptions>(
                                   torch::optim::SGDOptions(0.0).momentum(0.9).weight_decay(config.weightDecay)));
    if (!noDecay.empty())
        groups.emplace_back(noDecay, std::make_unique<torch::optim::SGDOptions>(
                                         torch::optim::SGDOptions(0.0).momentum(0.9).weight_decay(0.0)));
    torch::optim::SGD optimizer(groups, torch::optim::SGDOptions(0.0));
    std::vector<torch::Tensor> parameters = model->parameters();

    const int64_t rankImages = int64_t(config.batch) * arch.capacity; // what one rank reads per step
    const int64_t imagesPerStep = rankImages * ranks;
    const int64_t stepsPerPass = int64_t(train->size()) / imagesPerStep;
    if (stepsPerPass < 1)
        throw Error("train: " + train->name() + " has " + std::to_string(train->size()) +
                    " items, fewer than one step needs (" + std::to_string(imagesPerStep) + ")");
    const int64_t stepsPerEpoch = stepsPerPass * arch.capacity;
    TrainingLoopConfig loop = loopConfigFor(config, fingerprint(config));
    loop.schedule.totalSteps = std::max<int64_t>(1, std::llround(config.epochs * double(stepsPerEpoch)));
    loop.trainItems = train->size();
    loop.itemsPerStep = imagesPerStep;
    loop.group = group.get();
    loop.stepsPerPass = stepsPerPass;
    loop.stepsPerEpoch = stepsPerEpoch;
    loop.evalEverySteps = std::max<int64_t>(1, std::llround(config.evalEveryEpochs * double(stepsPerEpoch)));
    loop.curveByEpoch = true;
    loop.testItems = "test images";
    loop.evaluation.ns = config.evalNs.empty() ? arch.supportedN() : config.evalNs;
    loop.evaluation.precision = config.precision;
    loop.evaluation.channelsLast = config.channelsLast;

    GradientFilter state;
    LossScaler scaler(config.precision == Precision::Fp16);
    int64_t overflowed = 0; // fp16 steps skipped for gradients that overflowed
    TrainingSteps steps;
    steps.setSchedule = [&](double lr, double momentum) { setSchedule(optimizer, lr, momentum); };
    steps.evaluate = [&](const EvalConfig& eval) { return evaluateConv(model, *test, eval); };
    steps.saveState = [&] {
        json saved = state.toJson();
        saved.update(scaler.toJson());
        saved["overflowed"] = overflowed;
        return saved;
    };
    steps.restoreState = [&](const json& trainer) {
        state.restore(trainer);
        scaler.restore(trainer);
        overflowed = trainer.value("overflowed", int64_t(0));
    };
    steps.skippedSteps = [&] { return state.skipped + overflowed; };
    UnreadableItems unreadable;
    steps.unreadable = &unreadable;
    steps.run = [&](int64_t step, const std::vector<std::size_t>& asked, std::string&) {
        std::vector<std::size_t> indices = asked;
        const auto batchInputs = [&](const std::vector<std::size_t>& items) { return imageBatch(*train, items, arch); };
        const auto readable = inputsReplacingUnreadable(*train, indices, batchInputs, unreadable);
        std::vector<int64_t> labelValues;
        for (std::size_t index : indices)
            labelValues.push_back(train->label(index));

        int n = (config.lowN != 0 && torch::rand({1}).item<double>() >= config.fastFraction) ? config.lowN
                                                                                              : arch.capacity;
        if (group) // every rank must run the same N: the same parameters get gradients
            n = int(group->fromRankZero(n));
        auto images = inLayout(augment(readable, config).to(device), config.channelsLast);
        auto labels = torch::tensor(labelValues, torch::kLong).to(device);
        double lambda = 1.0;
        torch::Tensor mixedLabels = labels;
        torch::Tensor softTargets;
        if (distilling)
            softTargets = teacher.probabilities.index_select(
                0, torch::tensor(std::vector<int64_t>(indices.begin(), indices.end()), torch::kLong).to(device));
        if (config.mixupAlpha > 0.0) {
            const auto g = torch::_standard_gamma(torch::full({2}, config.mixupAlpha, torch::kDouble));
            lambda = (g[0] / (g[0] + g[1])).item<double>();
            const auto perm = torch::randperm(rankImages, torch::kLong).to(device);
            images = lambda * images + (1.0 - lambda) * images.index_select(0, perm);
            mixedLabels = labels.index_select(0, perm);
            if (distilling)
                softTargets = lambda * softTargets + (1.0 - lambda) * softTargets.index_select(0, perm);
        }

        optimizer.zero_grad();
        if (config.isometryRegularisation > 0 && arch.activation == ConvActivation::PReLU &&
            step % config.isometryEvery == 0) {
            // Official order: the isometry term is back-propagated on its own first (docs/mimonets.md 2.9).
            // Applied every k-th step it is scaled by k: the same gradient on average.
            // With fp16 loss scaling its gradients are scaled too, like the loss's, and so the clip.
            scaler.scaled(config.isometryRegularisation * double(config.isometryEvery) * model->isometryRegularisation())
                .backward();
            torch::nn::utils::clip_grad_norm_(parameters, config.clipNorm * scaler.scale());
        }
        torch::Tensor loss, total;
        {
            const AutocastScope autocast(config.precision, device);
            const auto logits = model->forward(images, n).to(torch::kFloat);
            loss = lambda * torch::nn::functional::cross_entropy(logits, labels);
            if (lambda < 1.0)
                loss = loss + (1.0 - lambda) * torch::nn::functional::cross_entropy(logits, mixedLabels);
            if (distilling)
                loss = (1.0 - config.distillation.weight) * loss +
                       config.distillation.weight *
                           distillationLoss(logits, softTargets, config.distillation.temperature);
            total = loss;
            if (config.bindingRegularisation > 0 && arch.binding == ConvBinding::HRR)
                total = total + config.bindingRegularisation * model->bindingRegularisation().to(device);
        }
        scaler.scaled(total).backward();
        if (group)
            averageGradients(*group, parameters);
        const bool finite = scaler.unscale(parameters);
        const double gradNorm = torch::nn::utils::clip_grad_norm_(parameters, config.clipNorm);
        scaler.update(finite && std::isfinite(gradNorm));
        const bool accept = finite && std::isfinite(gradNorm) &&
                            (config.gradientSkipRatio <= 0 || gradNorm < state.skipThreshold);
        if (accept) {
            optimizer.step();
            state.acceptedNormSum += gradNorm;
            ++state.acceptedCount;
        } else if (scaler.enabled() && !(finite && std::isfinite(gradNorm))) {
            ++overflowed; // fp16: the loss scale was too large for this step, not the filter's doing
        } else {
            ++state.skipped;
        }
        if ((step + 1) % stepsPerEpoch == 0 && state.acceptedCount > 0) {
            state.skipThreshold = config.gradientSkipRatio * state.acceptedNormSum / double(state.acceptedCount);
            state.acceptedNormSum = 0.0;
            state.acceptedCount = 0;
        }
        return loss.item<double>();
    };

    TrainingLoop training(loop, steps, *model, optimizer);
    std::optional<TrainResult> result =
        trainToEnd(training, *model, config, train->classNames(), device.str(), callback, cancel);
    if (!result)
        return TrainResult{{}, {}, true};
    ModelCard& card = result->card;
    card.evaluation = "All " + std::to_string(test->size()) + " items of " + config.testData +
                      ", running-statistics batch norm, batches of 256 images.";
    card.notes = "Steps: " + std::to_string(training.steps()) + " (" + std::to_string(stepsPerEpoch) +
                 " per epoch), skipped by the gradient-norm filter: " + std::to_string(state.skipped) + ".";
    if (overflowed > 0)
        card.notes += " Skipped for float16 overflow (loss scaling): " + std::to_string(overflowed) + ".";
    card.notes += precisionNote(config.precision, scaler) +
                  dataParallelNote(group.get(), config.batch, std::to_string(rankImages) + " images", true) + startNote +
                  teacher.note;
    if (!unreadable.empty())
        card.notes += " Unreadable training items, each replaced by a readable item of its batch: " +
                      std::to_string(unreadable.size()) + ".";
    model->eval();
    if (!group || group->rank() == 0)
        saveConvModel(config.output, model, card);
    return *result;
}

} // namespace mimo
