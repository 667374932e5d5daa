#include "core/model/mimo_former.h"

#include "core/errors.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cmath>

namespace mimo {
namespace {

using torch::indexing::Slice;

std::shared_ptr<torch::nn::Module> child(torch::nn::Module& parent, const std::string& name)
{
    return parent.register_module(name, std::make_shared<torch::nn::Module>());
}

torch::nn::Linear linear(int64_t in, int64_t out) { return torch::nn::Linear(in, out); }

} // namespace

torch::Tensor favorFeatures(const torch::Tensor& x, const torch::Tensor& projection)
{
    // D_h^-1/4 folded into the small projection instead of scaling x; clamp_min's backward
    // reads its input, so the +0.001 can go in place (relu's reads its output).
    const double normaliser = std::pow(static_cast<double>(x.size(-1)), -0.25);
    return torch::matmul(x, projection.t() * normaliser).clamp_min(0.0).add_(0.001);
}

torch::Tensor orthogonalRandomFeatures(int64_t features, int64_t headDim, torch::Generator& generator)
{
    std::vector<torch::Tensor> blocks;
    for (int64_t rows = 0; rows < features; rows += headDim) {
        const auto gaussian = torch::randn({headDim, headDim}, generator, torch::kFloat);
        const auto [q, r] = torch::linalg_qr(gaussian);
        blocks.push_back(q.t());
    }
    const auto stacked = torch::cat(blocks, 0).narrow(0, 0, features);
    const auto multiplier = torch::randn({features, headDim}, generator, torch::kFloat).norm(2, {1});
    return multiplier.unsqueeze(1) * stacked;
}

torch::Tensor performerAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                 const torch::Tensor& mask, const torch::Tensor& projection)
{
    // 1/sqrt(sqrt(D_h)): the M = N = 1 case of the MIMO scale, and the same sequence of
    // operations as mimoAttention on a 1 x 1 grid, so the two paths agree bit for bit.
    const double scale = 1.0 / std::sqrt(std::sqrt(static_cast<double>(q.size(-1))));
    const auto keep = mask.to(q.dtype()).unsqueeze(1).unsqueeze(-1); // [B, 1, L, 1]
    const auto phiQ = favorFeatures(q * scale, projection);          // [B, H, L, R]
    const auto phiK = favorFeatures(k * scale * keep, projection);
    const auto context = torch::matmul(phiK.transpose(2, 3), v * keep);           // [B, H, R, D]
    const auto numerator = torch::matmul(phiQ, context);
    const auto denominator = torch::matmul(phiQ, phiK.sum(2).unsqueeze(-1));      // [B, H, L, 1]
    return numerator / denominator;
}

