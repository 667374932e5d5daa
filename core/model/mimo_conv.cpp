#include "core/model/mimo_conv.h"

#include "core/errors.h"

#include <torch/torch.h>

#include <cmath>

namespace mimo {
namespace {

torch::nn::Conv2d conv(int64_t in, int64_t out, int64_t kernel, int64_t stride, bool bias = false)
{
    return torch::nn::Conv2d(
        torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2).bias(bias));
}

torch::nn::PReLU prelu(int64_t channels)
{
    return torch::nn::PReLU(torch::nn::PReLUOptions().num_parameters(channels).init(0.5));
}

// docs/mimonets.md 2.6: ||conv(W, W) - I_centre||^2 / 2 with W transposed to the wide side.
torch::Tensor isometryPenalty(const torch::Tensor& weight, int64_t stride)
{
    auto w = weight.to(torch::kDouble);
    if (w.size(1) < w.size(0))
        w = w.transpose(0, 1);
    const int64_t k = w.size(2);
    const auto gram = torch::conv2d(w, w, {}, stride, k - 1);
    auto target = torch::zeros_like(gram);
    const int64_t rows = gram.size(0);
    target.index_put_({torch::indexing::Slice(), torch::indexing::Slice(), gram.size(2) / 2, gram.size(3) / 2},
                      torch::eye(rows, target.options()));
    return (gram - target).square().sum() / 2.0;
}

} // namespace

ModeBatchNormImpl::ModeBatchNormImpl(int64_t channels)
{
    weight = register_parameter("weight", torch::ones({channels}));
    bias = register_parameter("bias", torch::zeros({channels}));
    running_mean = register_buffer("running_mean", torch::zeros({channels}));
    running_var = register_buffer("running_var", torch::ones({channels}));
    num_batches_tracked = register_buffer("num_batches_tracked", torch::zeros({}, torch::kLong));
}

torch::Tensor ModeBatchNormImpl::forward(const torch::Tensor& x, bool batchStatistics)
{
    constexpr double kMomentum = 0.1, kEpsilon = 1e-5;
    if (is_training()) {
        {
            torch::NoGradGuard noGrad;
            num_batches_tracked.add_(1);
        }
        return torch::batch_norm(x, weight, bias, running_mean, running_var, true, kMomentum, kEpsilon, false);
    }
    if (batchStatistics) // batch statistics, running ones left untouched
        return torch::batch_norm(x, weight, bias, {}, {}, true, 0.0, kEpsilon, false);
    return torch::batch_norm(x, weight, bias, running_mean, running_var, false, kMomentum, kEpsilon, false);
}

WideBlockImpl::WideBlockImpl(int64_t in, int64_t out, int64_t stride, ConvActivation activation)
    : activation_(activation), stride_(stride)
{
    bn1_ = register_module("bn1", ModeBatchNorm(in));
    if (activation == ConvActivation::PReLU)
        relu1_ = register_module("relu1", prelu(in));
    conv1_ = register_module("conv1", conv(in, out, 3, stride));
    bn2_ = register_module("bn2", ModeBatchNorm(out));
    if (activation == ConvActivation::PReLU)
        relu2_ = register_module("relu2", prelu(out));
    conv2_ = register_module("conv2", conv(out, out, 3, 1));
    alpha_ = register_parameter("alpha", torch::zeros({}));
    if (stride != 1 || in != out) {
        downsampleConv_ = conv(in, out, 1, stride);
        downsampleBn_ = ModeBatchNorm(out);
        downsample_ = register_module("downsample", torch::nn::Sequential(downsampleConv_, downsampleBn_));
    }
}

torch::Tensor WideBlockImpl::activate(const torch::Tensor& x, torch::nn::PReLU& slope)
{
    return activation_ == ConvActivation::PReLU ? slope->forward(x) : torch::relu(x);
}

