#pragma once
// The checksum a model file carries of its weights (format version 2), so that a damaged file
// is refused instead of predicting nonsense. torch header: core .cpp files only.
#include <ATen/core/Tensor.h>

#include <map>
#include <string>

namespace mimo {

// SHA-256, as 64 hex digits, over every tensor in name order: its name, element type, sizes
// and its elements in row-major order and the machine's (little-endian) byte order. It depends
// on the values only, not on how the archive stores them.
std::string weightsChecksum(const std::map<std::string, at::Tensor>& tensors);

} // namespace mimo