namespace {

// The kernel products att. and att.+MLP share (docs/mimonets.md 3.3, 3.4), heads ahead of the grid so
// every product is one batched matmul per (group, head) over contiguous bundles, with no
// copies of the R-wide feature tensors.
struct SuperposedKernel {
    torch::Tensor queryBundles; // [G, H, N, L, D]: queries summed over m
    torch::Tensor keyBundles;   // [G, H, M, L, D]: keys summed over n
    torch::Tensor phiQ;         // [G, H, N*L, R]
    torch::Tensor numerator;    // [G, H, N, L, D]: over ALL key bundles
    torch::Tensor keySums;      // [G, H, M, R]: per key bundle
};

SuperposedKernel superposedKernel(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                  const torch::Tensor& mask, const torch::Tensor& projection, const torch::Tensor& a,
                                  int64_t m, int64_t n)
{
    const int64_t b = q.size(0), h = q.size(1), l = q.size(2), d = q.size(3), r = projection.size(0);
    if (b % (m * n) != 0)
        throw Error("MIMO attention: a batch of " + std::to_string(b) + " sequences does not fill groups of M*N=" +
                    std::to_string(m * n));
    const int64_t g = b / (m * n);
    const double scale = 1.0 / std::sqrt(std::sqrt(static_cast<double>(d)) * static_cast<double>(m * n));
    const auto grid = [&](const torch::Tensor& t) { return t.reshape({g, m, n, h, l, d}).permute({0, 3, 1, 2, 4, 5}); };
    const auto keep = mask.to(q.dtype()).reshape({g, 1, m, n, l, 1});
    SuperposedKernel kernel;
    kernel.queryBundles = (a * (grid(q) * scale)).sum(2).contiguous();
    kernel.keyBundles = (a * (grid(k) * scale * keep)).sum(3).contiguous();
    const auto valueBundles = (a * (grid(v) * keep)).sum(3).contiguous();
    kernel.phiQ = favorFeatures(kernel.queryBundles, projection).reshape({g, h, n * l, r});
    const auto phiK = favorFeatures(kernel.keyBundles, projection); // [G, H, M, L, R]
    const auto context = torch::matmul(phiK.reshape({g, h, m * l, r}).transpose(2, 3), valueBundles.reshape({g, h, m * l, d}));
    kernel.numerator = torch::matmul(kernel.phiQ, context).view({g, h, n, l, d});
    kernel.keySums = phiK.sum(3);
    return kernel;
}

} // namespace

torch::Tensor mimoAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                            const torch::Tensor& mask, const torch::Tensor& projection, const torch::Tensor& keys,
                            int64_t m, int64_t n, MimoAttentionTrace* trace)
{
    const int64_t b = q.size(0), h = q.size(1), l = q.size(2), d = q.size(3);
    const auto a = keys.reshape({1, 1, m, n, 1, d}).to(q.dtype());
    const auto kernel = superposedKernel(q, k, v, mask, projection, a, m, n);
    const int64_t g = b / (m * n);
    const auto denominator = torch::matmul(kernel.phiQ, kernel.keySums.transpose(2, 3)).view({g, h, n, l, m}); // per m
    if (trace) {
        trace->bundledQueries = kernel.queryBundles.permute({0, 2, 1, 3, 4}).detach();
        trace->bundledKeys = kernel.keyBundles.permute({0, 2, 1, 3, 4}).detach();
        trace->beforeUnbinding = kernel.numerator.permute({0, 2, 1, 3, 4}).detach();
    }
    // out[g, h, m, n] = a_mn * num[g, h, n] / den[g, h, n, :, m]: unbinding with the same key.
    const auto out = a * kernel.numerator.unsqueeze(2) / denominator.permute({0, 1, 4, 2, 3}).unsqueeze(-1);
    return out.permute({0, 2, 3, 1, 4, 5}).reshape({b, h, l, d});
}

torch::Tensor attentionWeights(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& projection,
                               const torch::Tensor& keys, int64_t m, int64_t n, int64_t group, int64_t mi, int64_t ni,
                               int64_t head, int64_t rowStart, int64_t rows, bool overAllBundles)
{
    const int64_t b = q.size(0), l = q.size(2), d = q.size(3);
    if (m < 1 || n < 1 || b % (m * n) != 0 || group < 0 || group >= b / (m * n) || mi < 0 || mi >= m || ni < 0 ||
        ni >= n || head < 0 || head >= q.size(1) || rowStart < 0 || rows < 1 || rowStart + rows > l)
        throw Error("attention weights: sequence, head or rows out of range");
    const double scale = 1.0 / std::sqrt(std::sqrt(static_cast<double>(d)) * static_cast<double>(m * n));
    const auto a = keys.reshape({m, n, 1, d}).to(q.dtype());
    const auto groupOf = [&](const torch::Tensor& t) {
        return t.narrow(0, group * m * n, m * n).select(1, head).reshape({m, n, l, d});
    };
    const auto queryBundle = (a.select(1, ni) * groupOf(q).select(1, ni).narrow(1, rowStart, rows) * scale).sum(0); // [rows, D]
    const auto keyBundles = (a * groupOf(k) * scale).sum(1);                                                         // [M, L, D]
    const auto phiQ = favorFeatures(queryBundle, projection);
    const auto phiK = favorFeatures(keyBundles, projection); // [M, L, R]
    const auto scores = torch::matmul(phiQ, phiK[mi].t());  // [rows, L]
    if (!overAllBundles)
        return scores / scores.sum(1, true);
    return scores / torch::matmul(phiQ, phiK.sum(torch::IntArrayRef{0, 1}).unsqueeze(1)); // / phi(q~) . sum over all bundles
}

