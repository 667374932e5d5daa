#pragma once
// Model inputs for the readable items of a batch: the skip-and-report policy for datasets that
// decode items on demand (Dataset::decodesOnDemand, docs/file-safety.md). Shared by evaluation
// (which leaves unreadable items out of the accuracy) and training (which replaces them with
// readable items of the same batch). torch header: core .cpp files and tests only.
#include "core/data/dataset.h"
#include "core/data/unreadable_items.h"

#include <torch/types.h>

#include <functional>
#include <vector>

namespace mimo {

// Inputs [B, ...] for the dataset items `indices`, in order.
using BatchInputs = std::function<torch::Tensor(const std::vector<std::size_t>& indices)>;

struct ReadableInputs {
    torch::Tensor inputs;            // one row per item of `items`; undefined when `items` is empty
    std::vector<std::size_t> items;  // the readable items among those asked for, in their order
};

// The inputs of those of `indices` that can be read. For a dataset that decodes on demand, an
// item already in `unreadable`, or whose decoding throws a DataError, is left out and recorded
// there (the batch is built whole first, and item by item only when that fails). For other
// datasets, and for errors other than DataError, the error propagates.
ReadableInputs readableInputs(const Dataset& data, const std::vector<std::size_t>& indices, const BatchInputs& inputs,
                              UnreadableItems& unreadable);

// `batch` made `count` rows long by repeating its own rows in turn (rows 0, 1, ... after the
// last): the padding of a last batch to whole groups, and the replacement of unreadable items.
torch::Tensor repeatRows(const torch::Tensor& batch, std::size_t count);
std::vector<std::size_t> repeatItems(const std::vector<std::size_t>& items, std::size_t count);

// Training: inputs for exactly indices.size() items in which each unreadable item is replaced by
// a readable one of the same batch; when none of the batch can be read, by the next readable
// items of the dataset. `indices` becomes the items the rows hold (for their labels). Throws
// DataError(origin) when no item of the whole dataset can be read.
torch::Tensor inputsReplacingUnreadable(const Dataset& data, std::vector<std::size_t>& indices,
                                        const BatchInputs& inputs, UnreadableItems& unreadable);

// DataError(origin) "none of its [first] K items can be read (report)": every item was unreadable.
[[noreturn]] void throwNothingReadable(const Dataset& data, std::size_t count, const UnreadableItems& unreadable);

} // namespace mimo
