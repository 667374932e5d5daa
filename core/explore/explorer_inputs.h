#pragma once
// Turning what a user drops, pastes, types or picks from a dataset into inputs for the loaded
// model, and finding example inputs to show at start-up. Plain data; the GUI's worker calls it.
#include "core/data/dataset_spec.h"
#include "core/explore/explorer_types.h"
#include "core/explore/sample_sources.h"

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

} // namespace mimo
