#pragma once
// Input-level interference of superposition: bind N inputs with N keys, sum them, unbind
// each slot, and measure how close the recovered input is to the original.
#include "core/vsa/key_family.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace mimo::vsa {

// For slot i, the recovered vector splits by linearity into
//   signal_i    = unbind_i(bind(k_i, x_i))                (the slot's own contribution)
//   crosstalk_i = sum_{j != i} unbind_i(bind(k_j, x_j))   (interference from the others)
// snr = |signal|^2 / |crosstalk|^2 (infinite when N = 1); cosine compares the full
// recovered vector with the original input.
struct SlotInterference {
    double cosine = 0.0;
    double snr = 0.0;
    double snrDb = 0.0;
    double signalPower = 0.0;
    double crosstalkPower = 0.0;
};

struct InterferenceReport {
    std::vector<SlotInterference> slotResults;
    double meanCosine = 0.0;
    double meanSnrDb = 0.0; // infinite when N = 1
};

// inputs and keys are [N, D]. `guard` is passed to the exact unbinding.
InterferenceReport measureInterference(const at::Tensor& inputs, const at::Tensor& keys, BindingKind binding,
                                       Unbinding unbinding, double guard = 1e-3);

// The recovered vectors themselves, [N, D]: unbind slot i from the superposition.
at::Tensor superposeAndUnbind(const at::Tensor& inputs, const at::Tensor& keys, BindingKind binding,
                              Unbinding unbinding, double guard = 1e-3);

} // namespace mimo::vsa
