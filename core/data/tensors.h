#pragma once
// Tensors from dataset samples: the only place where the plain-data dataset layer meets
// torch. Images become float [C, H, W] in [0, 1]; sequences int64 [L].
#include "core/data/dataset.h"

#include <ATen/core/Tensor.h>

#include <cstddef>
#include <vector>

namespace mimo {

at::Tensor sampleToTensor(const Sample& sample);

struct TensorBatch {
    at::Tensor inputs; // [B, C, H, W] float or [B, L] int64
    at::Tensor labels; // [B] int64, -1 where unknown
};

// Throws mimo::Error when an index is out of range or the samples differ in shape.
TensorBatch makeBatch(const Dataset& dataset, const std::vector<std::size_t>& indices);

} // namespace mimo