torch::Tensor WideBlockImpl::forward(const torch::Tensor& x, bool batchStatistics)
{
    auto out = conv1_->forward(activate(bn1_->forward(x, batchStatistics), relu1_));
    out = conv2_->forward(activate(bn2_->forward(out, batchStatistics), relu2_));
    return out + (downsample_ ? downsampleBn_->forward(downsampleConv_->forward(x), batchStatistics) : x);
}

std::vector<std::pair<torch::nn::Conv2d, int64_t>> WideBlockImpl::regularisedConvs() const
{
    std::vector<std::pair<torch::nn::Conv2d, int64_t>> convs{{conv1_, stride_}, {conv2_, 1}};
    if (downsampleConv_)
        convs.emplace_back(downsampleConv_, stride_);
    return convs;
}

MimoConvImpl::MimoConvImpl(const MimoConvConfig& config) : config_(config)
{
    config_.validate();
    const int64_t d = config.stemWidth;
    const int64_t capacity = config.capacity;
    conv1_ = register_module("conv1", conv(config.input.channels, d, 3, 1));
    bn1_ = register_module("bn1", ModeBatchNorm(d));
    if (config.binding == ConvBinding::HRR) {
        channelConv_ = register_module("channelConv", std::make_shared<torch::nn::Module>());
        // PyTorch's Conv1d default init, as the official model starts from (docs/mimonets.md 2.3).
        const double bound = 1.0 / std::sqrt(static_cast<double>(d));
        channelConv_->register_parameter("weight", torch::empty({capacity, 1, d}).uniform_(-bound, bound),
                                         config.trainableKeys);
    } else if (config.binding == ConvBinding::MBAT) {
        channelLinear_ = register_module("channelLinear", std::make_shared<torch::nn::Module>());
        const double stddev = std::sqrt(2.0 / static_cast<double>(capacity * d));
        channelLinear_->register_parameter("weight", torch::randn({capacity * d, d, 1, 1}) * stddev,
                                           config.trainableKeys);
    }
    int64_t in = d;
    const auto widths = config.stageWidths();
    for (int s = 0; s < 3; ++s) {
        torch::nn::Sequential stage;
        std::vector<WideBlock> blocks;
        for (int b = 0; b < config.blocksPerStage(); ++b) {
            const int64_t stride = (s > 0 && b == 0) ? 2 : 1;
            blocks.push_back(WideBlock(in, widths[size_t(s)], stride, config.activation));
            stage->push_back(blocks.back());
            in = widths[size_t(s)];
        }
        stages_.push_back(register_module("layer" + std::to_string(s + 1), stage));
        blocks_.push_back(std::move(blocks));
    }
    const int64_t features = config.featureWidth();
    if (config.binding != ConvBinding::None)
        unbind_ = register_module("unbind", torch::nn::Sequential(conv(features, capacity * features, 1, 1, true),
                                                                   torch::nn::ReLU()));
    fc_ = register_module("fc", torch::nn::Linear(features, config.numClasses));

    // Every Conv2d (stem, blocks, downsample, unbind): kaiming normal, fan_out, ReLU gain.
    for (auto& module : modules(/*include_self=*/false))
        if (auto* c = module->as<torch::nn::Conv2dImpl>())
            torch::nn::init::kaiming_normal_(c->weight, 0.0, torch::kFanOut, torch::kReLU);
}

torch::Tensor MimoConvImpl::keys() const
{
    if (config_.binding != ConvBinding::HRR)
        return {};
    const int64_t d = config_.stemWidth;
    const auto weight = channelConv_->named_parameters()["weight"];
    const auto index = torch::remainder(d / 2 - 1 - torch::arange(d, torch::kLong), d).to(weight.device());
    return weight.squeeze(1).index_select(1, index);
}

void MimoConvImpl::checkKeys(const torch::Tensor& newKeys) const
{
    if (config_.binding != ConvBinding::HRR)
        throw Error("only HRR models have keys to replace (this model binds with " +
                    convBindingName(config_.binding) + ")");
    if (newKeys.dim() != 2 || newKeys.size(0) != config_.capacity || newKeys.size(1) != config_.stemWidth)
        throw Error("replacement keys must be [" + std::to_string(config_.capacity) + ", " +
                    std::to_string(config_.stemWidth) + "], got " + std::to_string(newKeys.dim()) + "-D");
}

