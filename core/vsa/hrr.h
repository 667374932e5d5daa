#pragma once
// Vector-symbolic primitives (docs/mimonets.md sections 1 and 8): HRR binding by circular
// convolution, its approximate and exact inverses, MAP binding, bundling, similarity.
// A 1-D key is aligned with `dim` of x automatically; otherwise key and x must broadcast.
#include <ATen/core/Tensor.h>

namespace mimo::vsa {

// (k ⊛ x)[j] = sum_m k[m] x[(j - m) mod D], through rfft/irfft; any D, even or odd.
at::Tensor hrrBind(const at::Tensor& key, const at::Tensor& x, int64_t dim = -1);

// Circular correlation (k ⊘ s)[j] = sum_m k[m] s[(j + m) mod D] = bind(involution(k), s).
at::Tensor hrrUnbindApproximate(const at::Tensor& key, const at::Tensor& s, int64_t dim = -1);

// Division in the Fourier domain. Frequencies whose power is below guard^2 times the key's
// mean spectral power carry no recoverable information and are zeroed (a pseudo-inverse)
// instead of being amplified without bound.
at::Tensor hrrUnbindExact(const at::Tensor& key, const at::Tensor& s, int64_t dim = -1, double guard = 1e-3);

// Number of frequencies that hrrUnbindExact would zero for this key (per key along dim).
at::Tensor hrrNearZeroFrequencies(const at::Tensor& key, int64_t dim = -1, double guard = 1e-3);

// k*[i] = k[(-i) mod D]: binding with it is circular correlation.
at::Tensor involution(const at::Tensor& key, int64_t dim = -1);

// MAP: elementwise product. With bipolar keys it is its own inverse.
at::Tensor mapBind(const at::Tensor& key, const at::Tensor& x, int64_t dim = -1);
at::Tensor mapUnbindApproximate(const at::Tensor& key, const at::Tensor& s, int64_t dim = -1);
// Elementwise division, with entries below `guard` in magnitude treated as carrying nothing.
at::Tensor mapUnbindExact(const at::Tensor& key, const at::Tensor& s, int64_t dim = -1, double guard = 1e-6);

// Superposition: a plain sum, as both MIMONets use it (no normalisation).
at::Tensor bundle(const at::Tensor& items, int64_t dim = 0);

at::Tensor cosineSimilarity(const at::Tensor& a, const at::Tensor& b, int64_t dim = -1);

// Reshape a 1-D key of length x.size(dim) so it broadcasts against x along dim.
at::Tensor alignKey(const at::Tensor& key, const at::Tensor& x, int64_t dim);

} // namespace mimo::vsa
