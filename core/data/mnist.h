#pragma once
// MNIST and Fashion-MNIST from their four standard IDX files, gzipped or not.
#include "core/data/dataset.h"
#include "core/data/image_set.h" // Split

#include <string>

namespace mimo {

inline constexpr const char* kFashionMnistEnvVar = "MIMO_FASHION_MNIST_DIR";
inline constexpr const char* kFashionMnistDefaultDir = "/usr/share/datasets/fashion-mnist";

// Where Fashion-MNIST is looked for: `override` if non-empty, else $MIMO_FASHION_MNIST_DIR
// if set and non-empty, else the directory the Debian package dataset-fashion-mnist fills.
std::string fashionMnistDirectory(const std::string& override = "");

const std::vector<std::string>& fashionMnistClassNames();

// 60000 (train) or 10000 (test) 1x28x28 images with labels 0..9. Throws DataError naming
// the expected file and directory, with installation hints, when something is missing.
DatasetPtr loadFashionMnist(Split split, const std::string& dir = "");

// Plain MNIST digits from `dir`; class names "0".."9".
DatasetPtr loadMnist(Split split, const std::string& dir);

// Path of `baseName` or `baseName.gz` in dir (the .gz preferred when both exist);
// throws DataError naming both candidates when neither exists. `hint` is appended.
std::string findIdxFile(const std::string& dir, const std::string& baseName,
                        const std::string& hint = "");

} // namespace mimo