MimoFormerImpl::MimoFormerImpl(const MimoFormerConfig& config) : config_(config)
{
    config_.validate();
    const int64_t d = config.dim, inner = int64_t(config.heads) * config.headDim;
    auto model = child(*this, "model");
    auto embeddings = child(*model, "embeddings");
    wordEmbeddings_ = embeddings->register_module("word_embeddings", torch::nn::Embedding(config.vocabularySize, d));
    positionEmbeddings_ =
        embeddings->register_module("position_embeddings", torch::nn::Embedding(config.positionRows(), d));
    torch::NoGradGuard noGrad;
    wordEmbeddings_->weight.normal_(0.0, 0.02);
    positionEmbeddings_->weight.normal_(0.0, 0.02);
    dropout_ = register_module("dropout", torch::nn::Dropout(config.dropout));

    // Fixed buffers drawn once from the seed, stored in the model file, never redrawn.
    auto generator = at::make_generator<at::CPUGeneratorImpl>(config.bufferSeed);
    for (int i = 0; i < config.layers; ++i) {
        auto block = child(*model, "transformer_" + std::to_string(i));
        Layer layer;
        layer.norm1 = block->register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
        layer.norm2 = block->register_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
        auto mha = child(*block, "mha");
        layer.wq = mha->register_module("W_q", linear(d, inner));
        layer.wk = mha->register_module("W_k", linear(d, inner));
        layer.wv = mha->register_module("W_v", linear(d, inner));
        layer.ff = mha->register_module("ff", linear(inner, d));
        auto attn = child(*mha, "attn");
        const auto omega = orthogonalRandomFeatures(config.features, config.headDim, generator);
        if (config.attention == FormerAttention::Performer) {
            layer.projection = child(*attn, "attn_fn")->register_buffer("projection_matrix", omega);
        } else {
            layer.projection = attn->register_buffer("projection_matrix", omega);
            const auto bipolar = [&](std::vector<int64_t> shape) {
                return torch::randint(0, 2, shape, generator, torch::kFloat) * 2.0 - 1.0;
            };
            layer.keys = attn->register_buffer("bindings", bipolar({1, config.gridM, config.gridN, 1, 1, config.headDim}));
            if (config.attention == FormerAttention::MimoMlp)
                layer.embeddingKeys =
                    attn->register_buffer("bindings_embedding", bipolar({1, config.gridM, config.gridN, 1, d}));
        }
        layer.mlp = block->register_module(
            "mlpblock", torch::nn::Sequential(linear(d, config.ffDim), torch::nn::ReLU(), torch::nn::Dropout(config.dropout),
                                              linear(config.ffDim, d), torch::nn::Dropout(config.dropout)));
        layers_.push_back(layer);
    }
    finalNorm_ = model->register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
    auto classifier = child(*this, "seq_classifer"); // sic: the official name
    const int64_t headInput = config.dualHead ? 4 * d : d;
    head_ = classifier->register_module(
        "mlpblock", torch::nn::Sequential(linear(headInput, config.ffDim), torch::nn::ReLU(),
                                          linear(config.ffDim, config.dualHead ? 2 : config.numClasses)));
}

