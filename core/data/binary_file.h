#pragma once
// Whole-file reading with the error messages every loader wants (missing, not a regular
// file, unreadable, empty), so each format reader only reports its own format problems.
#include <cstdint>
#include <string>
#include <vector>

namespace mimo {

// TSV datasets are read line by line; LRA's largest (ListOps train) is about 0.5 GB.
inline constexpr uint64_t kMaxTsvBytes = uint64_t(2) << 30;

// Throws DataError(path, ...) if the file is missing, is not a regular file, is larger than
// maxBytes (checked before anything is read or allocated), cannot be read or is empty.
std::vector<uint8_t> readWholeFile(const std::string& path, uint64_t maxBytes);

// Throws DataError(path, ...) unless path names an existing regular file; the message says
// what the path is instead (missing, a folder, a FIFO, a device).
void requireRegularFile(const std::string& path);

// The size of the regular file at path; throws DataError(path, ...) naming `what` when it is
// larger than maxBytes. For readers that stream a file and must bound what they keep.
uint64_t requireFileSizeAtMost(const std::string& path, uint64_t maxBytes, const std::string& what);

// Throws DataError(path, ...) when path exists and is not a regular file: a FIFO would block
// its reader until someone writes to it, a device such as /dev/zero never ends. A missing file
// is left to the reader, whose own message says what it expected. Call before opening.
void refuseSpecialFile(const std::string& path);
// As above, and also refuses a regular file larger than maxBytes, naming `what` it should be:
// a sparse or huge file would otherwise be read whole by a line reader.
void refuseSpecialFile(const std::string& path, uint64_t maxBytes, const std::string& what);

} // namespace mimo
