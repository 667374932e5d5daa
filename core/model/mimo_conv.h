#pragma once
// MIMOConv (docs/mimonets.md section 2) and its WideResNet baseline as a LibTorch module.
// Parameter names follow the official PyTorch code, so official state_dicts load by name.
// torch header: include only from core .cpp files and tests, never from Qt-facing headers.
#include "core/model/conv_config.h"
#include "core/model/stage_clock.h"

#include <torch/nn.h>

#include <string>
#include <utility>
#include <vector>

namespace mimo {

// BatchNorm2d with the official buffer names, able to use batch statistics in eval mode
// without touching the running ones (the official evaluation quirk, docs/mimonets.md 2.11).
class ModeBatchNormImpl : public torch::nn::Module {
public:
    explicit ModeBatchNormImpl(int64_t channels);
    // batchStatistics: in eval mode, normalise with the batch's statistics (ignored in training,
    // which always does and updates the running ones).
    torch::Tensor forward(const torch::Tensor& x, bool batchStatistics = false);

    torch::Tensor weight, bias, running_mean, running_var, num_batches_tracked;
};
TORCH_MODULE(ModeBatchNorm);

enum class BatchNormMode { Running, Batch };

// Pre-activation block; shortcut from the raw input (official deviation, docs/mimonets.md 2.5).
class WideBlockImpl : public torch::nn::Module {
public:
    WideBlockImpl(int64_t in, int64_t out, int64_t stride, ConvActivation activation);
    torch::Tensor forward(const torch::Tensor& x, bool batchStatistics = false);
    // Convs covered by the isometry regulariser: conv1, conv2 and the downsample conv.
    std::vector<std::pair<torch::nn::Conv2d, int64_t>> regularisedConvs() const;

private:
    torch::Tensor activate(const torch::Tensor& x, torch::nn::PReLU& prelu);

    ConvActivation activation_;
    int64_t stride_;
    ModeBatchNorm bn1_{nullptr}, bn2_{nullptr};
    torch::nn::PReLU relu1_{nullptr}, relu2_{nullptr};
    torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr};
    torch::nn::Sequential downsample_{nullptr};
    torch::nn::Conv2d downsampleConv_{nullptr};
    ModeBatchNorm downsampleBn_{nullptr};
    torch::Tensor alpha_; // unused by the forward pass, kept for state_dict compatibility
};
TORCH_MODULE(WideBlock);

// Everything one forward pass may choose, passed with the call (as PyTorch passes such choices)
// rather than set on the model: a model never holds a temporary state, and callers may run the
// same model with different options at the same time.
struct ConvForwardOptions {
    int n = 1;                      // inputs per superposition; must divide N_cap
    bool captureIntermediates = false;
    StageClock* clock = nullptr;    // when set: time per stage (stem, binding, stages, unbinding, classifier)
    // [n] weight of each slot's bound input in the sum (undefined: all 1). A 0 removes a slot
    // from the superposition while keeping its place: the explorer computes one slot's path alone.
    torch::Tensor slotMask;
    // HRR keys [N_cap, D] to bind with instead of the trained ones (undefined: the trained keys),
    // for exploring; any device and floating type. HRR models only (mimo::Error otherwise).
    torch::Tensor keys;
    // Batch: in eval mode, batch norm uses the batch's statistics (the official evaluation quirk,
    // docs/mimonets.md 2.11); the running statistics are never touched. Ignored in training mode.
    BatchNormMode batchNorm = BatchNormMode::Running;
};

struct ConvForwardOutput {
    torch::Tensor logits; // [B, classes], in input order
    // In pipeline order, when requested: "stem" [B, D, H, W], "bound" [G, N, D, H, W],
    // "superposed" [G, D, H, W], "layer1".."layer3", "pooled" [G, C], "unbound" [B, C].
    std::vector<std::pair<std::string, torch::Tensor>> intermediates;
};

class MimoConvImpl : public torch::nn::Module {
public:
    explicit MimoConvImpl(const MimoConvConfig& config);

    // x: [B, C, H, W] normalised images, B a multiple of options.n (throws mimo::Error otherwise).
    ConvForwardOutput forward(const torch::Tensor& x, const ConvForwardOptions& options);
    torch::Tensor forward(const torch::Tensor& x, int n)
    {
        ConvForwardOptions options;
        options.n = n;
        return forward(x, options).logits;
    }

    // The trained HRR keys as circular-convolution vectors [N_cap, D] (from the official
    // channelConv layout); undefined for other bindings. Keys used in mode N: the sums over
    // repeats [N, D], of the trained keys or of `keys` ([N_cap, D], as ConvForwardOptions::keys).
    torch::Tensor keys() const;
    torch::Tensor effectiveKeys(int n, const torch::Tensor& keys = {}) const;
    // Throws mimo::Error unless `keys` can replace this model's keys in a forward pass (an HRR
    // model, shape [N_cap, D]).
    void checkKeys(const torch::Tensor& keys) const;

    torch::Tensor bindingRegularisation() const;   // docs/mimonets.md 2.3 (0 unless HRR with N_cap > 1)
    torch::Tensor isometryRegularisation() const;  // docs/mimonets.md 2.6, float64 (0 for ReLU baselines)
    // Parameters without weight decay (the PReLU slopes) and with it (everything else).
    std::pair<std::vector<torch::Tensor>, std::vector<torch::Tensor>> parametersByDecay() const;

    const MimoConvConfig& config() const { return config_; }

private:
    // [n, D, D] matrices that bind slot i of mode n: circulant of the summed HRR keys (the
    // trained ones, or `keys` when defined), or the summed MBAT matrices.
    torch::Tensor bindingMatrices(int n, const torch::Tensor& keys) const;
    torch::Tensor bindAndSuperpose(const torch::Tensor& stem, const ConvForwardOptions& options,
                                   ConvForwardOutput* capture);

    MimoConvConfig config_;
    torch::nn::Conv2d conv1_{nullptr};
    ModeBatchNorm bn1_{nullptr};
    // Official layouts: channelConv.weight [N_cap, 1, D] (HRR), channelLinear.weight
    // [N_cap*D, D, 1, 1] (MBAT). Binding itself runs as one matrix product (see .cpp).
    std::shared_ptr<torch::nn::Module> channelConv_;
    std::shared_ptr<torch::nn::Module> channelLinear_;
    std::vector<torch::nn::Sequential> stages_;
    std::vector<std::vector<WideBlock>> blocks_; // the blocks of each stage, to pass options on
    torch::nn::Sequential unbind_{nullptr};
    torch::nn::Linear fc_{nullptr};
};
TORCH_MODULE(MimoConv);

// docs/mimonets.md 2.3 for HRR keys [count, D]: mean squared deviation of the norms from 1, plus the mean
// squared cosine of every pair when count > 1.
torch::Tensor keyRegularisation(const torch::Tensor& keys);

int64_t parameterCount(const torch::nn::Module& module);

} // namespace mimo