std::vector<torch::Tensor> MimoFormerImpl::attentionKeys() const
{
    std::vector<torch::Tensor> keys;
    if (config_.attention != FormerAttention::Performer)
        for (const auto& layer : layers_)
            keys.push_back(layer.keys.view({config_.gridM, config_.gridN, config_.headDim}));
    return keys;
}

std::vector<torch::Tensor> MimoFormerImpl::streamKeys() const
{
    std::vector<torch::Tensor> keys;
    if (config_.attention == FormerAttention::MimoMlp)
        for (const auto& layer : layers_)
            keys.push_back(layer.embeddingKeys.view({config_.gridM, config_.gridN, config_.dim}));
    return keys;
}

void MimoFormerImpl::checkKeys(const std::vector<torch::Tensor>& attention, const std::vector<torch::Tensor>& stream) const
{
    if (config_.attention == FormerAttention::Performer)
        throw Error("the Performer baseline binds nothing: it has no keys to replace");
    const auto check = [&](const std::vector<torch::Tensor>& given, int64_t width, const char* what) {
        if (given.size() != layers_.size())
            throw Error(std::string("replacement ") + what + " keys: " + std::to_string(given.size()) +
                        " layer(s) given, the model has " + std::to_string(layers_.size()));
        for (const auto& keys : given)
            if (keys.dim() != 3 || keys.size(0) != config_.gridM || keys.size(1) != config_.gridN || keys.size(2) != width)
                throw Error(std::string("replacement ") + what + " keys must be [" + std::to_string(config_.gridM) + ", " +
                            std::to_string(config_.gridN) + ", " + std::to_string(width) + "] per layer");
    };
    check(attention, config_.headDim, "attention");
    if (stream.empty())
        return;
    if (config_.attention != FormerAttention::MimoMlp)
        throw Error("only att.+MLP models bind the residual stream: this model has no stream keys to replace");
    check(stream, config_.dim, "residual-stream");
}

std::pair<int, int> MimoFormerImpl::checkGrid(const std::optional<std::pair<int, int>>& grid) const
{
    if (!grid)
        return {config_.gridM, config_.gridN};
    const auto [m, n] = *grid;
    if (config_.attention == FormerAttention::Performer && (m != 1 || n != 1))
        throw Error("the Performer baseline computes without superposition (M = N = 1)");
    if (m < 1 || n < 1 || m > config_.gridM || n > config_.gridN)
        throw Error("this model was built for M<=" + std::to_string(config_.gridM) + ", N<=" +
                    std::to_string(config_.gridN) + "; cannot use M=" + std::to_string(m) + ", N=" + std::to_string(n));
    return *grid;
}

torch::Tensor MimoFormerImpl::attention(Layer& layer, const torch::Tensor& x, const torch::Tensor& mask,
                                        int index, const Pass& pass, FormerForwardOutput* capture)
{
    const int64_t b = x.size(0), l = x.size(1), h = config_.heads, d = config_.headDim;
    const auto split = [&](const torch::Tensor& t) { return t.view({b, l, h, d}).transpose(1, 2); };
    const auto q = split(layer.wq->forward(x)), k = split(layer.wk->forward(x)), v = split(layer.wv->forward(x));
    pass.lap("QKV projections");
    torch::Tensor out;
    const std::string prefix = "layer" + std::to_string(index) + ".";
    if (capture) {
        capture->intermediates.emplace_back(prefix + "queries", q.detach());
        capture->intermediates.emplace_back(prefix + "keys", (k * mask.unsqueeze(1).unsqueeze(-1)).detach());
        capture->intermediates.emplace_back(prefix + "projection", layer.projection.detach());
    }
    if (config_.attention == FormerAttention::Performer) {
        out = performerAttention(q, k, v, mask, layer.projection);
    } else {
        const auto keys = pass.keys[size_t(index)].index({0, Slice(0, pass.m), Slice(0, pass.n), 0, 0});
        MimoAttentionTrace trace;
        out = mimoAttention(q, k, v, mask, layer.projection, keys, pass.m, pass.n, capture ? &trace : nullptr);
        if (capture) {
            capture->intermediates.emplace_back(prefix + "binding_keys", keys.detach());
            capture->intermediates.emplace_back(prefix + "bundled_queries", trace.bundledQueries);
            capture->intermediates.emplace_back(prefix + "bundled_keys", trace.bundledKeys);
            capture->intermediates.emplace_back(prefix + "attention_superposed", trace.beforeUnbinding);
        }
    }
    if (capture)
        capture->intermediates.emplace_back(prefix + "attention_unbound", out.detach());
    pass.lap("attention kernel");
    auto projected = layer.ff->forward(out.transpose(1, 2).reshape({b, l, h * d}));
    pass.lap("output projection");
    return projected;
}

