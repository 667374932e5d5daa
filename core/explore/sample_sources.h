#pragma once
// Where inputs come from when the user has not given any: example inputs at start-up and the
// dataset behind the sample picker (random items, items of a class, items from an index).
#include "core/data/dataset_spec.h"
#include "core/explore/explorer_types.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mimo {

// The dataset the sample picker opens first: the model's test split when it can be read here
// (Fashion-MNIST from Debian's package, a TSV next to the card), the bundled example images
// (examplesDirectory/<dataset>/<class>/...), or generated trees for ListOps. Empty when none.
std::string defaultSampleDataset(const ModelInfo& model, const std::string& examplesDirectory);

// Where the bundled example inputs are: $MIMO_EXAMPLES_DIR, <exe>/../../resources/examples
// (a build tree), <exe>/../share/mimo-explorer/examples. Empty when none exists.
std::string examplesDirectory(const std::string& executableDir);

// `count` inputs to show at start-up, of different classes where possible, from
// defaultSampleDataset, as dataset samples. Empty (never throws) when the model has no
// example source or its data cannot be read.
std::vector<InputSource> exampleSources(const ModelInfo& model, int count, const std::string& examplesDir);

// Item indices of `dataset` for the sample picker.
struct SampleQuery {
    enum class Mode { Index, Random, OfClass };
    Mode mode = Mode::Index;
    int64_t index = 0;     // Index: the first item; the rest follow
    int64_t classIndex = 0; // OfClass
    uint64_t seed = 1;      // Random and OfClass draw with it
    int count = 1;
};
// Throws mimo::Error when the index is out of range or no item has the class.
std::vector<int64_t> selectSamples(const Dataset& dataset, const SampleQuery& query);

} // namespace mimo
