#pragma once
// The sample picker and the examples read the same split again and again: the last few
// datasets opened stay in memory (Fashion-MNIST's test split takes ~0.1 s to decompress).
#include "core/data/dataset_spec.h"

#include <string>

namespace mimo {

// openDataset(spec, options), or the same object as the last call with equal arguments.
// Thread-safe.
DatasetPtr cachedDataset(const std::string& spec, const DataOptions& options);

} // namespace mimo