FormerForwardOutput MimoFormerImpl::forward(const torch::Tensor& tokens, const FormerForwardOptions& options)
{
    Pass pass;
    std::tie(pass.m, pass.n) = checkGrid(options.grid);
    pass.clock = options.clock;
    if (!options.attentionKeys.empty() || !options.streamKeys.empty())
        checkKeys(options.attentionKeys, options.streamKeys);
    // The replacements take the buffers' type, device and layout, so the pass computes with
    // exactly the values the buffers would hold.
    const auto keysFor = [](const std::vector<torch::Tensor>& given, size_t layer, const torch::Tensor& buffer) {
        return given.empty() || !buffer.defined() ? buffer : given[layer].to(buffer.options()).contiguous().view_as(buffer);
    };
    for (size_t i = 0; i < layers_.size(); ++i) {
        pass.keys.push_back(keysFor(options.attentionKeys, i, layers_[i].keys));
        pass.embeddingKeys.push_back(keysFor(options.streamKeys, i, layers_[i].embeddingKeys));
    }
    FormerForwardOutput out;
    FormerForwardOutput* capture = options.captureIntermediates ? &out : nullptr;
    if (pass.clock)
        pass.clock->start();
    if (!config_.dualHead) {
        if (tokens.dim() != 2)
            throw Error("expected token sequences of shape [B, L], got rank " + std::to_string(tokens.dim()));
        const auto pooled = encode(tokens, pass, capture);
        out.logits = head_->forward(pooled);
        pass.lap("classification head");
        return out;
    }
    if (tokens.dim() != 3 || tokens.size(1) != 2)
        throw Error("a two-document model expects tokens of shape [B, 2, L]");
    const auto first = encode(tokens.select(1, 0), pass, capture);
    const auto second = encode(tokens.select(1, 1), pass, nullptr);
    out.logits = head_->forward(torch::cat({first, second, first * second, first - second}, 1));
    return out;
}

