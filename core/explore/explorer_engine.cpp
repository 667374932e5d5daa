#include "core/explore/explorer_engine.h"

#include "core/errors.h"
#include "core/explore/explorer_tour.h"
#include "core/model/model_file.h"
#include "core/model/torch_device.h"
#include "core/vsa/keys.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <optional>

namespace mimo {
namespace {

using Clock = std::chrono::steady_clock;

bool isHrrConv(const ModelInfo& info)
{
    return info.family == ModelFamily::Conv && info.conv.binding == ConvBinding::HRR && info.conv.capacity > 1;
}

bool isMimoFormer(const ModelInfo& info)
{
    return info.family == ModelFamily::Former && info.former.attention != FormerAttention::Performer;
}

void describeKeys(ModelSummary& summary)
{
    const ModelInfo& info = summary.info;
    if (isHrrConv(info)) {
        summary.keysAdjustable = true;
        summary.keyCount = info.conv.capacity;
        summary.keyDimension = info.conv.stemWidth;
        summary.keyDescription = std::to_string(info.conv.capacity) + " HRR keys of length " +
                                 std::to_string(info.conv.stemWidth) +
                                 ", bound to the stem's channels by circular convolution; at N below " +
                                 std::to_string(info.conv.capacity) + " each slot binds with a sum of keys";
    } else if (isMimoFormer(info)) {
        summary.keysAdjustable = true;
        summary.keyCount = info.former.gridM * info.former.gridN;
        summary.keyDimension = info.former.headDim;
        summary.keyDescription = std::to_string(summary.keyCount) + " bipolar keys of length " +
                                 std::to_string(info.former.headDim) + " per layer (an " +
                                 std::to_string(info.former.gridM) + " x " + std::to_string(info.former.gridN) +
                                 " grid), bound to queries and keys by elementwise product" +
                                 (info.former.attention == FormerAttention::MimoMlp
                                      ? "; the residual stream has its own keys of length " + std::to_string(info.former.dim)
                                      : std::string());
    } else if (info.family == ModelFamily::Conv && info.conv.capacity > 1) {
        summary.keyDescription = "this model binds with learned matrices (" + convBindingName(info.conv.binding) +
                                 "): there are no keys to replace";
    } else {
        summary.keyDescription = "this model computes one input at a time: it binds nothing";
    }
}

torch::Tensor scaledTo(torch::Tensor keys, const torch::Tensor& reference)
{
    // Drawn keys get the trained keys' mean length, so a comparison changes directions only.
    const auto target = reference.norm(2, 1).mean();
    return keys * (target / keys.norm(2, 1).clamp_min(1e-12)).unsqueeze(1);
}

torch::Tensor permutationIndex(const std::vector<int>& permutation, int64_t count)
{
    std::vector<int> sorted = permutation;
    std::sort(sorted.begin(), sorted.end());
    bool valid = int64_t(sorted.size()) == count;
    for (int64_t i = 0; valid && i < count; ++i)
        valid = sorted[size_t(i)] == i;
    if (!valid)
        throw Error("a key permutation must list each of 0.." + std::to_string(count - 1) + " exactly once");
    return torch::tensor(std::vector<int64_t>(permutation.begin(), permutation.end()), torch::kLong);
}

torch::Tensor valuesTensor(const KeyChoice& choice, int64_t rows, int64_t cols)
{
    const std::string source = choice.sourceName.empty() ? "key values" : choice.sourceName;
    if (choice.rows != rows || choice.cols != cols || int64_t(choice.values.size()) != rows * cols)
        throw DataError(source, "has " + std::to_string(choice.rows) + " key(s) of length " + std::to_string(choice.cols) +
                                    "; this model needs " + std::to_string(rows) + " of length " + std::to_string(cols));
    return torch::tensor(choice.values, torch::kFloat).view({rows, cols});
}

// Replacement keys [count, width] for one key set of the model, from its trained keys.
torch::Tensor replacementKeys(const KeyChoice& choice, const torch::Tensor& trained, uint64_t seedOffset)
{
    const int64_t count = trained.size(0), width = trained.size(1);
    switch (choice.kind) {
    case KeyChoice::Kind::Trained:
        return trained;
    case KeyChoice::Kind::Family:
        if (choice.family == KeyFamily::Orthogonal && count > width)
            throw Error("orthogonal keys need at most as many keys as their length (" + std::to_string(count) + " > " +
                        std::to_string(width) + ")");
        return scaledTo(vsa::makeKeys(choice.family, count, width, choice.seed + seedOffset), trained);
    case KeyChoice::Kind::Permutation:
        return trained.index_select(0, permutationIndex(choice.permutation, count));
    case KeyChoice::Kind::Values:
        return valuesTensor(choice, count, width);
    }
    return trained;
}

std::vector<float> row(const torch::Tensor& matrix, int64_t index)
{
    const auto r = matrix[index].to(torch::kFloat).contiguous();
    return std::vector<float>(r.data_ptr<float>(), r.data_ptr<float>() + r.numel());
}

} // namespace

struct ExplorerEngine::Impl {
    std::optional<LoadedModel> model;
    ModelSummary summary;
    KeyChoice applied; // what the model's keys are now

