#include "core/data/mat_guard.h"

#include "core/errors.h"

#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <vector>

namespace mimo {
namespace {

constexpr uint64_t kHeaderBytes = 128;
constexpr uint32_t kMatrix = 14, kCompressed = 15;
// Enough for the array flags, 64 dimensions and a 1024-byte name with their tags.
constexpr std::size_t kVariableHeaderBytes = 8 + 16 + 8 + 256 + 8 + 1024;
constexpr uint32_t kMaxDimsBytes = 64 * 4;
constexpr uint32_t kMaxNameBytes = 1024;

struct Words {
    bool swapped = false;
    uint32_t operator()(const unsigned char* b) const
    {
        return swapped ? uint32_t(b[0]) << 24 | uint32_t(b[1]) << 16 | uint32_t(b[2]) << 8 | b[3]
                       : uint32_t(b[3]) << 24 | uint32_t(b[2]) << 16 | uint32_t(b[1]) << 8 | b[0];
    }
};

std::vector<unsigned char> readAt(std::ifstream& in, uint64_t offset, std::size_t count, const std::string& path)
{
    std::vector<unsigned char> bytes(count);
    in.clear();
    in.seekg(std::streamoff(offset));
    if (!in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(count)))
        throw DataError(path, "cannot read " + std::to_string(count) + " bytes at byte " + std::to_string(offset));
    return bytes;
}

// The first bytes of a compressed variable, inflated: at most kVariableHeaderBytes + 8.
std::vector<unsigned char> inflateStart(const std::vector<unsigned char>& compressed, const std::string& path,
                                        uint64_t offset)
{
    std::vector<unsigned char> out(kVariableHeaderBytes + 8);
    z_stream stream{};
    if (inflateInit(&stream) != Z_OK)
        throw DataError(path, "cannot start inflating the variable at byte " + std::to_string(offset));
    stream.next_in = const_cast<unsigned char*>(compressed.data());
    stream.avail_in = uInt(compressed.size());
    stream.next_out = out.data();
    stream.avail_out = uInt(out.size());
    const int status = inflate(&stream, Z_SYNC_FLUSH);
    const std::size_t produced = out.size() - stream.avail_out;
    const std::string message = stream.msg ? stream.msg : "error " + std::to_string(status);
    inflateEnd(&stream);
    if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR)
        throw DataError(path, "the compressed variable at byte " + std::to_string(offset) + " is damaged (zlib: " +
                                  message + ")");
    out.resize(produced);
    return out;
}

// One sub-element of a variable header at `at`: its declared byte count (checked against
// `limit` and what is left of the variable) and where the next one starts.
std::size_t subElement(const std::vector<unsigned char>& header, std::size_t at, uint64_t contentBytes, uint32_t limit,
                       const char* what, const Words& word, const std::string& path, uint64_t offset,
                       uint32_t* firstWord = nullptr)
{
    if (at + 8 > header.size() || at + 8 > contentBytes)
        throw DataError(path, "the variable at byte " + std::to_string(offset) + " ends before its " + what);
    const uint32_t tag = word(header.data() + at);
    if (tag >> 16 != 0) { // small element: count in the upper half, data in the next 4 bytes
        if (firstWord)
            *firstWord = word(header.data() + at + 4);
        return at + 8;
    }
    const uint32_t bytes = word(header.data() + at + 4);
    const uint64_t padded = (uint64_t(bytes) + 7) / 8 * 8;
    if (bytes > limit || at + 8 + padded > contentBytes)
        throw DataError(path, "the variable at byte " + std::to_string(offset) + " declares " + std::to_string(bytes) +
                                  " bytes of " + what + " (at most " + std::to_string(limit) + ", and within its " +
                                  std::to_string(contentBytes) + " bytes)");
    if (firstWord) {
        if (at + 12 > header.size())
            throw DataError(path, "the variable at byte " + std::to_string(offset) + " ends inside its " + what);
        *firstWord = word(header.data() + at + 8);
    }
    return at + 8 + std::size_t(padded);
}

// The dimensions sub-element at `at` (already bounded by subElement): miINT32 values, at least
// two, none negative, whose product (every element takes at least one stored byte) fits in
// `dataBound` bytes.
void checkDimensions(const std::vector<unsigned char>& body, std::size_t at, uint64_t dataBound, const Words& word,
                     const std::string& path, uint64_t offset)
{
    const std::string where = "the variable at byte " + std::to_string(offset);
    const uint32_t tag = word(body.data() + at);
    const bool small = tag >> 16 != 0;
    const uint32_t type = small ? tag & 0xffff : tag, bytes = small ? tag >> 16 : word(body.data() + at + 4);
    if (type != 5 || bytes % 4 != 0 || bytes < 8)
        throw DataError(path, where + " has no dimensions of type int32 (at least two)");
    const std::size_t first = at + (small ? 4 : 8);
    if (first + bytes > body.size())
        throw DataError(path, where + " ends inside its dimensions");
    uint64_t elements = 1;
    std::string shape;
    for (uint32_t d = 0; d < bytes / 4; ++d) {
        const uint32_t side = word(body.data() + first + 4 * d);
        shape += (d ? "x" : "") + std::to_string(int32_t(side));
        if (int32_t(side) < 0)
            throw DataError(path, where + " has a negative dimension (" + shape + ")");
        elements = side == 0 ? 0 : (elements > dataBound / side ? dataBound + 1 : elements * side);
    }
    if (elements > dataBound)
        throw DataError(path, where + " declares " + shape + " elements, more than its " + std::to_string(dataBound) +
                                  " bytes of data can hold");
}

