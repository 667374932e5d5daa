#pragma once
// Reader for IDX files, the format of MNIST and Fashion-MNIST, plain or gzip-compressed.
// Header (big-endian): two zero bytes, a data-type byte, a dimension-count byte, then one
// uint32 per dimension; the data follow in row-major order. Only unsigned-byte data
// (type 0x08) is supported: it is all these datasets use.
#include "core/data/image_set.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mimo {

// The data one IDX file may declare (EMNIST's largest split is 550 MB); a header declaring
// more is refused before anything is allocated or inflated (docs/file-safety.md).
inline constexpr uint64_t kMaxIdxDataBytes = uint64_t(1) << 30;

inline constexpr uint32_t kIdxImagesMagic = 0x00000803; // uint8, 3 dims: count, rows, cols
inline constexpr uint32_t kIdxLabelsMagic = 0x00000801; // uint8, 1 dim: count

struct IdxArray {
    std::vector<uint32_t> dims;
    std::vector<uint8_t> data; // product(dims) bytes
};

// Reads a uint8 IDX file with exactly `expectedDims` dimensions. Every problem throws
// DataError(path, ...): missing/empty file, not IDX (wrong magic), unsupported data type,
// wrong dimension count, zero or absurd sizes, truncated data, trailing bytes, corrupt
// gzip stream.
IdxArray readIdx(const std::string& path, int expectedDims);

// Images: one channel, labels left empty.
ImageSet readIdxImages(const std::string& path);

// Labels; each must lie in [0, numClasses) when numClasses > 0.
std::vector<int64_t> readIdxLabels(const std::string& path, int64_t numClasses = 0);

// Both files of one split; counts must agree and labels lie in [0, numClasses).
ImageSet readIdxImagesAndLabels(const std::string& imagesPath, const std::string& labelsPath,
                                int64_t numClasses = 10);

} // namespace mimo
