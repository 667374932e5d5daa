#pragma once
// Performer / MIMOFormer encoder for sequence classification (mimonets-spec.md section 3),
// with the official parameter names ("model.transformer_0.mha.W_q.weight", ...).
// torch header: core .cpp files and tests only.
#include "core/model/former_config.h"

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

    // Lower (or restore) the grid at run time, down to 1 x 1, within the same weights (the
    // warm-up of spec 3.5 uses M/2 x N/2). Throws mimo::Error beyond the trained grid.
    void setGrid(int m, int n);
    int gridM() const { return gridM_; }
    int gridN() const { return gridN_; }

    const MimoFormerConfig& config() const { return config_; }

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
    torch::nn::Embedding wordEmbeddings_{nullptr}, positionEmbeddings_{nullptr};
    std::vector<Layer> layers_;
    torch::nn::LayerNorm finalNorm_{nullptr};
    torch::nn::Sequential head_{nullptr};
    torch::nn::Dropout dropout_{nullptr};
};
TORCH_MODULE(MimoFormer);

} // namespace mimo
