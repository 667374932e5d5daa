#pragma once
// Performer / MIMOFormer encoder for sequence classification (mimonets-spec.md section 3),
// with the official parameter names ("model.transformer_0.mha.W_q.weight", ...).
// torch header: core .cpp files and tests only.
#include "core/model/former_config.h"
#include "core/model/stage_clock.h"

#include <torch/nn.h>

#include <string>
#include <utility>
#include <vector>

namespace mimo {

// FAVOR+ feature map with the ReLU kernel: relu((D_h^-1/4 x) Omega^T) + 0.001 (spec 3.2).
torch::Tensor favorFeatures(const torch::Tensor& x, const torch::Tensor& projection);

// Omega [R, D_h]: stacked transposed Q factors of Gaussian QR, rows scaled by chi-distributed
// norms (performer-pytorch's gaussian_orthogonal_random_matrix with scaling 0).
torch::Tensor orthogonalRandomFeatures(int64_t features, int64_t headDim, torch::Generator& generator);

// Non-causal linear attention of the baseline (spec 3.2). q, k, v: [B, H, L, D_h]; mask [B, L].
torch::Tensor performerAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                 const torch::Tensor& mask, const torch::Tensor& projection);

struct MimoAttentionTrace {
    torch::Tensor bundledQueries;  // [G, N, H, L, D_h]
    torch::Tensor bundledKeys;     // [G, M, H, L, D_h]
    torch::Tensor beforeUnbinding; // numerators per query bundle [G, N, H, L, D_h]
};

// MIMOFormer "att." (spec 3.3): B = G*M*N sequences, sequence (g, m, n) at g*M*N + m*N + n;
// keys [M, N, D_h] bipolar. Returns [B, H, L, D_h] in the input order.
torch::Tensor mimoAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                            const torch::Tensor& mask, const torch::Tensor& projection, const torch::Tensor& keys,
                            int64_t m, int64_t n, MimoAttentionTrace* trace = nullptr);

// Attention weights of one sequence of a group, one head, query rows [rowStart, rowStart + rows):
// [rows, L], each row summing to 1. From the per-sequence queries q and masked keys k [B, H, L, D]
// that a forward pass captured (intermediates "layerI.queries" / "layerI.keys"), on the grid
// m x n it ran with (keys [m, n, D]). For a superposition these are the weights sequence
// (mi, ni) puts on the positions of its key bundle mi (spec 3.3: phi(q~_n) phi(k~_m) / den_mn);
// with m = n = 1 they are the sequence's own Performer weights. Only the rows asked for are
// materialised, so sequences of a few thousand tokens are fine.
// att.+MLP (overAllBundles) divides by the sum over every key bundle and does not unbind: its
// rows then sum to bundle mi's share of the attention, not to 1.
torch::Tensor attentionWeights(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& projection,
                               const torch::Tensor& keys, int64_t m, int64_t n, int64_t group, int64_t mi, int64_t ni,
                               int64_t head, int64_t rowStart, int64_t rows, bool overAllBundles = false);

struct FormerForwardOutput {
    torch::Tensor logits;
    std::vector<std::pair<std::string, torch::Tensor>> intermediates;
};

class MimoFormerImpl : public torch::nn::Module {
public:
    explicit MimoFormerImpl(const MimoFormerConfig& config);

    // tokens [B, L] int64 ([B, 2, L] for a two-document model), 0 = padding (masked). B must be
    // a multiple of M*N of the current grid; errors (mimo::Error) name what does not fit.
    FormerForwardOutput forward(const torch::Tensor& tokens, bool captureIntermediates);
    torch::Tensor forward(const torch::Tensor& tokens) { return forward(tokens, false).logits; }

    // Intermediates (captureIntermediates), per layer I: "layerI.queries", "layerI.keys" (masked)
    // [B, H, L, D_h], "layerI.projection" [R, D_h], and for MIMO models "layerI.binding_keys"
    // [M, N, D_h], "layerI.bundled_queries", "layerI.bundled_keys", "layerI.attention_superposed"
    // (before unbinding), "layerI.attention_unbound"; att.+MLP adds "layerI.bundled_stream";
    // finally "pooled". attentionWeights() turns queries/keys into attention maps.
    // Lower (or restore) the grid at run time, down to 1 x 1, within the same weights (the
    // warm-up of spec 3.5 uses M/2 x N/2). Throws mimo::Error beyond the trained grid.
    void setGrid(int m, int n);
    int gridM() const { return gridM_; }
    int gridN() const { return gridN_; }

    const MimoFormerConfig& config() const { return config_; }

    // The binding keys of every layer, at the trained grid: attention keys [M, N, D_h] and, for
    // att.+MLP, the residual-stream keys [M, N, d] (empty for the other variants).
    std::vector<torch::Tensor> attentionKeys() const;
    std::vector<torch::Tensor> streamKeys() const;
    // Replace them for exploring (same shapes; an empty stream list keeps those). The trained
    // ones come back with restoreTrainedKeys(). Throws mimo::Error for the Performer or a shape
    // that does not fit.
    void overrideKeys(const std::vector<torch::Tensor>& attention, const std::vector<torch::Tensor>& stream);
    void restoreTrainedKeys();
    bool keysOverridden() const { return !savedKeys_.empty(); }

    // Time per stage of the following forward passes (embeddings, QKV projections, attention
    // kernel, output projection, MLP, norms + pooling, head); nullptr stops timing.
    void setStageClock(StageClock* clock) { clock_ = clock; }

private:
    struct Layer {
        torch::nn::LayerNorm norm1{nullptr}, norm2{nullptr};
        torch::nn::Linear wq{nullptr}, wk{nullptr}, wv{nullptr}, ff{nullptr};
        torch::Tensor projection, keys, embeddingKeys;
        torch::nn::Sequential mlp{nullptr};
    };
    torch::Tensor encode(const torch::Tensor& tokens, FormerForwardOutput* capture); // pooled [B, d]
    torch::Tensor attention(Layer& layer, const torch::Tensor& x, const torch::Tensor& mask, int index,
                            FormerForwardOutput* capture);

    MimoFormerConfig config_;
    int gridM_, gridN_;
    StageClock* clock_ = nullptr;
    void lap(const char* stage)
    {
        if (clock_)
            clock_->lap(stage);
    }
    torch::nn::Embedding wordEmbeddings_{nullptr}, positionEmbeddings_{nullptr};
    std::vector<Layer> layers_;
    torch::nn::LayerNorm finalNorm_{nullptr};
    torch::nn::Sequential head_{nullptr};
    torch::nn::Dropout dropout_{nullptr};
    std::vector<torch::Tensor> savedKeys_; // trained attention keys then stream keys, while overridden
};
TORCH_MODULE(MimoFormer);

} // namespace mimo
