#pragma once
// The size an encoded image declares, read from its header without decoding it, so that an
// image above the pixel budget is refused before OpenCV allocates and decodes it (a 20000x20000
// PNG took 2.5 GB, a JPEG declaring a 30000-pixel side a minute). Every read is bounds-checked.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace mimo {

// 64 megapixels: a 9000x7000 photo passes, and decoding stays under about 512 MB even for
// 16-bit RGBA. docs/file-safety.md.
inline constexpr uint64_t kMaxImagePixels = uint64_t(1) << 26;
// Image files larger than this are refused before they are read.
inline constexpr uint64_t kMaxImageFileBytes = uint64_t(512) << 20;

struct ImageHeader {
    std::string format; // "PNG", "JPEG", "BMP", "TIFF", "WebP", "PNM", "PFM", "Sun raster", "HDR", "JPEG 2000"
    uint64_t width = 0;
    uint64_t height = 0;
    // TIFF: the pixels of one strip (width x RowsPerStrip) or tile (TileWidth x TileLength),
    // which OpenCV allocates at once whatever the image's height (fuzzing: a 64012 x 9 TIFF
    // declaring 13648 rows per strip made it allocate 3.5 GB); 0 for other formats.
    uint64_t blockPixels = 0;
};

// The format and declared size; nullopt when the bytes are not one of the formats above or the
// header is cut short or damaged.
std::optional<ImageHeader> readImageHeader(const uint8_t* data, std::size_t size);

} // namespace mimo
