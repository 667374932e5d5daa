#pragma once
// The binding keys a KeyChoice (drawn, permuted, given values) puts in place of a loaded
// model's trained ones, passed into its forward passes, for the explorer's engine and for batch
// evaluations. The model itself never changes. torch side: core .cpp files only.
#include "core/explore/explorer_types.h"
#include "core/model/model_file.h"

#include <vector>

namespace mimo {

bool isHrrConv(const ModelInfo& info);   // MIMOConv with HRR keys and N_cap > 1
bool isMimoFormer(const ModelInfo& info); // sequence model with bound attention (not a Performer)

// Replacement keys for the forward options, on the CPU (the model moves them per pass); all
// empty for the trained keys.
struct KeyOverride {
    torch::Tensor conv;                   // HRR MIMOConv: [N_cap, D]
    std::vector<torch::Tensor> attention; // MIMOFormer: per layer [M, N, D_h]
    std::vector<torch::Tensor> stream;    // att.+MLP: per layer [M, N, d]; empty: the trained ones

    // Sets the options' keys (to none for the trained keys).
    void applyTo(ConvForwardOptions& options) const { options.keys = conv; }
    void applyTo(FormerForwardOptions& options) const
    {
        options.attentionKeys = attention;
        options.streamKeys = stream;
    }
};

// The keys `choice` stands for, built from the model's trained keys (nothing for Trained).
// Throws Error for keys the model cannot take (a DataError naming a key file of the wrong
// shape); nothing changes anywhere then.
KeyOverride keyOverride(const LoadedModel& model, const KeyChoice& choice);

} // namespace mimo
