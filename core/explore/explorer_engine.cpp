#include "core/explore/explorer_engine.h"

#include "core/explore/engine_impl.h"

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

void describeKeys(ModelSummary& summary)
{
    const ModelInfo& info = summary.info;
    if (isHrrConv(info)) {
        const auto& conv = info.conv();
        summary.keysAdjustable = true;
        summary.keyCount = conv.capacity;
        summary.keyDimension = conv.stemWidth;
        summary.keyDescription = std::to_string(conv.capacity) + " HRR keys of length " +
                                 std::to_string(conv.stemWidth) +
                                 ", bound to the stem's channels by circular convolution; at N below " +
                                 std::to_string(conv.capacity) + " each slot binds with a sum of keys";
    } else if (isMimoFormer(info)) {
        const auto& former = info.former();
        summary.keysAdjustable = true;
        summary.keyCount = former.gridM * former.gridN;
        summary.keyDimension = former.headDim;
        summary.keyDescription = std::to_string(summary.keyCount) + " bipolar keys of length " +
                                 std::to_string(former.headDim) + " per layer (an " +
                                 std::to_string(former.gridM) + " x " + std::to_string(former.gridN) +
                                 " grid), bound to queries and keys by elementwise product" +
                                 (former.attention == FormerAttention::MimoMlp
                                      ? "; the residual stream has its own keys of length " + std::to_string(former.dim)
                                      : std::string());
    } else if (info.isConv() && info.conv().capacity > 1) {
        summary.keyDescription = "this model binds with learned matrices (" + convBindingName(info.conv().binding) +
                                 "): there are no keys to replace";
    } else {
        summary.keyDescription = "this model computes one input at a time: it binds nothing";
    }
}

std::vector<float> row(const torch::Tensor& matrix, int64_t index)
{
    const auto r = matrix[index].to(torch::kFloat).contiguous();
    return std::vector<float>(r.data_ptr<float>(), r.data_ptr<float>() + r.numel());
}

} // namespace

ExplorerEngine::ExplorerEngine() : impl_(std::make_unique<Impl>()) {}
ExplorerEngine::~ExplorerEngine() = default;

std::vector<std::string> ExplorerEngine::availableDevices() { return availableDeviceNames(); }

std::string ExplorerEngine::fallBackToCpu(const std::exception& error)
{
    if (!impl_->model || impl_->summary.device == "cpu" || !isDeviceFailure(error))
        return {};
    const std::string failed = impl_->summary.device;
    try {
        impl_->model->module().to(torch::kCPU);
    } catch (const std::exception&) {
        return {}; // the GPU cannot even give the weights back: the error stands as it is
    }
    impl_->summary.device = "cpu";
    // The replacement keys live on the failed GPU: the next run builds them again on the CPU.
    impl_->applied = KeyChoice{};
    impl_->replacement = KeyOverride{};
    return "The GPU (" + failed + ") failed: " + userErrorText(error) +
           ". The model now computes on the CPU; the Device box can move it back.";
}

ModelSummary ExplorerEngine::load(const std::string& path, const std::string& device)
{
    const std::string resolved = resolveDeviceName(device); // "auto" -> cuda or cpu; throws for none
    // Throws before anything changes. A GPU that cannot take the new model is this load's
    // failure, not the loaded model's: said as an error of its own, so nothing falls back.
    LoadedModel loaded = [&] {
        try {
            return loadModel(path, resolved);
        } catch (const std::exception& error) {
            if (isDeviceFailure(error))
                throw Error(path + ": cannot be put on " + resolved + ": " + userErrorText(error));
            throw;
        }
    }();
    if (loaded.isFormer() && loaded.info.former().dualHead)
        throw DataError(path, "a two-document model (LRA Retrieval): the explorer shows models that read one "
                              "sequence or image per input");
    ModelSummary summary;
    summary.path = path;
    summary.info = loaded.info;
    summary.device = canonicalDeviceName(resolved);
    describeKeys(summary);
    impl_->model = std::move(loaded);
    impl_->summary = summary;
    impl_->applied = KeyChoice{};
    impl_->replacement = KeyOverride{};
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
    const auto moveTo = [this](const std::string& where) { impl_->model->module().to(torchDevice(where)); };
    try {
        moveTo(resolved);
    } catch (...) { // e.g. out of GPU memory half way: everything back where it was
        moveTo(impl_->summary.device);
        throw;
    }
    impl_->summary.device = canonicalDeviceName(resolved);
}

TensorView ExplorerEngine::keysInUse(const KeyChoice& keys, int n)
{
    const auto used = impl_->slotKeysUnder(keys, n);
    if (!used.defined())
        return {};
    return tensorView(used, "keys", "the key binding each slot (rows) at N=" + std::to_string(n));
}

TensorView ExplorerEngine::keySimilarity(const KeyChoice& keys, int n)
{
    const auto used = impl_->slotKeysUnder(keys, n);
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
    const KeyOverride& replaced = impl_->replacement;
    if (impl_->model->isConv() && isHrrConv(info))
        return tensorView(replaced.conv.defined() ? replaced.conv : impl_->model->conv()->keys(), "keys",
                          "every HRR key of the model (rows)");
    if (impl_->model->isFormer() && isMimoFormer(info)) {
        const auto& former = info.former();
        const auto layer0 =
            replaced.attention.empty() ? impl_->model->former()->attentionKeys().front() : replaced.attention.front();
        return tensorView(layer0.reshape({int64_t(former.gridM) * former.gridN, former.headDim}), "keys",
                          "the attention keys of layer 0, grid row by grid row");
    }
    return {};
}

RunResult ExplorerEngine::run(const RunRequest& request)
{
    const auto started = Clock::now();
    Impl& d = *impl_;
    d.checkRequest(request);
    const ModelInfo& info = d.info();

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
    if (d.model->isConv()) {
        torch::Tensor shown;
        const auto batch = d.imageBatch(request.inputs, &shown);
        auto out = d.convForward(batch, request.n, request.withTour);
        superposed = torch::softmax(out.logits, 1).to(torch::kCPU);
        alone = torch::softmax(d.convForward(batch, 1).logits, 1).to(torch::kCPU);
        tour.intermediates = std::move(out.intermediates);
        tour.inputs = shown;
    } else {
        const auto tokens = d.tokenBatch(request.inputs);
        grid = info.former().gridFor(request.n);
        auto out = d.formerForward(tokens, grid, request.withTour);
        superposed = torch::softmax(out.logits, 1).to(torch::kCPU);
        alone = torch::softmax(d.formerForward(tokens, {1, 1}, false).logits, 1).to(torch::kCPU);
        tour.intermediates = std::move(out.intermediates);
        tour.inputs = tokens.to(torch::kCPU);
    }

    RunResult result;
    result.n = request.n;
    result.device = d.summary.device;
    result.keys = request.keys.describe();
    result.grid = d.model->isConv() ? "N_cap=" + std::to_string(info.conv().capacity) + ", N=" + std::to_string(request.n)
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
        result.tour = d.model->isConv() ? convTour(tour) : formerTour(tour, grid.first, grid.second);
    }
    synchronizeDevice(device);
    result.milliseconds = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    return result;
}

} // namespace mimo
