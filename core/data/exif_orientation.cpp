#include "core/data/exif_orientation.h"

#include <opencv2/core.hpp>

#include <algorithm>

namespace mimo {

namespace {

class TiffView {
public:
    TiffView(const uint8_t* p, std::size_t n) : p_(p), n_(n) {}
    bool ok(std::size_t off, std::size_t len) const { return off <= n_ && len <= n_ - off; }
    uint16_t u16(std::size_t off) const
    {
        return little_ ? uint16_t(p_[off] | (p_[off + 1] << 8)) : uint16_t((p_[off] << 8) | p_[off + 1]);
    }
    uint32_t u32(std::size_t off) const
    {
        const uint32_t a = u16(off), b = u16(off + 2);
        return little_ ? (a | (b << 16)) : ((a << 16) | b);
    }
    void setLittle(bool little) { little_ = little; }

private:
    const uint8_t* p_;
    std::size_t n_;
    bool little_ = false;
};

// Orientation from a TIFF structure (the payload of the Exif APP1 segment), 1 if absent.
int orientationFromTiff(const uint8_t* p, std::size_t n)
{
    TiffView t(p, n);
    if (!t.ok(0, 8))
        return 1;
    if (p[0] == 'I' && p[1] == 'I')
        t.setLittle(true);
    else if (!(p[0] == 'M' && p[1] == 'M'))
        return 1;
    if (t.u16(2) != 42)
        return 1;
    const std::size_t ifd = t.u32(4);
    if (!t.ok(ifd, 2))
        return 1;
    const std::size_t entries = t.u16(ifd);
    for (std::size_t i = 0; i < entries; ++i) {
        const std::size_t e = ifd + 2 + 12 * i;
        if (!t.ok(e, 12))
            return 1;
        constexpr uint16_t kOrientationTag = 0x0112, kShortType = 3;
        if (t.u16(e) == kOrientationTag && t.u16(e + 2) == kShortType) {
            const int v = t.u16(e + 8);
            return v >= 1 && v <= 8 ? v : 1;
        }
    }
    return 1;
}

} // namespace

int jpegExifOrientation(const uint8_t* data, std::size_t size)
{
    if (!data || size < 4 || data[0] != 0xFF || data[1] != 0xD8)
        return 1;
    std::size_t pos = 2;
    // Walk marker segments until the image data start; EXIF sits in an early APP1.
    while (pos + 4 <= size) {
        if (data[pos] != 0xFF)
            return 1;
        const uint8_t marker = data[pos + 1];
        if (marker == 0xFF) { // fill byte
            ++pos;
            continue;
        }
        if (marker == 0xDA || marker == 0xD9) // start of scan / end of image
            return 1;
        const std::size_t len = (std::size_t(data[pos + 2]) << 8) | data[pos + 3];
        if (len < 2 || pos + 2 + len > size)
            return 1;
        const uint8_t* body = data + pos + 4;
        const std::size_t bodyLen = len - 2;
        static const uint8_t kExif[6] = {'E', 'x', 'i', 'f', 0, 0};
        if (marker == 0xE1 && bodyLen >= 6 && std::equal(kExif, kExif + 6, body))
            return orientationFromTiff(body + 6, bodyLen - 6);
        pos += 2 + len;
    }
    return 1;
}

std::string applyExifOrientation(int orientation, cv::Mat& image)
{
    cv::Mat out;
    std::string what;
    switch (orientation) {
    case 2: cv::flip(image, out, 1); what = "mirrored horizontally"; break;
    case 3: cv::flip(image, out, -1); what = "rotated 180 degrees"; break;
    case 4: cv::flip(image, out, 0); what = "mirrored vertically"; break;
    case 5: cv::transpose(image, out); what = "transposed (mirrored about the main diagonal)"; break;
    case 6: cv::transpose(image, out); cv::flip(out, out, 1); what = "rotated 90 degrees clockwise"; break;
    case 7: cv::transpose(image, out); cv::flip(out, out, -1); what = "transversed (mirrored about the anti-diagonal)"; break;
    case 8: cv::transpose(image, out); cv::flip(out, out, 0); what = "rotated 90 degrees counter-clockwise"; break;
    default: return {};
    }
    image = out;
    return what;
}

} // namespace mimo