    const ModelInfo& info() const { return summary.info; }

    torch::Device device() const { return torchDevice(summary.device); }

    void requireModel() const
    {
        if (!model)
            throw Error("no model is loaded");
    }

    void applyKeys(const KeyChoice& choice)
    {
        requireModel();
        if (choice == applied)
            return;
        if (choice.kind != KeyChoice::Kind::Trained && !summary.keysAdjustable)
            throw Error(summary.keyDescription);
        torch::NoGradGuard noGrad;
        if (model->conv) {
            if (choice.kind == KeyChoice::Kind::Trained) {
                model->conv->restoreTrainedKeys();
            } else {
                model->conv->restoreTrainedKeys();
                const auto trained = model->conv->keys().to(torch::kCPU).clone();
                model->conv->overrideKeys(replacementKeys(choice, trained, 0));
            }
        } else if (model->former && isMimoFormer(info())) {
            if (choice.kind == KeyChoice::Kind::Trained) {
                model->former->restoreTrainedKeys();
            } else {
                model->former->restoreTrainedKeys();
                const auto& config = info().former;
                const int64_t count = int64_t(config.gridM) * config.gridN;
                std::vector<torch::Tensor> attention, stream;
                const auto attentionKeys = model->former->attentionKeys();
                for (size_t l = 0; l < attentionKeys.size(); ++l) {
                    const auto trained = attentionKeys[l].to(torch::kCPU).reshape({count, config.headDim}).clone();
                    attention.push_back(replacementKeys(choice, trained, l).view({config.gridM, config.gridN, config.headDim}));
                }
                // A key file gives attention keys only; the residual stream keeps its trained keys.
                if (choice.kind != KeyChoice::Kind::Values) {
                    const auto streamKeys = model->former->streamKeys();
                    for (size_t l = 0; l < streamKeys.size(); ++l) {
                        const auto trained = streamKeys[l].to(torch::kCPU).reshape({count, config.dim}).clone();
                        stream.push_back(replacementKeys(choice, trained, 1000 + l).view({config.gridM, config.gridN, config.dim}));
                    }
                }
                model->former->overrideKeys(attention, stream);
            }
        }
        applied = choice;
    }

    // [count, width] keys binding the n slots under the applied keys, or undefined.
    torch::Tensor slotKeys(int n) const
    {
        if (model->conv && isHrrConv(info()))
            return model->conv->effectiveKeys(n).to(torch::kCPU);
        if (model->former && isMimoFormer(info())) {
            const auto [m, nn] = info().former.gridFor(n);
            const auto keys = model->former->attentionKeys().front().to(torch::kCPU);
            return keys.slice(0, 0, m).slice(1, 0, nn).reshape({int64_t(m) * nn, info().former.headDim});
        }
        return {};
    }