// `header` starts with the variable's miMATRIX tag; `dataBound` bounds the bytes its data can
// take (the element's size, or what its compressed bytes can inflate to).
void checkVariableHeader(const std::vector<unsigned char>& header, uint64_t dataBound, const Words& word,
                         const std::string& path, uint64_t offset)
{
    if (header.size() < 8 || word(header.data()) != kMatrix)
        throw DataError(path, "the element at byte " + std::to_string(offset) + " is not a MATLAB array");
    const uint64_t content = word(header.data() + 4);
    // matio does not take an array element of no bytes as empty: it reads the elements after it
    // as the array's flags, dimensions and name (fuzzing: a 4 GB name). SVHN's files have none.
    if (content == 0)
        throw DataError(path, "the element at byte " + std::to_string(offset) +
                                  " is a MATLAB array of 0 bytes (matio would read what follows as its header)");
    std::vector<unsigned char> body(header.begin() + 8, header.end());
    uint32_t flags = 0;
    std::size_t at = subElement(body, 0, content, 16, "array flags", word, path, offset, &flags);
    const uint32_t cls = flags & 0xff;
    if (cls != 4 && (cls < 6 || cls > 15))
        throw DataError(path, "the variable at byte " + std::to_string(offset) + " is of MATLAB class " +
                                  std::to_string(cls) + ": only numeric and char arrays are read (no cell, struct, "
                                  "object or sparse arrays)");
    const std::size_t dims = at;
    at = subElement(body, at, content, kMaxDimsBytes, "dimensions", word, path, offset);
    checkDimensions(body, dims, std::min(content, dataBound), word, path, offset);
    subElement(body, at, content, kMaxNameBytes, "name", word, path, offset);
}

} // namespace

void checkMat5Structure(const std::string& path, uint64_t size)
{
    std::ifstream in(path, std::ios::binary);
    if (size < kHeaderBytes)
        throw DataError(path, "shorter than the 128-byte header of a MAT file");
    const auto header = readAt(in, 0, kHeaderBytes, path);
    // Bytes 124-127: version 0x0100 and the endian indicator "MI" as the writer's 16-bit value.
    const bool little = header[126] == 'I' && header[127] == 'M', big = header[126] == 'M' && header[127] == 'I';
    const unsigned version = little ? unsigned(header[125]) << 8 | header[124] : unsigned(header[124]) << 8 | header[125];
    if (!(little || big) || version != 0x0100)
        throw DataError(path, version == 0x0200 ? "a MAT version 7.3 (HDF5) file; SVHN's files are version 5"
                                                : "not a MAT version 5 file (no version 0x0100 and endian indicator "
                                                  "in bytes 124-127 of its header)");
    Words word;
    word.swapped = big;
    uint64_t offset = kHeaderBytes;
    for (int element = 0; element < 100000 && size - offset >= 8; ++element) {
        const auto tag = readAt(in, offset, 8, path);
        const uint32_t type = word(tag.data()), bytes = word(tag.data() + 4);
        if (type >> 16 != 0) { // a small element: type, count and data in these 8 bytes
            offset += 8;
            continue;
        }
        if (bytes > size - offset - 8)
            throw DataError(path, "truncated: the element at byte " + std::to_string(offset) + " declares " +
                                      std::to_string(bytes) + " bytes but only " + std::to_string(size - offset - 8) +
                                      " follow");
        if (type == kMatrix) {
            const std::size_t count = std::size_t(std::min<uint64_t>(uint64_t(bytes) + 8, kVariableHeaderBytes + 8));
            checkVariableHeader(readAt(in, offset, count, path), bytes, word, path, offset);
        } else if (type == kCompressed) {
            const std::size_t count = std::size_t(std::min<uint64_t>(bytes, 64 * 1024));
            // deflate inflates at most 1032 bytes per compressed byte
            checkVariableHeader(inflateStart(readAt(in, offset + 8, count, path), path, offset), uint64_t(bytes) * 1032,
                                word, path, offset);
        }
        offset += 8 + uint64_t(bytes);
        const uint64_t padded = (offset + 7) / 8 * 8; // uncompressed elements end on 8 bytes
        if (type != kCompressed && padded <= size)
            offset = padded;
    }
}

} // namespace mimo
