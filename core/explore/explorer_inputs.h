#pragma once
// Turning what a user drops, pastes, types or picks from a dataset into inputs for the loaded
// model, and finding example inputs to show at start-up. Plain data; the GUI's worker calls it.
#include "core/data/dataset_spec.h"
#include "core/explore/explorer_types.h"

#include <string>
#include <vector>

namespace mimo {

// What a path dropped on the window is. Only the name and the file system are consulted:
// whether an image decodes is found out by preparing it.
enum class PathKind { Model, Folder, Candidate };
PathKind classifyPath(const std::string& path);

// Throws DataError naming the file and the problem: missing, empty, not decodable as an
// image, binary data given as text, a sequence too long or with unknown tokens, a dataset
// index out of range, raw pixels of an impossible size.
PreparedInput prepareInput(const InputSource& source, const ModelInfo& model,
                           const DataOptions& dataOptions = {});

// Files in a folder (not recursive) that could be inputs of this model, sorted by name:
// images for image and pixel-sequence models, text files (.txt) for the other sequence models.
// A folder with no such file but subfolders (one per class) gives their files, class by class.
std::vector<std::string> inputFilesInFolder(const std::string& directory, const ModelInfo& model);

// The true class of a file in a class folder (".../Sneaker/img1.png"): the parent folder's
// name matches a class name ignoring case and punctuation ("t-shirt_top" = "T-shirt/top").
int64_t labelFromPath(const std::string& path, const std::vector<std::string>& classNames);

// How datasets are read for this model: its image spec, sequence length and pixel grid.
DataOptions dataOptionsForModel(const ModelInfo& model, const std::string& fashionMnistDir = "");

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
