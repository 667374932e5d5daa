#include "core/vsa/interference.h"

#include "core/errors.h"
#include "core/vsa/hrr.h"

#include <ATen/ATen.h>

#include <cmath>
#include <limits>
#include <string>

namespace mimo::vsa {
namespace {

void checkShapes(const at::Tensor& inputs, const at::Tensor& keys)
{
    if (inputs.dim() != 2 || keys.dim() != 2)
        throw Error("interference: inputs and keys must both be [N, D] matrices");
    if (inputs.sizes() != keys.sizes())
        throw Error("interference: " + std::to_string(inputs.size(0)) + " inputs of dimension " +
                    std::to_string(inputs.size(1)) + " need as many keys of the same dimension, got [" +
                    std::to_string(keys.size(0)) + ", " + std::to_string(keys.size(1)) + "]");
    if (inputs.size(0) < 1)
        throw Error("interference: need at least one input");
}

at::Tensor bind(BindingKind binding, const at::Tensor& keys, const at::Tensor& x)
{
    return binding == BindingKind::HRR ? hrrBind(keys, x, -1) : mapBind(keys, x, -1);
}

at::Tensor unbind(BindingKind binding, Unbinding unbinding, const at::Tensor& keys, const at::Tensor& s, double guard)
{
    if (binding == BindingKind::HRR)
        return unbinding == Unbinding::Approximate ? hrrUnbindApproximate(keys, s, -1)
                                                   : hrrUnbindExact(keys, s, -1, guard);
    return unbinding == Unbinding::Approximate ? mapUnbindApproximate(keys, s, -1) : mapUnbindExact(keys, s, -1);
}

} // namespace

at::Tensor superposeAndUnbind(const at::Tensor& inputs, const at::Tensor& keys, BindingKind binding,
                              Unbinding unbinding, double guard)
{
    checkShapes(inputs, keys);
    const auto x = inputs.to(at::kDouble);
    const auto k = keys.to(at::kDouble);
    const auto superposition = bundle(bind(binding, k, x), 0);            // [D]
    const auto repeated = superposition.unsqueeze(0).expand_as(x);         // every slot unbinds the same sum
    return unbind(binding, unbinding, k, repeated, guard);
}

InterferenceReport measureInterference(const at::Tensor& inputs, const at::Tensor& keys, BindingKind binding,
                                       Unbinding unbinding, double guard)
{
    checkShapes(inputs, keys);
    const int64_t n = inputs.size(0);
    const auto x = inputs.to(at::kDouble);
    const auto k = keys.to(at::kDouble);
    const auto bound = bind(binding, k, x); // [N, D], row j = k_j ⊛ x_j
    const auto recovered = superposeAndUnbind(x, k, binding, unbinding, guard);

    // contributions[i, j] = unbind_i(bound_j): [N, N, D]
    const auto contributions = unbind(binding, unbinding, k.unsqueeze(1).expand({n, n, k.size(1)}),
                                      bound.unsqueeze(0).expand({n, n, bound.size(1)}), guard);
    const auto eye = at::eye(n, at::kDouble).unsqueeze(-1).to(at::kBool);
    const auto signal = contributions.masked_fill(~eye, 0.0).sum(1);
    const auto crosstalk = contributions.masked_fill(eye, 0.0).sum(1);

    const auto cosines = cosineSimilarity(recovered, x, -1);
    const auto signalPower = signal.square().sum(-1);
    const auto crosstalkPower = crosstalk.square().sum(-1);

    InterferenceReport report;
    double cosineSum = 0.0;
    double snrDbSum = 0.0;
    for (int64_t i = 0; i < n; ++i) {
        SlotInterference slot;
        slot.cosine = cosines[i].item<double>();
        slot.signalPower = signalPower[i].item<double>();
        slot.crosstalkPower = crosstalkPower[i].item<double>();
        slot.snr = slot.crosstalkPower > 0.0 ? slot.signalPower / slot.crosstalkPower
                                             : std::numeric_limits<double>::infinity();
        slot.snrDb = 10.0 * std::log10(slot.snr);
        cosineSum += slot.cosine;
        snrDbSum += slot.snrDb;
        report.slotResults.push_back(slot);
    }
    report.meanCosine = cosineSum / static_cast<double>(n);
    report.meanSnrDb = snrDbSum / static_cast<double>(n);
    return report;
}

} // namespace mimo::vsa
