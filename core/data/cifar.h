#pragma once
// CIFAR-10 and CIFAR-100 in their "binary version" distributions
// (cifar-10-batches-bin/, cifar-100-binary/). Records are fixed-size: label byte(s)
// followed by 3072 bytes holding the R, G and B planes of a 32x32 image, which is
// already the channel-major layout ImageSet uses.
#include "core/data/dataset.h"
#include "core/data/image_set.h" // Split

#include <cstdint>
#include <string>
#include <vector>

namespace mimo {

inline constexpr int kCifarSide = 32;
inline constexpr int kCifarImageBytes = 3 * kCifarSide * kCifarSide;
// One batch file is read whole; CIFAR-100's train.bin, the largest, is 154 MB. A larger file
// (a huge or sparse one) is refused before it is read (docs/file-safety.md).
inline constexpr uint64_t kMaxCifarFileBytes = uint64_t(256) << 20;

const std::vector<std::string>& cifar10DefaultClassNames();

// `dir` holds data_batch_1..5.bin and test_batch.bin, or is the parent of a
// cifar-10-batches-bin folder that does. Class names come from batches.meta.txt when
// present. 50000 (train) or 10000 (test) 3x32x32 images.
DatasetPtr loadCifar10(const std::string& dir, Split split);

// `dir` holds train.bin and test.bin, or is the parent of cifar-100-binary. fineLabels
// picks the 100 fine classes (names from fine_label_names.txt) or the 20 coarse ones
// (coarse_label_names.txt); without a names file they are "class_0", "class_1", ...
DatasetPtr loadCifar100(const std::string& dir, Split split, bool fineLabels = true);

} // namespace mimo
