#pragma once
// Writing a file so that a crash, a full disk or a second writer never leaves half of it: every
// file the programs write (results, sessions, plots, training checkpoints) goes through here.
#include <cstddef>
#include <string>

namespace mimo {

// Writes `bytes` to `path` through a temporary file in the same folder, fsync and a rename, so
// the path holds either the old file or the whole new one. Throws DataError(path, reason).
void writeFileAtomically(const std::string& path, const std::string& bytes);
// The same for bytes held elsewhere (a training checkpoint of a gigabyte is not copied first).
void writeFileAtomically(const std::string& path, const char* bytes, std::size_t size);

} // namespace mimo
