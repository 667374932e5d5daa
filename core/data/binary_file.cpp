#include "core/data/binary_file.h"

#include "core/errors.h"

#include <filesystem>
#include <fstream>
#include <system_error>

namespace mimo {

namespace fs = std::filesystem;

void requireRegularFile(const std::string& path)
{
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st))
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

std::vector<uint8_t> readWholeFile(const std::string& path)
{
    requireRegularFile(path);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw DataError(path, "cannot open file for reading");
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    if (size < 0)
        throw DataError(path, "cannot determine file size");
    if (size == 0)
        throw DataError(path, "file is empty");
    in.seekg(0, std::ios::beg);
    std::vector<uint8_t> bytes(static_cast<std::size_t>(size));
    if (!in.read(reinterpret_cast<char*>(bytes.data()), size))
        throw DataError(path, "read error after " + std::to_string(in.gcount()) + " of " +
                                  std::to_string(size) + " bytes");
    return bytes;
}

} // namespace mimo
