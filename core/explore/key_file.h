#pragma once
// Binding keys as a text file: one key per line, numbers separated by spaces, tabs or commas
// (a CSV from a spreadsheet or numpy.savetxt reads as it is); '#' starts a comment.
#include "core/explore/explorer_types.h"

#include <string>

namespace mimo {

// A KeyChoice of kind Values. Throws DataError(path, ...) naming the line: no numbers, rows of
// different lengths, a value that is not a finite number.
KeyChoice readKeyFile(const std::string& path);

// Written to a side file and renamed. `keys` is [rows, cols].
void writeKeyFile(const std::string& path, const TensorView& keys, const std::string& comment);

} // namespace mimo
