#pragma once
// Performer / MIMOFormer encoder for sequence classification (docs/mimonets.md section 3),
// with the official parameter names ("model.transformer_0.mha.W_q.weight", ...).
// torch header: core .cpp files and tests only.
#include "core/model/former_config.h"
#include "core/model/stage_clock.h"

#include <torch/nn.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mimo {

// FAVOR+ feature map with the ReLU kernel: relu((D_h^-1/4 x) Omega^T) + 0.001 (docs/mimonets.md 3.2).
torch::Tensor favorFeatures(const torch::Tensor& x, const torch::Tensor& projection);

// Omega [R, D_h]: stacked transposed Q factors of Gaussian QR, rows scaled by chi-distributed
// norms (performer-pytorch's gaussian_orthogonal_random_matrix with scaling 0).
torch::Tensor orthogonalRandomFeatures(int64_t features, int64_t headDim, torch::Generator& generator);

// Non-causal linear attention of the baseline (docs/mimonets.md 3.2). q, k, v: [B, H, L, D_h]; mask [B, L].
torch::Tensor performerAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                 const torch::Tensor& mask, const torch::Tensor& projection);

struct MimoAttentionTrace {
    torch::Tensor bundledQueries;  // [G, N, H, L, D_h]
    torch::Tensor bundledKeys;     // [G, M, H, L, D_h]
    torch::Tensor beforeUnbinding; // numerators per query bundle [G, N, H, L, D_h]
};

// MIMOFormer "att." (docs/mimonets.md 3.3): B = G*M*N sequences, sequence (g, m, n) at g*M*N + m*N + n;
// keys [M, N, D_h] bipolar. Returns [B, H, L, D_h] in the input order.
torch::Tensor mimoAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                            const torch::Tensor& mask, const torch::Tensor& projection, const torch::Tensor& keys,
                            int64_t m, int64_t n, MimoAttentionTrace* trace = nullptr);

// Attention weights of one sequence of a group, one head, query rows [rowStart, rowStart + rows):
// [rows, L], each row summing to 1. From the per-sequence queries q and masked keys k [B, H, L, D]
// that a forward pass captured (intermediates "layerI.queries" / "layerI.keys"), on the grid
// m x n it ran with (keys [m, n, D]). For a superposition these are the weights sequence
// (mi, ni) puts on the positions of its key bundle mi (docs/mimonets.md 3.3: phi(q~_n) phi(k~_m) / den_mn);
// with m = n = 1 they are the sequence's own Performer weights. Only the rows asked for are
// materialised, so sequences of a few thousand tokens are fine.
// att.+MLP (overAllBundles) divides by the sum over every key bundle and does not unbind: its
// rows then sum to bundle mi's share of the attention, not to 1.
torch::Tensor attentionWeights(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& projection,
                               const torch::Tensor& keys, int64_t m, int64_t n, int64_t group, int64_t mi, int64_t ni,
                               int64_t head, int64_t rowStart, int64_t rows, bool overAllBundles = false);

// Everything one forward pass may choose, passed with the call rather than set on the model:
// a model never holds a temporary state, and callers may run the same model on different grids
// and keys at the same time.
struct FormerForwardOptions {
    // The m x n grid to compute on, within the trained M x N, down to 1 x 1 (the warm-up of
    // docs/mimonets.md 3.5 uses M/2 x N/2); unset: the trained grid. The Performer serves only 1 x 1.
    std::optional<std::pair<int, int>> grid;
    bool captureIntermediates = false;
    // When set: time per stage (embeddings, QKV projections, attention kernel, output
    // projection, MLP, norms + pooling, head).
    StageClock* clock = nullptr;
    // Binding keys to use instead of the trained ones, for exploring (any device and floating
    // type), at the trained grid: per layer, attention keys [M, N, D_h] and, for att.+MLP,
    // residual-stream keys [M, N, d]. Empty: the trained keys (for the stream keys alone too).
    std::vector<torch::Tensor> attentionKeys;
    std::vector<torch::Tensor> streamKeys;
};

