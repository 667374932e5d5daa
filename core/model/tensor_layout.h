#pragma once
// Checks of the tensor records in torch archives, before a view of a storage is made: a
// storage offset or stride that points past the storage used to read out of bounds.
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <string>
#include <vector>

namespace mimo {

inline constexpr int kMaxTensorDims = 16;

// Throws DataError(source, ...) unless the tensor of `sizes`, `strides` and `offset` lies
// inside a storage of `storageNumel` elements, reads no element twice and has at most
// kMaxTensorDims dimensions; all arithmetic is checked for overflow.
void checkTensorLayout(const std::vector<int64_t>& sizes, const std::vector<int64_t>& strides, int64_t offset,
                       int64_t storageNumel, const std::string& source);

// The element type a storage global names ("torch.FloatStorage"); throws DataError for any
// other name.
at::ScalarType storageScalarType(const std::string& global, const std::string& source);

} // namespace mimo
