#pragma once
// What libmatio does not check before it allocates: a MAT v5 file's top-level elements must end
// inside the file, and each variable's header (array flags, dimensions, name; inflated from the
// first bytes of a compressed variable) must declare sizes within its element and within small
// bounds. matio reads the headers of every variable before the one asked for and allocates what
// a dimensions or name tag declares (a fuzzed tag asked for 8 GB), so this runs before matio
// reads anything. Not a MAT parser: the data themselves are left to matio.
#include <cstdint>
#include <string>

namespace mimo {

// Reads only the file itself, so it runs before matio opens it (matio's readers of other MAT
// versions allocate what a few bytes declare: a 42-byte file asked for 1.8 GB). Throws
// DataError(path, ...) for a file that is not MAT version 5 (by its 128-byte header), naming an
// element's byte offset and what it declares otherwise.
// Only numeric and char variables are accepted (no cell, struct, object or sparse arrays,
// whose nested headers matio would read too).
void checkMat5Structure(const std::string& path, uint64_t size);

} // namespace mimo
