#pragma once
// Seeded key generation, key similarity, and the map between the official MIMOConv
// `channelConv` weights and HRR keys (docs/mimonets.md 2.2, 2.3).
#include "core/vsa/key_family.h"

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace mimo::vsa {

// n keys of dimension d as an [n, d] float32 tensor. The same (family, n, d, seed) gives the
// same values on every run and platform (our own generator, not torch's).
at::Tensor makeKeys(KeyFamily family, int64_t n, int64_t d, uint64_t seed);

// Cosine similarity of every pair of keys: [n, n], ones on the diagonal.
at::Tensor keySimilarity(const at::Tensor& keys);

// The official code binds with Conv1d(groups=N, kernel C0, circular padding C0/2) and drops
// the first output, which is circular convolution with v[m] = w[(C0/2 - 1 - m) mod C0].
// Accepts the weight as [N, 1, C0] or [N, C0]; returns [N, C0]. C0 must be even.
at::Tensor keysFromOfficialChannelConv(const at::Tensor& weight);
// The inverse map (the index map is an involution); returns [N, 1, C0].
at::Tensor officialChannelConvFromKeys(const at::Tensor& keys);

} // namespace mimo::vsa