torch::Tensor MimoConvImpl::effectiveKeys(int n, const torch::Tensor& replacement) const
{
    torch::Tensor all;
    if (replacement.defined()) {
        checkKeys(replacement);
        // The values the trained keys' parameter would hold: its type, on its device.
        all = replacement.to(channelConv_->named_parameters()["weight"].options()).contiguous();
    } else {
        all = keys();
    }
    if (!all.defined())
        return all;
    return all.view({config_.capacity / n, n, config_.stemWidth}).sum(0);
}

torch::Tensor MimoConvImpl::bindingMatrices(int n, const torch::Tensor& replacement) const
{
    const int64_t d = config_.stemWidth;
    const int64_t repeats = config_.capacity / n;
    if (config_.binding == ConvBinding::HRR) {
        // Circulant C_i[j, m] = v_i[(j - m) mod D]: C_i x is the circular convolution v_i ⊛ x.
        const auto k = effectiveKeys(n, replacement); // [n, D]
        const auto rows = torch::arange(d, torch::TensorOptions().dtype(torch::kLong).device(k.device()));
        const auto index = torch::remainder(rows.unsqueeze(1) - rows.unsqueeze(0), d);
        return k.index_select(1, index.flatten()).view({n, d, d});
    }
    // Output channel o of group g uses weight[g*D + o]: M_g[j, m] = W[g*D + j, m].
    const auto w = channelLinear_->named_parameters()["weight"].view({repeats, n, d, d});
    return w.sum(0);
}

torch::Tensor MimoConvImpl::bindAndSuperpose(const torch::Tensor& stem, const ConvForwardOptions& options,
                                            ConvForwardOutput* capture)
{
    const int n = options.n;
    const torch::Tensor& slotMask = options.slotMask;
    // Position-wise binding of every pixel's channel vector (docs/mimonets.md 2.2) as one matrix product
    // per group: cheaper on CPU than an FFT along the channel axis, and the same result.
    const int64_t b = stem.size(0), d = stem.size(1), h = stem.size(2), w = stem.size(3);
    const int64_t groups = b / n;
    const auto matrices = bindingMatrices(n, options.keys);                    // [n, D, D]
    auto slots = stem.reshape({groups, n, d, h * w});
    if (slotMask.defined()) {
        if (slotMask.numel() != n)
            throw Error("a slot mask needs one weight per slot (" + std::to_string(n) + ")");
        slots = slots * slotMask.to(slots.options()).view({1, n, 1, 1});
    }
    if (capture) {
        const auto bound = torch::matmul(matrices.unsqueeze(0), slots);        // [G, n, D, HW]
        capture->intermediates.emplace_back("bound", bound.view({groups, n, d, h, w}).detach());
    }
    const auto wide = matrices.permute({1, 0, 2}).reshape({d, n * d});         // [D, n*D]
    return torch::matmul(wide, slots.reshape({groups, n * d, h * w})).view({groups, d, h, w});
}

