#include "core/train/former_trainer.h"

#include "core/data/dataset_spec.h"
#include "core/distributed/model_sync.h"
#include "core/errors.h"
#include "core/eval/former_evaluation.h"
#include "core/eval/readable_inputs.h"
#include "core/model/model_file.h"
#include "core/model/autocast_scope.h"
#include "core/model/torch_device.h"
#include "core/train/initial_weights.h"
#include "core/train/loss_scaler.h"
#include "core/train/training_loop.h"

#include <torch/torch.h>

#include <cstdio>

namespace mimo {
namespace {

using nlohmann::json;

// The fields of this recipe a checkpoint must match (loopConfigFor adds the common ones).
json fingerprint(const FormerTrainConfig& c)
{
    return json{{"steps", c.steps}, {"warmup", c.warmupSteps}, {"mimo_warmup", c.mimoWarmupSteps}};
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

// The warm-up grid of docs/mimonets.md 3.5: half of M and of N, at least 1.
std::pair<int, int> warmupGrid(const MimoFormerConfig& arch)
{
    return {std::max(1, arch.gridM / 2), std::max(1, arch.gridN / 2)};
}

} // namespace

TrainResult trainFormer(const FormerTrainConfig& config, TrainCallback callback, const std::atomic<bool>* cancel)
{
    const auto& arch = config.architecture;
    arch.validate();
    config.validate();
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
    DataOptions dataOptions;
    dataOptions.fashionMnistDir = config.dataDir;
    dataOptions.sequenceLength = static_cast<std::size_t>(arch.maxLength);
    dataOptions.pixelHeight = arch.imageHeight;
    dataOptions.pixelWidth = arch.imageWidth;
    const DatasetPtr train = openDataset(config.trainData, dataOptions);
    const DatasetPtr test = openDataset(config.testData, dataOptions);
    checkSequenceData(*train, arch);
    checkSequenceData(*test, arch);
    requireClassifierCovers(*train, arch.numClasses);
    requireClassifierCovers(*test, arch.numClasses);
    if (train->size() < size_t(config.batch))
        throw Error("train: " + train->name() + " has " + std::to_string(train->size()) + " items, fewer than one batch");

    checkPrecisionOn(config.precision, rankDevice(config));
    const std::unique_ptr<ProcessGroup> group = joinTrainingGroup(config);
    const int ranks = group ? group->size() : 1;
    torch::manual_seed(config.seed);
    const auto device = torchDevice(rankDevice(config));
    MimoFormer model(arch);
    const std::string startNote = config.initialWeights.empty() ? "" : startFromWeights(model, config.initialWeights);
    model->to(device);
    const std::vector<torch::Tensor> parameters = model->parameters();
    torch::optim::AdamW optimizer(
        parameters,
        torch::optim::AdamWOptions(config.maxLr).betas(std::make_tuple(0.95, 0.999)).eps(1e-6).weight_decay(config.weightDecay));
    TrainingLoopConfig loop = loopConfigFor(config, fingerprint(config));
    loop.schedule.totalSteps = config.steps;
    loop.schedule.pctStart = double(config.warmupSteps) / double(config.steps);
    loop.schedule.anneal = OneCycle::Anneal::Linear;
    loop.trainItems = train->size();
    loop.itemsPerStep = int64_t(config.batch) * ranks;
    loop.group = group.get();
    if (train->size() < size_t(loop.itemsPerStep))
        throw Error("train: " + train->name() + " has " + std::to_string(train->size()) + " items, fewer than one step of " +
                    std::to_string(ranks) + " ranks needs (" + std::to_string(loop.itemsPerStep) + ")");
    loop.stepsPerPass = loop.stepsPerEpoch = std::max<int64_t>(1, int64_t(train->size()) / loop.itemsPerStep);
    loop.evalEverySteps = config.evalEverySteps;
    loop.testItems = "test items";
    const std::vector<int> evalNs = config.evalNs.empty() ? arch.supportedN() : config.evalNs;
    loop.evaluation.ns = evalNs;
    loop.evaluation.precision = config.precision;
    loop.evaluation.batch = std::max(config.batch, 64);
    const auto [halfM, halfN] = warmupGrid(arch);

    LossScaler scaler(config.precision == Precision::Fp16);
    int64_t overflowed = 0; // fp16 steps skipped for gradients that overflowed
    TrainingSteps steps;
    steps.setSchedule = [&](double lr, double beta1) { setSchedule(optimizer, lr, beta1); };
    steps.saveState = [&] {
        json saved = scaler.toJson();
        saved["overflowed"] = overflowed;
        return saved;
    };
    steps.restoreState = [&](const json& trainer) {
        scaler.restore(trainer);
        overflowed = trainer.value("overflowed", int64_t(0));
    };
    steps.skippedSteps = [&] { return overflowed; };
    steps.evaluate = [&](const EvalConfig& eval) { return evaluateFormer(model, *test, eval); };
    UnreadableItems unreadable;
    steps.unreadable = &unreadable;
    steps.run = [&, halfM = halfM, halfN = halfN](int64_t step, const std::vector<std::size_t>& asked,
                                                  std::string& message) {
        std::vector<std::size_t> indices = asked;
        const auto tokens = inputsReplacingUnreadable(*train, indices, [&](const std::vector<std::size_t>& items) {
            return tokenBatch(*train, items);
        }, unreadable).to(device);
        std::vector<int64_t> labelValues;
        for (std::size_t index : indices)
            labelValues.push_back(train->label(index));
        const auto labels = torch::tensor(labelValues, torch::kLong).to(device);

        const bool warmingUp = arch.attention == FormerAttention::Mimo && step < config.mimoWarmupSteps;
        optimizer.zero_grad();
        FormerForwardOptions forward;
        forward.grid = warmingUp ? std::make_pair(halfM, halfN) : std::make_pair(arch.gridM, arch.gridN);
        torch::Tensor loss;
        {
            const AutocastScope autocast(config.precision, device);
            loss = torch::nn::functional::cross_entropy(model->forward(tokens, forward).logits.to(torch::kFloat), labels);
        }
        scaler.scaled(loss).backward();
        if (group)
            averageGradients(*group, parameters);
        const bool finite = scaler.unscale(parameters);
        scaler.update(finite);
        if (finite)
            optimizer.step();
        else
            ++overflowed;
        if (warmingUp && step + 1 == config.mimoWarmupSteps)
            message = "MIMO warm-up done: from now on M=" + std::to_string(arch.gridM) + ", N=" +
                      std::to_string(arch.gridN);
        return loss.item<double>();
    };

    TrainingLoop training(loop, steps, *model, optimizer);
    std::optional<TrainResult> result =
        trainToEnd(training, *model, config, train->classNames(), device.str(), callback, cancel);
    if (!result)
        return TrainResult{{}, {}, true};
    ModelCard& card = result->card;
    std::string grids;
    for (int n : evalNs) {
        const auto [m, k] = arch.gridFor(n);
        grids += (grids.empty() ? "" : ", ") + std::string("N=") + std::to_string(n) + " on M=" + std::to_string(m) +
                 " x N=" + std::to_string(k);
    }
    card.evaluation = "All " + std::to_string(test->size()) + " items of " + config.testData +
                      ", in consecutive groups; trained for M=" + std::to_string(arch.gridM) + ", N=" +
                      std::to_string(arch.gridN) + "; evaluated " + grids + ".";
    card.notes = "Steps: " + std::to_string(training.steps()) + " of batch " + std::to_string(config.batch) + " (" +
                 std::to_string(loop.stepsPerEpoch) + " per pass over the data); MIMO warm-up: " +
                 std::to_string(arch.attention == FormerAttention::Mimo ? config.mimoWarmupSteps : 0) +
                 " steps at M=" + std::to_string(halfM) + ", N=" + std::to_string(halfN) +
                 "; AdamW eps 1e-6, weight decay " + shortNumber(config.weightDecay) +
                 ", OneCycle linear, beta1 cycled 0.95-0.85." + precisionNote(config.precision, scaler);
    card.notes += dataParallelNote(group.get(), config.batch, std::to_string(config.batch) + " sequences", false) +
                  startNote;
    if (!unreadable.empty())
        card.notes += " Unreadable training items, each replaced by a readable item of its batch: " +
                      std::to_string(unreadable.size()) + ".";
    model->eval();
    if (!group || group->rank() == 0)
        saveFormerModel(config.output, model, card);
    return *result;
}

} // namespace mimo