    void checkN(int n) const
    {
        if (!info().supportsN(n)) {
            std::string served;
            for (int value : info().supportedN())
                served += (served.empty() ? "" : ", ") + std::to_string(value);
            throw Error(summary.path + ": N=" + std::to_string(n) + " is not served by this model (it serves N = " +
                        served + ")");
        }
    }
};

ExplorerEngine::ExplorerEngine() : impl_(std::make_unique<Impl>()) {}
ExplorerEngine::~ExplorerEngine() = default;

std::vector<std::string> ExplorerEngine::availableDevices()
{
    std::vector<std::string> devices{"cpu"};
    if (cudaAvailable())
        devices.push_back("cuda");
    return devices;
}

ModelSummary ExplorerEngine::load(const std::string& path, const std::string& device)
{
    const std::string resolved = resolveDeviceName(device); // "auto" -> cuda or cpu; throws for none
    LoadedModel loaded = loadModel(path, resolved); // throws before anything changes
    ModelSummary summary;
    summary.path = path;
    summary.info = loaded.info;
    summary.device = resolved;
    describeKeys(summary);
    if (loaded.conv)
        loaded.conv->setBatchNormMode(BatchNormMode::Running);
    impl_->model = std::move(loaded);
    impl_->summary = summary;
    impl_->applied = KeyChoice{};
    return summary;
}

bool ExplorerEngine::hasModel() const { return impl_->model.has_value(); }

const ModelSummary& ExplorerEngine::summary() const
{
    impl_->requireModel();
    return impl_->summary;
}

void ExplorerEngine::setDevice(const std::string& device)
{
    impl_->requireModel();
    const std::string resolved = resolveDeviceName(device);
    if (impl_->model->conv)
        impl_->model->conv->to(torchDevice(resolved));
    else
        impl_->model->former->to(torchDevice(resolved));
    impl_->summary.device = resolved;
}

TensorView ExplorerEngine::keysInUse(const KeyChoice& keys, int n)
{
    impl_->requireModel();
    impl_->checkN(n);
    impl_->applyKeys(keys);
    const auto used = impl_->slotKeys(n);
    if (!used.defined())
        return {};
    return tensorView(used, "keys", "the key binding each slot (rows) at N=" + std::to_string(n));
}

TensorView ExplorerEngine::keySimilarity(const KeyChoice& keys, int n)
{
    impl_->requireModel();
    impl_->checkN(n);
    impl_->applyKeys(keys);
    const auto used = impl_->slotKeys(n);
    if (!used.defined())
        return {};
    return tensorView(vsa::keySimilarity(used), "key similarity",
                      "cosine similarity of the keys binding the " + std::to_string(n) + " slots");
}

TensorView ExplorerEngine::allKeys(const KeyChoice& keys)
{
    impl_->requireModel();
    impl_->applyKeys(keys);
    const auto& info = impl_->info();
    if (impl_->model->conv && isHrrConv(info))
        return tensorView(impl_->model->conv->keys(), "keys", "every HRR key of the model (rows)");
    if (impl_->model->former && isMimoFormer(info))
        return tensorView(impl_->model->former->attentionKeys().front().reshape(
                              {int64_t(info.former.gridM) * info.former.gridN, info.former.headDim}),
                          "keys", "the attention keys of layer 0, grid row by grid row");
    return {};
}

RunResult ExplorerEngine::run(const RunRequest& request)
{
    const auto started = Clock::now();
    impl_->requireModel();
    Impl& d = *impl_;
    const ModelInfo& info = d.info();
    d.checkN(request.n);
    if (int(request.inputs.size()) != request.n)
        throw Error(std::to_string(request.inputs.size()) + " input(s) given for N=" + std::to_string(request.n) +
                    ": fill every slot");
    d.applyKeys(request.keys);

    torch::InferenceMode inference;
    const auto device = d.device();
    std::vector<std::string> sources;
    for (const auto& input : request.inputs)
        sources.push_back(input.name);
    TourInputs tour;
    tour.info = &info;
    tour.n = request.n;
    tour.keysDescription = request.keys.describe();
    tour.sources = sources;
    torch::Tensor superposed, alone;
    std::pair<int, int> grid{1, 1};
    if (d.model->conv) {
        const auto& spec = info.conv.input;
        std::vector<torch::Tensor> images, shown;
        for (const auto& input : request.inputs) {
            const auto& image = input.image;
            if (!input.isImage || image.channels != spec.channels || image.height != spec.height || image.width != spec.width)
                throw Error(input.name + ": not prepared for this model (it expects a " + info.inputDescription() +
                            "); load the input again");
            images.push_back(torch::tensor(image.normalized, torch::kFloat).view({spec.channels, spec.height, spec.width}));
            shown.push_back(torch::tensor(image.display, torch::kFloat).view({spec.channels, spec.height, spec.width}));
        }
        const auto batch = torch::stack(images).to(device);
        ConvForwardOptions options;
        options.n = request.n;
        options.captureIntermediates = request.withTour;
        auto out = d.model->conv->forward(batch, options);
        superposed = torch::softmax(out.logits, 1).to(torch::kCPU);
        alone = torch::softmax(d.model->conv->forward(batch, 1), 1).to(torch::kCPU);
        tour.intermediates = std::move(out.intermediates);
        tour.inputs = torch::stack(shown);
    } else {
        const auto& config = info.former;
        auto tokens = torch::zeros({request.n, int64_t(config.maxLength)}, torch::kLong);
        for (int i = 0; i < request.n; ++i) {
            const auto& input = request.inputs[size_t(i)];
            if (input.isImage || input.tokens.empty() || int64_t(input.tokens.size()) > config.maxLength)
                throw Error(input.name + ": not prepared for this model (it expects a " + info.inputDescription() +
                            "); load the input again");
            for (size_t t = 0; t < input.tokens.size(); ++t) {
                const int32_t id = input.tokens[t];
                if (id < 0 || id >= config.vocabularySize)
                    throw Error(input.name + ": token id " + std::to_string(id) + " is outside this model's vocabulary");
                tokens[i][int64_t(t)] = int64_t(id);
            }
        }
        grid = config.gridFor(request.n);
        auto& model = d.model->former;
        const auto onDevice = tokens.to(device);
        try {
            model->setGrid(grid.first, grid.second);
            auto out = model->forward(onDevice, request.withTour);
            superposed = torch::softmax(out.logits, 1).to(torch::kCPU);
            model->setGrid(1, 1);
            alone = torch::softmax(model->forward(onDevice), 1).to(torch::kCPU);
            tour.intermediates = std::move(out.intermediates);
        } catch (...) {
            model->setGrid(config.superposed() > 1 ? config.gridM : 1, config.superposed() > 1 ? config.gridN : 1);
            throw;
        }
        model->setGrid(config.superposed() > 1 ? config.gridM : 1, config.superposed() > 1 ? config.gridN : 1);
        tour.inputs = tokens;
    }

    RunResult result;
    result.n = request.n;
    result.device = d.summary.device;
    result.keys = request.keys.describe();
    result.grid = d.model->conv ? "N_cap=" + std::to_string(info.conv.capacity) + ", N=" + std::to_string(request.n)
                                : std::to_string(grid.first) + " x " + std::to_string(grid.second) + " grid";
    const auto& names = info.card.classNames;
    for (int i = 0; i < request.n; ++i) {
        SlotPrediction slot;
        slot.source = sources[size_t(i)];
        result.superposedProbabilities.push_back(row(superposed, i));
        result.aloneProbabilities.push_back(row(alone, i));
        slot.superposed = topClasses(result.superposedProbabilities.back(), names, request.topK);
        slot.alone = topClasses(result.aloneProbabilities.back(), names, request.topK);
        slot.disagree = !slot.superposed.empty() && !slot.alone.empty() &&
                        slot.superposed.front().index != slot.alone.front().index;
        result.predictions.push_back(slot);
        result.labels.push_back(request.inputs[size_t(i)].label);
    }
    const auto keys = d.slotKeys(request.n);
    if (keys.defined())
        result.keySimilarity = tensorView(vsa::keySimilarity(keys), "key similarity",
                                          "cosine similarity of the keys binding the " + std::to_string(request.n) +
                                              " slots");
    if (request.withTour) {
        tour.keys = keys;
        tour.superposed = superposed;
        tour.alone = alone;
        result.tour = d.model->conv ? convTour(tour) : formerTour(tour, grid.first, grid.second);
    }
    synchronizeDevice(device);
    result.milliseconds = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    return result;
}

} // namespace mimo
