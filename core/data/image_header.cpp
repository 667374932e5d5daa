#include "core/data/image_header.h"

#include <cstdint>

#include <cctype>
#include <cstring>

namespace mimo {
namespace {

// The encoded bytes; callers check has() before every read.
class Bytes {
public:
    Bytes(const uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    std::size_t size() const { return size_; }
    bool has(std::size_t at, std::size_t count) const { return at <= size_ && count <= size_ - at; }
    bool startsWith(const char* magic, std::size_t at = 0) const
    {
        const std::size_t n = std::strlen(magic);
        return has(at, n) && std::memcmp(data_ + at, magic, n) == 0;
    }
    uint8_t operator[](std::size_t at) const { return data_[at]; }
    // Unsigned integers of `count` bytes; the caller checked has(at, count).
    uint64_t big(std::size_t at, int count) const
    {
        uint64_t v = 0;
        for (int i = 0; i < count; ++i)
            v = (v << 8) | data_[at + std::size_t(i)];
        return v;
    }
    uint64_t little(std::size_t at, int count) const
    {
        uint64_t v = 0;
        for (int i = count - 1; i >= 0; --i)
            v = (v << 8) | data_[at + std::size_t(i)];
        return v;
    }

private:
    const uint8_t* data_;
    std::size_t size_;
};

using Header = std::optional<ImageHeader>;

Header make(const char* format, uint64_t width, uint64_t height) { return ImageHeader{format, width, height}; }

Header png(const Bytes& b)
{
    if (!b.has(0, 24) || !b.startsWith("IHDR", 12))
        return std::nullopt;
    return make("PNG", b.big(16, 4), b.big(20, 4));
}

Header jpeg(const Bytes& b)
{
    // Markers up to the first start-of-frame, which holds the size; entropy-coded data only
    // follow the start of scan, so no byte of it is read.
    std::size_t at = 2;
    while (b.has(at, 2)) {
        if (b[at] != 0xFF)
            return std::nullopt;
        while (b.has(at + 1, 1) && b[at + 1] == 0xFF) // fill bytes
            ++at;
        if (!b.has(at + 1, 1))
            return std::nullopt;
        const uint8_t marker = b[at + 1];
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
            at += 2;
            continue;
        }
        if (marker == 0xDA || marker == 0xD9 || !b.has(at + 2, 2))
            return std::nullopt;
        const std::size_t length = std::size_t(b.big(at + 2, 2));
        const bool frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (frame) {
            if (length < 8 || !b.has(at + 4, 5))
                return std::nullopt;
            return make("JPEG", b.big(at + 7, 2), b.big(at + 5, 2));
        }
        if (length < 2)
            return std::nullopt;
        at += 2 + length;
    }
    return std::nullopt;
}

Header bmp(const Bytes& b)
{
    if (!b.has(14, 4))
        return std::nullopt;
    const uint64_t info = b.little(14, 4);
    if (info == 12 && b.has(18, 4))
        return make("BMP", b.little(18, 2), b.little(20, 2));
    if (info < 16 || !b.has(18, 8))
        return std::nullopt;
    const auto width = int32_t(uint32_t(b.little(18, 4)));
    const auto height = int32_t(uint32_t(b.little(22, 4))); // negative: stored top-down
    if (width < 0 || height == INT32_MIN)
        return std::nullopt;
    return make("BMP", uint64_t(width), uint64_t(height < 0 ? -height : height));
}

Header webp(const Bytes& b)
{
    if (b.startsWith("VP8 ", 12) && b.has(26, 4) && b[23] == 0x9D && b[24] == 0x01 && b[25] == 0x2A)
        return make("WebP", b.little(26, 2) & 0x3FFF, b.little(28, 2) & 0x3FFF);
    if (b.startsWith("VP8L", 12) && b.has(21, 4) && b[20] == 0x2F) {
        const uint64_t bits = b.little(21, 4);
        return make("WebP", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
    }
    if (b.startsWith("VP8X", 12) && b.has(24, 6))
        return make("WebP", b.little(24, 3) + 1, b.little(27, 3) + 1);
    return std::nullopt;
}

Header tiff(const Bytes& b)
{
    // The first image (the one OpenCV decodes): tags 256 and 257 of the first directory.
    const bool little = b[0] == 'I';
    const auto read = [&](std::size_t at, int count) { return little ? b.little(at, count) : b.big(at, count); };
    const bool bigTiff = read(2, 2) == 43;
    const int offsetBytes = bigTiff ? 8 : 4;
    const std::size_t entryBytes = bigTiff ? 20 : 12;
    if (!b.has(bigTiff ? 8 : 4, std::size_t(offsetBytes)))
        return std::nullopt;
    const uint64_t directory = read(bigTiff ? 8 : 4, offsetBytes);
    if (directory >= b.size() || !b.has(std::size_t(directory), std::size_t(offsetBytes == 8 ? 8 : 2)))
        return std::nullopt;
    const uint64_t entries = read(std::size_t(directory), bigTiff ? 8 : 2);
    const std::size_t first = std::size_t(directory) + (bigTiff ? 8 : 2);
    uint64_t width = 0, height = 0, rowsPerStrip = 0, tileWidth = 0, tileLength = 0;
    for (uint64_t i = 0; i < entries && i < 4096; ++i) {
        const std::size_t at = first + std::size_t(i) * entryBytes;
        if (!b.has(at, entryBytes))
            return std::nullopt;
        const uint64_t tag = read(at, 2), type = read(at + 2, 2);
        const std::size_t value = at + (bigTiff ? 12 : 8);
        const int width8 = type == 3 ? 2 : type == 4 ? 4 : type == 16 ? 8 : 0; // SHORT, LONG, LONG8
        if (width8 == 0 || width8 > offsetBytes)
            continue;
        switch (tag) {
        case 256: width = read(value, width8); break;
        case 257: height = read(value, width8); break;
        case 278: rowsPerStrip = read(value, width8); break;
        case 322: tileWidth = read(value, width8); break;
        case 323: tileLength = read(value, width8); break;
        default: break;
        }
    }
    if (width == 0 || height == 0)
        return std::nullopt;
    ImageHeader header{"TIFF", width, height};
    // As OpenCV sizes its buffer: a tile if the image has tiles, else a strip of RowsPerStrip
    // rows (none, 0 or 2^32-1: the whole height). Products saturate rather than wrap.
    const auto times = [](uint64_t x, uint64_t y) { return y != 0 && x > UINT64_MAX / y ? UINT64_MAX : x * y; };
    if (tileWidth != 0 && tileLength != 0)
        header.blockPixels = times(tileWidth, tileLength);
    else
        header.blockPixels = times(width, rowsPerStrip == 0 || rowsPerStrip == 0xFFFFFFFFu ? height : rowsPerStrip);
    return header;
}

// Whitespace-separated decimal fields after the magic, with '#' comments (PNM, PFM).
class Tokens {
public:
    Tokens(const Bytes& b, std::size_t at) : b_(b), at_(at) {}
    void skipWord()
    {
        while (b_.has(at_, 1) && std::isspace(b_[at_]))
            ++at_;
        while (b_.has(at_, 1) && !std::isspace(b_[at_]))
            ++at_;
    }
    std::optional<uint64_t> number()
    {
        for (;;) {
            while (b_.has(at_, 1) && std::isspace(b_[at_]))
                ++at_;
            if (!b_.has(at_, 1) || b_[at_] != '#')
                break;
            while (b_.has(at_, 1) && b_[at_] != '\n')
                ++at_;
        }
        uint64_t value = 0;
        std::size_t digits = 0;
        for (; b_.has(at_, 1) && std::isdigit(b_[at_]) && digits < 12; ++at_, ++digits)
            value = value * 10 + uint64_t(b_[at_] - '0');
        if (digits == 0 || digits == 12)
            return std::nullopt;
        return value;
    }
    // The value after a PAM keyword such as "WIDTH", or nullopt before ENDHDR.
    std::optional<uint64_t> keyword(const char* name) const
    {
        const std::size_t n = std::strlen(name);
        for (std::size_t at = at_; b_.has(at, n) && at < at_ + 4096; ++at) {
            if (b_.startsWith("ENDHDR", at))
                return std::nullopt;
            if ((at == 0 || b_[at - 1] == '\n') && b_.startsWith(name, at))
                return Tokens(b_, at + n).number();
        }
        return std::nullopt;
    }

private:
    const Bytes& b_;
    std::size_t at_;
};

Header pnm(const Bytes& b)
{
    const char kind = char(b[1]);
    if (kind == '7') {
        const Tokens tokens(b, 2);
        const auto width = tokens.keyword("WIDTH"), height = tokens.keyword("HEIGHT");
        return width && height ? make("PNM", *width, *height) : std::nullopt;
    }
    Tokens tokens(b, 2);
    const auto width = tokens.number();
    const auto height = width ? tokens.number() : std::nullopt;
    if (!height)
        return std::nullopt;
    return make(kind == 'F' || kind == 'f' ? "PFM" : "PNM", *width, *height);
}

Header radiance(const Bytes& b)
{
    // Header lines up to an empty line, then the resolution: "-Y height +X width" when rows
    // come first, else the width first.
    for (std::size_t at = 0; b.has(at, 3) && at < 65536; ++at) {
        if (b[at] != '\n' || b[at + 1] != '\n')
            continue;
        if (!b.has(at + 2, 2))
            return std::nullopt;
        const bool rowsFirst = b[at + 3] == 'Y';
        Tokens tokens(b, at + 2);
        tokens.skipWord();
        const auto first = tokens.number();
        tokens.skipWord();
        const auto second = tokens.number();
        if (!first || !second)
            return std::nullopt;
        return make("HDR", rowsFirst ? *second : *first, rowsFirst ? *first : *second);
    }
    return std::nullopt;
}

Header jpeg2000Codestream(const Bytes& b, std::size_t at)
{
    // SOC, then SIZ: length, capabilities, Xsiz, Ysiz, XOsiz, YOsiz.
    if (!b.has(at, 24) || b.big(at, 4) != 0xFF4FFF51)
        return std::nullopt;
    const uint64_t width = b.big(at + 8, 4), height = b.big(at + 12, 4);
    const uint64_t left = b.big(at + 16, 4), top = b.big(at + 20, 4);
    if (left > width || top > height)
        return std::nullopt;
    return make("JPEG 2000", width - left, height - top);
}

Header jp2(const Bytes& b)
{
    // Boxes: the image header box 'ihdr' inside the header box 'jp2h' holds height, width.
    std::size_t at = 0;
    for (int boxes = 0; b.has(at, 8) && boxes < 256; ++boxes) {
        uint64_t length = b.big(at, 4);
        std::size_t header = 8;
        if (length == 1 && b.has(at + 8, 8)) {
            length = b.big(at + 8, 8);
            header = 16;
        }
        if (b.startsWith("jp2h", at + 4)) {
            at += header; // its boxes follow
            continue;
        }
        if (b.startsWith("ihdr", at + 4) && b.has(at + 8, 8))
            return make("JPEG 2000", b.big(at + 12, 4), b.big(at + 8, 4));
        if (length < header || length > b.size() - at)
            return std::nullopt;
        at += std::size_t(length);
    }
    return std::nullopt;
}

} // namespace

std::optional<ImageHeader> readImageHeader(const uint8_t* data, std::size_t size)
{
    const Bytes b(data, size);
    if (b.startsWith("\x89PNG\r\n\x1a\n"))
        return png(b);
    if (b.has(0, 3) && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
        return jpeg(b);
    if (b.startsWith("BM"))
        return bmp(b);
    if (b.startsWith("RIFF") && b.startsWith("WEBP", 8))
        return webp(b);
    if (b.has(0, 4) && ((b[0] == 'I' && b[1] == 'I' && b[3] == 0 && (b[2] == 42 || b[2] == 43)) ||
                        (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && (b[3] == 42 || b[3] == 43))))
        return tiff(b);
    if (b.has(0, 2) && b[0] == 'P' && ((b[1] >= '1' && b[1] <= '7') || b[1] == 'F' || b[1] == 'f'))
        return pnm(b);
    if (b.has(0, 4) && b.big(0, 4) == 0x59A66A95 && b.has(4, 8))
        return make("Sun raster", b.big(4, 4), b.big(8, 4));
    if (b.startsWith("#?RADIANCE") || b.startsWith("#?RGBE"))
        return radiance(b);
    if (b.has(0, 4) && b.big(0, 4) == 0xFF4FFF51)
        return jpeg2000Codestream(b, 0);
    if (b.has(0, 12) && b.big(0, 4) == 12 && b.startsWith("jP  ", 4))
        return jp2(b);
    return std::nullopt;
}

} // namespace mimo
