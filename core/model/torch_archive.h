#pragma once
// A torch.save / torch::pickle_save archive read with our own checked readers (zip_archive.h,
// pickle_reader.h) instead of LibTorch's: LibTorch's pickle reader recurses (a deeply nested
// pickle overflowed the stack) and builds tensors from any offset and stride it is given (read
// out of bounds). Every storage record must hold exactly the bytes its persistent id declares
// and pass its CRC-32. torch header: core .cpp files only.
#include "core/model/pickle_reader.h"

#include <cstdint>
#include <string>

namespace mimo {

// Larger than any pickle of a state dict or a model file (a few kilobytes to a megabyte).
inline constexpr uint64_t kMaxArchivePickleBytes = uint64_t(64) << 20;

enum class TensorData {
    Read,       // storages read and checked; tensors are views of them
    LayoutOnly, // storages checked against the directory but not read; tensors undefined
};

// The archive's root value. `what` names the kind of file in messages ("model file",
// "checkpoint"). Throws DataError(path, ...) for anything that is not a sound archive of at
// most maxFileBytes bytes, and for running out of memory.
PickleValuePtr readTorchArchive(const std::string& path, uint64_t maxFileBytes, const std::string& what,
                                TensorData data);

} // namespace mimo
