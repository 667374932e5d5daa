#pragma once
// SVHN, the Street View House Numbers in their cropped-digit format (train_32x32.mat,
// test_32x32.mat), read through mat_file.h: X is a 32x32x3xN uint8 array in MATLAB's
// column-major order (row, column, colour, image), y holds N labels 1..10, where 10 stands for
// the digit 0. Every dimension and label is checked before use; anything else is a DataError
// naming the file.
#include "core/data/dataset.h"
#include "core/data/image_set.h" // Split

#include <cstdint>
#include <string>
#include <vector>

namespace mimo {

inline constexpr int kSvhnSide = 32;
// extra_32x32.mat, the largest of the three files, is 1.3 GB with 531,131 digits.
inline constexpr uint64_t kMaxSvhnFileBytes = uint64_t(2) << 30;
inline constexpr uint64_t kMaxSvhnImages = 600000;

// "0".."9": class c is the digit c (the file's label 10 is class 0).
const std::vector<std::string>& svhnClassNames();

// One .mat file; `name` is what the dataset is called (the file name when empty).
DatasetPtr loadSvhnFile(const std::string& path, const std::string& name = "");

// `fileOrDir` is a .mat file (then the split is not used) or the folder holding
// train_32x32.mat and test_32x32.mat.
DatasetPtr loadSvhn(const std::string& fileOrDir, Split split);

} // namespace mimo