ConvForwardOutput MimoConvImpl::forward(const torch::Tensor& x, const ConvForwardOptions& options)
{
    const int n = options.n;
    if (!config_.supportsN(n))
        throw Error("this model (N_cap=" + std::to_string(config_.capacity) + ") cannot superpose N=" +
                    std::to_string(n) + " inputs: N must divide N_cap");
    if (x.dim() != 4 || x.size(1) != config_.input.channels)
        throw Error("expected images of shape [B, " + std::to_string(config_.input.channels) + ", H, W], got rank " +
                    std::to_string(x.dim()) + (x.dim() == 4 ? " with " + std::to_string(x.size(1)) + " channels" : ""));
    if (x.size(0) % n != 0 || x.size(0) == 0)
        throw Error("a batch of " + std::to_string(x.size(0)) + " images cannot be split into groups of N=" +
                    std::to_string(n));
    if (options.keys.defined())
        checkKeys(options.keys);
    const bool batchStatistics = options.batchNorm == BatchNormMode::Batch;
    ConvForwardOutput out;
    ConvForwardOutput* capture = options.captureIntermediates ? &out : nullptr;
    const auto keep = [&](const char* name, const torch::Tensor& t) {
        if (capture)
            out.intermediates.emplace_back(name, t.detach());
    };

    StageClock* clock = options.clock;
    const auto lap = [clock](const char* stage) {
        if (clock)
            clock->lap(stage);
    };
    if (clock)
        clock->start();
    const auto stem = torch::relu(bn1_->forward(conv1_->forward(x), batchStatistics));
    keep("stem", stem);
    lap("stem (per input)");
    torch::Tensor h = config_.binding == ConvBinding::None ? stem : bindAndSuperpose(stem, options, capture);
    keep("superposed", h);
    lap("binding + superposition");
    for (size_t s = 0; s < blocks_.size(); ++s) {
        for (auto& block : blocks_[s])
            h = block->forward(h, batchStatistics);
        keep(s == 0 ? "layer1" : s == 1 ? "layer2" : "layer3", h);
        lap(s == 0 ? "stage 1" : s == 1 ? "stage 2" : "stage 3");
    }
    const int64_t groups = h.size(0);
    const int64_t features = config_.featureWidth();
    auto pooled = torch::adaptive_avg_pool2d(h, {1, 1}).flatten(1);            // [G, C]
    keep("pooled", pooled);
    lap("pooling");
    torch::Tensor perInput = pooled;
    if (unbind_) {
        // Slot c = rho*N + i carries image i of the group; average its r unbinding outputs.
        const auto unbound = unbind_->forward(pooled.view({groups, features, 1, 1}));
        perInput = unbound.view({groups, config_.capacity / n, n, features}).mean(1).reshape({groups * n, features});
    }
    keep("unbound", perInput);
    lap("unbinding");
    out.logits = fc_->forward(perInput);
    lap("classifier");
    return out;
}

torch::Tensor keyRegularisation(const torch::Tensor& w)
{
    const int64_t count = w.size(0);
    const auto norms = w.norm(2, {1});
    const auto normPenalty = (norms - 1.0).square().sum() / static_cast<double>(count);
    if (count == 1)
        return normPenalty;
    const auto unit = w / norms.unsqueeze(1).clamp_min(1e-12);
    const auto gram = torch::matmul(unit, unit.t());
    const double pairs = static_cast<double>(count * (count - 1)) / 2.0;
    return torch::triu(gram, 1).square().sum() / pairs + normPenalty;
}

torch::Tensor MimoConvImpl::bindingRegularisation() const
{
    if (config_.binding != ConvBinding::HRR)
        return torch::zeros({});
    return keyRegularisation(keys());
}

torch::Tensor MimoConvImpl::isometryRegularisation() const
{
    auto total = torch::zeros({}, torch::TensorOptions().dtype(torch::kDouble).device(conv1_->weight.device()));
    if (config_.activation != ConvActivation::PReLU) // the WRN baseline has none (docs/mimonets.md 2.6)
        return total;
    for (const auto& stage : stages_)
        for (const auto& block : stage->children())
            for (const auto& [c, stride] : block->as<WideBlockImpl>()->regularisedConvs())
                total = total + isometryPenalty(c->weight, stride);
    return total;
}

std::pair<std::vector<torch::Tensor>, std::vector<torch::Tensor>> MimoConvImpl::parametersByDecay() const
{
    std::vector<torch::Tensor> noDecay, decay;
    for (const auto& item : named_parameters()) {
        const std::string& name = item.key();
        const bool isSlope = name.find(".relu1.") != std::string::npos || name.find(".relu2.") != std::string::npos;
        (isSlope ? noDecay : decay).push_back(item.value());
    }
    return {noDecay, decay};
}

int64_t parameterCount(const torch::nn::Module& module)
{
    int64_t count = 0;
    for (const auto& p : module.parameters())
        count += p.numel();
    return count;
}

} // namespace mimo