struct FormerForwardOutput {
    torch::Tensor logits;
    std::vector<std::pair<std::string, torch::Tensor>> intermediates;
};

class MimoFormerImpl : public torch::nn::Module {
public:
    explicit MimoFormerImpl(const MimoFormerConfig& config);

    // tokens [B, L] int64 ([B, 2, L] for a two-document model), 0 = padding (masked). B must be
    // a multiple of m*n of the grid used; errors (mimo::Error) name what does not fit (also a
    // grid beyond the trained one, or replacement keys of the wrong shape).
    FormerForwardOutput forward(const torch::Tensor& tokens, const FormerForwardOptions& options);
    torch::Tensor forward(const torch::Tensor& tokens) { return forward(tokens, FormerForwardOptions{}).logits; }

    // Intermediates (captureIntermediates), per layer I: "layerI.queries", "layerI.keys" (masked)
    // [B, H, L, D_h], "layerI.projection" [R, D_h], and for MIMO models "layerI.binding_keys"
    // [m, n, D_h] (the keys the pass bound with), "layerI.bundled_queries",
    // "layerI.bundled_keys", "layerI.attention_superposed" (before unbinding),
    // "layerI.attention_unbound"; att.+MLP adds "layerI.bundled_stream"; finally "pooled".
    // attentionWeights() turns queries/keys into attention maps.

    const MimoFormerConfig& config() const { return config_; }

    // The trained binding keys of every layer, at the trained grid: attention keys [M, N, D_h]
    // and, for att.+MLP, the residual-stream keys [M, N, d] (empty for the other variants).
    std::vector<torch::Tensor> attentionKeys() const;
    std::vector<torch::Tensor> streamKeys() const;
    // Throws mimo::Error unless these can replace the keys in a forward pass (the shapes above;
    // an empty stream list keeps the trained ones): the Performer has none, and stream keys
    // belong to att.+MLP only.
    void checkKeys(const std::vector<torch::Tensor>& attention, const std::vector<torch::Tensor>& stream) const;
    // The grid a pass with `grid` runs on (unset: the trained one); throws mimo::Error beyond the
    // trained grid or below 1 x 1.
    std::pair<int, int> checkGrid(const std::optional<std::pair<int, int>>& grid) const;

private:
    struct Layer {
        torch::nn::LayerNorm norm1{nullptr}, norm2{nullptr};
        torch::nn::Linear wq{nullptr}, wk{nullptr}, wv{nullptr}, ff{nullptr};
        torch::Tensor projection, keys, embeddingKeys;
        torch::nn::Sequential mlp{nullptr};
    };
    // One forward call's choices, checked: its grid, clock and the binding keys of every layer
    // in the buffers' layout (the trained buffers themselves unless replaced).
    struct Pass {
        int m = 1, n = 1;
        StageClock* clock = nullptr;
        std::vector<torch::Tensor> keys, embeddingKeys;
        void lap(const char* stage) const
        {
            if (clock)
                clock->lap(stage);
        }
    };
    torch::Tensor encode(const torch::Tensor& tokens, const Pass& pass, FormerForwardOutput* capture); // pooled [B, d]
    torch::Tensor attention(Layer& layer, const torch::Tensor& x, const torch::Tensor& mask, int index,
                            const Pass& pass, FormerForwardOutput* capture);

    MimoFormerConfig config_;
    torch::nn::Embedding wordEmbeddings_{nullptr}, positionEmbeddings_{nullptr};
    std::vector<Layer> layers_;
    torch::nn::LayerNorm finalNorm_{nullptr};
    torch::nn::Sequential head_{nullptr};
    torch::nn::Dropout dropout_{nullptr};
};
TORCH_MODULE(MimoFormer);

} // namespace mimo