torch::Tensor MimoFormerImpl::encode(const torch::Tensor& tokens, const Pass& pass, FormerForwardOutput* capture)
{
    const int gridM = pass.m, gridN = pass.n;
    const int64_t b = tokens.size(0), l = tokens.size(1);
    if (l < 1 || l > config_.maxLength)
        throw Error("sequences of length " + std::to_string(l) + " do not fit this model (at most " +
                    std::to_string(config_.maxLength) + " tokens)");
    const int64_t group = int64_t(gridM) * gridN;
    if (b == 0 || b % group != 0)
        throw Error("a batch of " + std::to_string(b) + " sequences does not fill groups of M*N=" + std::to_string(group));
    if (tokens.min().item<int64_t>() < 0 || tokens.max().item<int64_t>() >= config_.vocabularySize)
        throw Error("token ids must lie in [0, " + std::to_string(config_.vocabularySize) + ")");
    const auto mask = (tokens != 0).to(torch::kFloat);
    const auto positions = torch::arange(l, torch::TensorOptions().dtype(torch::kLong).device(tokens.device()));
    auto x = dropout_->forward(wordEmbeddings_->forward(tokens) + positionEmbeddings_->forward(positions).unsqueeze(0));
    pass.lap("embeddings");
    for (size_t i = 0; i < layers_.size(); ++i) {
        auto& layer = layers_[i];
        if (pass.clock)
            pass.clock->setScope("layer " + std::to_string(i + 1) + " ");
        if (config_.attention != FormerAttention::MimoMlp) {
            const auto normed = layer.norm1->forward(x);
            pass.lap("norm 1");
            x = dropout_->forward(attention(layer, normed, mask, int(i), pass, capture)) + x;
            const auto normed2 = layer.norm2->forward(x);
            pass.lap("norm 2");
            x = layer.mlp->forward(normed2) + x;
            pass.lap("MLP");
            continue;
        }
        // att.+MLP (docs/mimonets.md 3.4): attention without unbinding, residual and MLP on the N bundles,
        // then every sequence retrieved with the embedding key at the end of the layer.
        const int64_t g = b / group, d = config_.dim;
        const auto e = pass.embeddingKeys[i].index({0, Slice(0, gridM), Slice(0, gridN)}).reshape({1, gridM, gridN, 1, d});
        const auto xs = x.reshape({g, gridM, gridN, l, d});
        const auto h = config_.heads, hd = config_.headDim;
        const auto normed = layer.norm1->forward(x);
        pass.lap("norm 1");
        const auto split = [&](const torch::Tensor& t) { return t.view({b, l, h, hd}).transpose(1, 2); };
        const auto q = split(layer.wq->forward(normed)), k = split(layer.wk->forward(normed)),
                   v = split(layer.wv->forward(normed));
        pass.lap("QKV projections");
        if (capture) {
            const std::string prefix = "layer" + std::to_string(i) + ".";
            capture->intermediates.emplace_back(prefix + "queries", q.detach());
            capture->intermediates.emplace_back(prefix + "keys", (k * mask.unsqueeze(1).unsqueeze(-1)).detach());
            capture->intermediates.emplace_back(prefix + "projection", layer.projection.detach());
            capture->intermediates.emplace_back(
                prefix + "binding_keys", pass.keys[i].index({0, Slice(0, gridM), Slice(0, gridN), 0, 0}).detach());
        }
        const auto a = pass.keys[i].index({0, Slice(0, gridM), Slice(0, gridN), 0, 0}).reshape({1, 1, gridM, gridN, 1, hd});
        const auto kernel = superposedKernel(q, k, v, mask, layer.projection, a, gridM, gridN);
        const auto denominator = torch::matmul(kernel.phiQ, kernel.keySums.sum(2).unsqueeze(-1)); // over all m'
        const auto att = (kernel.numerator / denominator.view({g, h, gridN, l, 1}))
                             .permute({0, 2, 3, 1, 4})
                             .reshape({g * gridN, l, h * hd});
        pass.lap("attention kernel");
        auto bundled = dropout_->forward(layer.ff->forward(att)).view({g, gridN, l, d}) + (e * xs).sum(1);
        pass.lap("output projection");
        const auto normed2 = layer.norm2->forward(bundled);
        pass.lap("norm 2");
        bundled = layer.mlp->forward(normed2) + bundled;
        pass.lap("MLP");
        x = (e * bundled.unsqueeze(1)).reshape({b, l, d});
        pass.lap("residual binding");
        if (capture)
            capture->intermediates.emplace_back("layer" + std::to_string(i) + ".bundled_stream", bundled.detach());
    }
    if (pass.clock)
        pass.clock->setScope("");
    x = finalNorm_->forward(x) * mask.unsqueeze(-1);
    const auto pooled = x.mean(1); // over all L positions, padding included (docs/mimonets.md 3.1)
    pass.lap("final norm + pooling");
    if (capture)
        capture->intermediates.emplace_back("pooled", pooled.detach());
    return pooled;
}

} // namespace mimo
