#include "core/data/binary_file.h"

#include "core/errors.h"

#include <filesystem>
#include <fstream>
#include <new>
#include <system_error>

namespace mimo {

namespace fs = std::filesystem;

void requireRegularFile(const std::string& path)
{
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (fs::is_symlink(fs::symlink_status(path, ec)) && !fs::exists(st))
        throw DataError(path, "is a symbolic link to nothing (or a loop of links)");
    if (!fs::exists(st))
        throw DataError(path, "file not found");
    refuseSpecialFile(path);
}

void refuseSpecialFile(const std::string& path)
{
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st) || fs::is_regular_file(st))
        return;
    if (fs::is_directory(st))
        throw DataError(path, "is a directory, expected a file");
    if (fs::is_fifo(st))
        throw DataError(path, "is not a regular file but a FIFO (named pipe); reading it would wait for a writer");
    if (fs::is_character_file(st) || fs::is_block_file(st))
        throw DataError(path, "is not a regular file but a device; reading it may never end");
    throw DataError(path, "is not a regular file");
}

void refuseSpecialFile(const std::string& path, uint64_t maxBytes, const std::string& what)
{
    refuseSpecialFile(path);
    std::error_code ec;
    if (fs::is_regular_file(path, ec))
        requireFileSizeAtMost(path, maxBytes, what);
}

uint64_t requireFileSizeAtMost(const std::string& path, uint64_t maxBytes, const std::string& what)
{
    requireRegularFile(path);
    std::error_code ec;
    const uint64_t size = fs::file_size(path, ec);
    if (ec)
        throw DataError(path, "cannot determine the size of the " + what);
    if (size > maxBytes)
        throw DataError(path, "the " + what + " is " + std::to_string(size) + " bytes, more than the " +
                                  std::to_string(maxBytes) + " this program reads (docs/file-safety.md)");
    return size;
}

std::vector<uint8_t> readWholeFile(const std::string& path, uint64_t maxBytes)
{
    const uint64_t size = requireFileSizeAtMost(path, maxBytes, "file");
    if (size == 0)
        throw DataError(path, "file is empty");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw DataError(path, "cannot open file for reading");
    try {
        std::vector<uint8_t> bytes(static_cast<std::size_t>(size));
        if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size)))
            throw DataError(path, "read error after " + std::to_string(in.gcount()) + " of " + std::to_string(size) +
                                      " bytes");
        return bytes;
    } catch (const std::bad_alloc&) {
        throw DataError(path, "not enough memory to read this file of " + std::to_string(size) + " bytes");
    }
}

} // namespace mimo
