#include "core/data/image_preprocess.h"

#include "core/errors.h"

#if MIMO_HAS_OPENCV
#include "core/data/binary_file.h"
#include "core/data/exif_orientation.h"
#include "core/data/image_geometry.h"
#include "core/data/image_header.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#endif

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <new>

namespace mimo {

namespace {

constexpr int kMaxSpecSide = 8192;

std::string fmt4(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", v);
    return buf;
}

std::string sizeText(int w, int h)
{
    return std::to_string(w) + "x" + std::to_string(h);
}

#if MIMO_HAS_OPENCV
std::string sizeText(const cv::Mat& m)
{
    return sizeText(m.cols, m.rows);
}

const char* layoutName(int channels)
{
    switch (channels) {
    case 1: return "grayscale";
    case 2: return "grayscale+alpha";
    case 3: return "RGB";
    case 4: return "RGBA";
    default: return "multi-channel";
    }
}

std::string depthName(int depth)
{
    switch (depth) {
    case CV_8U: return "8-bit";
    case CV_16U: return "16-bit";
    case CV_32F: return "32-bit float";
    case CV_64F: return "64-bit float";
    default: return "depth code " + std::to_string(depth);
    }
}

// Only for the step text; OpenCV itself decides what it can decode.
std::string formatName(const std::vector<uint8_t>& b)
{
    auto starts = [&](std::initializer_list<uint8_t> sig) {
        return b.size() >= sig.size() && std::equal(sig.begin(), sig.end(), b.begin());
    };
    if (starts({0x89, 'P', 'N', 'G'})) return "PNG";
    if (starts({0xFF, 0xD8, 0xFF})) return "JPEG";
    if (starts({'B', 'M'})) return "BMP";
    if (starts({'I', 'I', 42, 0}) || starts({'M', 'M', 0, 42})) return "TIFF";
    if (b.size() >= 12 && starts({'R', 'I', 'F', 'F'}) && std::equal(b.begin() + 8, b.begin() + 12, "WEBP"))
        return "WebP";
    return "image";
}

// A PNG whose chunks run past the end of the data was cut short (an interrupted download or
// copy): refused by name before libpng prints its own "PNG input buffer is incomplete".
void requireWholePngChunks(const std::vector<uint8_t>& encoded, const std::string& source)
{
    static const uint8_t signature[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (encoded.size() < 8 || !std::equal(signature, signature + 8, encoded.begin()))
        return;
    for (std::size_t at = 8; at + 8 <= encoded.size();) {
        const uint64_t length = (uint64_t(encoded[at]) << 24) | (uint64_t(encoded[at + 1]) << 16) |
                                (uint64_t(encoded[at + 2]) << 8) | uint64_t(encoded[at + 3]);
        const std::string type(encoded.begin() + std::ptrdiff_t(at + 4), encoded.begin() + std::ptrdiff_t(at + 8));
        const uint64_t end = uint64_t(at) + 12 + length; // length, type, data, CRC
        if (end > encoded.size())
            throw DataError(source, "the PNG file is cut short and cannot be decoded: its " + printableText(type) +
                                        " chunk at byte " + std::to_string(at) + " needs " + std::to_string(end - at) +
                                        " bytes but the file ends after " + std::to_string(encoded.size()));
        if (type == "IEND")
            return;
        at = std::size_t(end);
    }
    throw DataError(source, "the PNG file is cut short and cannot be decoded: it ends after " +
                                std::to_string(encoded.size()) + " bytes, before its IEND chunk");
}

// The header's declared size against the pixel budget, before OpenCV allocates anything.
void requireWithinPixelBudget(const std::vector<uint8_t>& encoded, const std::string& source)
{
    if (encoded.size() > kMaxImageFileBytes)
        throw DataError(source, "the image data are " + std::to_string(encoded.size()) + " bytes, more than the " +
                                    std::to_string(kMaxImageFileBytes >> 20) + " MiB this program decodes");
    const auto header = readImageHeader(encoded.data(), encoded.size());
    if (!header)
        throw DataError(source, "not an image OpenCV can decode (" + std::to_string(encoded.size()) +
                                    " bytes; not PNG, JPEG, BMP, TIFF, WebP, PNM/PFM, Sun raster, Radiance HDR or "
                                    "JPEG 2000, or a damaged header)");
    if (header->width == 0 || header->height == 0)
        throw DataError(source, header->format + " header declares an empty image (" +
                                    std::to_string(header->width) + "x" + std::to_string(header->height) + ")");
    if (header->width > kMaxImagePixels || header->height > kMaxImagePixels ||
        header->width * header->height > kMaxImagePixels)
        throw DataError(source, header->format + " image of " + std::to_string(header->width) + "x" +
                                    std::to_string(header->height) + " pixels is larger than the " +
                                    std::to_string(kMaxImagePixels >> 20) +
                                    " megapixels this program decodes (docs/file-safety.md); scale it down first");
    if (header->blockPixels > kMaxImagePixels)
        throw DataError(source, header->format + " image of " + std::to_string(header->width) + "x" +
                                    std::to_string(header->height) + " pixels declares strips or tiles of " +
                                    std::to_string(header->blockPixels) + " pixels each, more than the " +
                                    std::to_string(kMaxImagePixels >> 20) +
                                    " megapixels this program decodes at once (docs/file-safety.md)");
}

std::string floatsText(const std::vector<float>& v, int channels)
{
    if (v.size() == 1)
        return fmt4(v[0]);
    std::string s = "(";
    for (int c = 0; c < channels; ++c)
        s += (c ? ", " : "") + fmt4(v[static_cast<std::size_t>(c)]);
    return s + ")";
}

// Brings any decoded depth to 8 bits, the precision the datasets themselves have.
cv::Mat toEightBit(const cv::Mat& img, const std::string& source, std::vector<std::string>& steps)
{
    switch (img.depth()) {
    case CV_8U:
        return img;
    case CV_16U: {
        cv::Mat out;
        img.convertTo(out, CV_8U, 1.0 / 257.0); // 65535 -> 255 exactly; rounds to nearest
        steps.push_back("scaled 16-bit values to 8-bit (value / 257, rounded)");
        return out;
    }
    case CV_32F:
    case CV_64F: {
        cv::Mat out;
        img.convertTo(out, CV_8U, 255.0);
        steps.push_back("scaled floating-point values from [0,1] to 8-bit (x 255, rounded, clamped)");
        return out;
    }
    default:
        throw DataError(source, "unsupported pixel depth (" + depthName(img.depth()) +
                                    "); expected 8-bit, 16-bit or floating-point samples");
    }
}

// Transparent pixels become white: what a viewer or browser shows and what a drawing on
// a transparent canvas means. Inversion, if requested, happens afterwards.
cv::Mat compositeOverWhite(const cv::Mat& img, std::vector<std::string>& steps)
{
    const int colour = img.channels() - 1;
    std::vector<cv::Mat> planes;
    cv::split(img, planes);
    const cv::Mat alpha = planes.back(); // a header copy: pop_back() below must not free it
    const int total = img.rows * img.cols;
    const int opaque = cv::countNonZero(alpha == 255);
    planes.pop_back();
    cv::Mat out;
    cv::merge(planes, out);
    if (opaque == total) {
        steps.push_back("dropped the alpha channel (every pixel fully opaque)");
        return out;
    }
    for (int y = 0; y < out.rows; ++y) {
        uint8_t* row = out.ptr<uint8_t>(y);
        const uint8_t* a = alpha.ptr<uint8_t>(y);
        for (int x = 0; x < out.cols; ++x) {
            const int w = a[x];
            for (int c = 0; c < colour; ++c) {
                uint8_t& v = row[x * colour + c];
                v = static_cast<uint8_t>((v * w + 255 * (255 - w) + 127) / 255);
            }
        }
    }
    steps.push_back("composited over white using the alpha channel (" + std::to_string(total - opaque) +
                    " of " + std::to_string(total) + " pixels not fully opaque)");
    return out;
}

cv::Mat matchChannels(const cv::Mat& img, int wanted, std::vector<std::string>& steps)
{
    cv::Mat out;
    if (wanted == 1 && img.channels() == 3) {
        cv::cvtColor(img, out, cv::COLOR_RGB2GRAY);
        steps.push_back("converted to grayscale with ITU-R BT.601 weights 0.299/0.587/0.114");
        return out;
    }
    if (wanted == 3 && img.channels() == 1) {
        cv::cvtColor(img, out, cv::COLOR_GRAY2RGB);
        steps.push_back("replicated the gray channel to R, G and B");
        return out;
    }
    return img;
}

// Per-channel median of the outermost pixel ring: a robust guess of the background that
// an object photographed or drawn in the middle sits on.
std::vector<int> borderMedian(const cv::Mat& img)
{
    const int ch = img.channels();
    std::vector<std::array<int, 256>> hist(static_cast<std::size_t>(ch));
    for (auto& h : hist)
        h.fill(0);
    int count = 0;
    auto add = [&](int y, int x) {
        const uint8_t* p = img.ptr<uint8_t>(y) + x * ch;
        for (int c = 0; c < ch; ++c)
            ++hist[static_cast<std::size_t>(c)][p[c]];
        ++count;
    };
    for (int y = 0; y < img.rows; ++y) {
        const bool edgeRow = y == 0 || y == img.rows - 1;
        for (int x = 0; x < img.cols; x += (edgeRow || img.cols == 1) ? 1 : img.cols - 1)
            add(y, x);
    }
    std::vector<int> med(static_cast<std::size_t>(ch), 0);
    for (int c = 0; c < ch; ++c) {
        int seen = 0;
        for (int v = 0; v < 256; ++v) {
            seen += hist[static_cast<std::size_t>(c)][static_cast<std::size_t>(v)];
            if (2 * seen >= count) {
                med[static_cast<std::size_t>(c)] = v;
                break;
            }
        }
    }
    return med;
}

double meanOf(const std::vector<int>& v)
{
    double s = 0;
    for (int x : v)
        s += x;
    return s / static_cast<double>(v.size());
}

// Shared tail of every entry point: `img` is upright, R,G,B(,A) order, any depth.
PreparedImage finish(cv::Mat img, const ImageInputSpec& spec, const std::string& source,
                     std::vector<std::string> steps)
{
    if (img.empty() || img.cols <= 0 || img.rows <= 0)
        throw DataError(source, "image has zero size");
    img = toEightBit(img, source, steps);
    if (img.channels() == 2 || img.channels() == 4)
        img = compositeOverWhite(img, steps);
    if (img.channels() != 1 && img.channels() != 3)
        throw DataError(source, "unsupported number of channels: " + std::to_string(img.channels()));
    img = matchChannels(img, spec.channels, steps);

    std::vector<int> background = borderMedian(img);
    const bool light = meanOf(background) > 127.5;
    if (spec.invert == InvertMode::Always || (spec.invert == InvertMode::IfLightBackground && light)) {
        cv::Mat inverted;
        cv::bitwise_not(img, inverted);
        img = inverted;
        steps.push_back(spec.invert == InvertMode::Always
                            ? "inverted (v -> 255 - v) as the input spec asks"
                            : "inverted (v -> 255 - v): the border median " + pixelValuesText(background) +
                                  " means a light background");
        for (int& v : background)
            v = 255 - v;
    }

    if (spec.cropFrom > 0) {
        img = fitToSize(img, spec.cropFrom, spec.cropFrom, spec.aspect, background, steps);
        img = centreCrop(img, spec.width, spec.height, steps);
    } else {
        img = fitToSize(img, spec.width, spec.height, spec.aspect, background, steps);
    }

    PreparedImage out;
    out.channels = spec.channels;
    out.height = spec.height;
    out.width = spec.width;
    const std::size_t plane = static_cast<std::size_t>(out.height) * static_cast<std::size_t>(out.width);
    out.display.resize(plane * static_cast<std::size_t>(out.channels));
    out.normalized.resize(out.display.size());
    for (int c = 0; c < out.channels; ++c) {
        const float mean = spec.mean.size() == 1 ? spec.mean[0] : spec.mean[static_cast<std::size_t>(c)];
        const float sd = spec.stddev.size() == 1 ? spec.stddev[0] : spec.stddev[static_cast<std::size_t>(c)];
        for (int y = 0; y < out.height; ++y) {
            const uint8_t* row = img.ptr<uint8_t>(y);
            for (int x = 0; x < out.width; ++x) {
                const std::size_t i = static_cast<std::size_t>(c) * plane +
                                      static_cast<std::size_t>(y) * static_cast<std::size_t>(out.width) +
                                      static_cast<std::size_t>(x);
                // Division, not a multiply by 1/255, so values equal the dataset loaders'.
                out.display[i] = static_cast<float>(row[x * out.channels + c]) / 255.0f;
                out.normalized[i] = (out.display[i] - mean) / sd;
            }
        }
    }
    steps.push_back(std::string("scaled to [0,1] (value / 255)") +
                    (out.channels == 3 ? ", channels in R,G,B order" : ""));
    steps.push_back("normalised with mean " + floatsText(spec.mean, spec.channels) + " std " +
                    floatsText(spec.stddev, spec.channels));
    out.steps = std::move(steps);
    return out;
}

#endif // MIMO_HAS_OPENCV

} // namespace

const char* aspectModeName(AspectMode mode)
{
    switch (mode) {
    case AspectMode::Stretch: return "stretch";
    case AspectMode::CenterCrop: return "center crop";
    case AspectMode::Letterbox: return "letterbox";
    }
    return "?";
}

const char* invertModeName(InvertMode mode)
{
    switch (mode) {
    case InvertMode::Never: return "never";
    case InvertMode::Always: return "always";
    case InvertMode::IfLightBackground: return "if light background";
    }
    return "?";
}

void validateImageInputSpec(const ImageInputSpec& spec, const std::string& source)
{
    const std::string bad = "invalid image input spec: ";
    if (spec.channels != 1 && spec.channels != 3)
        throw DataError(source, bad + "channels is " + std::to_string(spec.channels) + ", must be 1 or 3");
    if (spec.height < 1 || spec.height > kMaxSpecSide || spec.width < 1 || spec.width > kMaxSpecSide)
        throw DataError(source, bad + "size " + sizeText(spec.width, spec.height) + " is outside 1.." +
                                    std::to_string(kMaxSpecSide));
    if (spec.cropFrom != 0 && (spec.cropFrom < std::max(spec.height, spec.width) || spec.cropFrom > kMaxSpecSide))
        throw DataError(source, bad + "crop_from " + std::to_string(spec.cropFrom) + " must be 0 (no crop) or in " +
                                    std::to_string(std::max(spec.height, spec.width)) + ".." +
                                    std::to_string(kMaxSpecSide) + " (at least the cropped size " +
                                    sizeText(spec.width, spec.height) + ")");
    auto checkList = [&](const std::vector<float>& v, const char* what, bool positive) {
        if (v.size() != 1 && v.size() != static_cast<std::size_t>(spec.channels))
            throw DataError(source, bad + what + " has " + std::to_string(v.size()) + " values, expected " +
                                        (spec.channels == 1 ? std::string("1")
                                                            : "1 or " + std::to_string(spec.channels)));
        for (float x : v) {
            if (!std::isfinite(x))
                throw DataError(source, bad + what + " contains a non-finite value");
            if (positive && x <= 0.f)
                throw DataError(source, bad + what + " contains " + fmt4(x) + ", must be > 0");
        }
    };
    checkList(spec.mean, "mean", false);
    checkList(spec.stddev, "stddev", true);
}

#if MIMO_HAS_OPENCV

PreparedImage prepareImageFile(const std::string& path, const ImageInputSpec& spec)
{
    validateImageInputSpec(spec, path);
    return prepareImageBytes(readWholeFile(path, kMaxImageFileBytes), path, spec);
}

PreparedImage prepareImageBytes(const std::vector<uint8_t>& encoded, const std::string& source,
                                const ImageInputSpec& spec)
{
    validateImageInputSpec(spec, source);
    if (encoded.empty())
        throw DataError(source, "no image data (empty)");
    requireWithinPixelBudget(encoded, source);
    requireWholePngChunks(encoded, source);
    cv::Mat img;
    try {
        // UNCHANGED keeps alpha and 16-bit depth; it also skips EXIF orientation, which
        // is therefore applied explicitly below.
        img = cv::imdecode(cv::Mat(1, static_cast<int>(encoded.size()), CV_8U,
                                   const_cast<uint8_t*>(encoded.data())),
                           cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception& e) {
        throw DataError(source, "not an image OpenCV can decode: " + libraryErrorText(e.what()));
    } catch (const std::bad_alloc&) {
        throw DataError(source, "not enough memory to decode this image");
    }
    if (img.empty())
        throw DataError(source, "not an image OpenCV can decode (" + std::to_string(encoded.size()) +
                                    " bytes; unknown format, truncated or corrupt)");
    std::vector<std::string> steps{"decoded " + formatName(encoded) + " " + sizeText(img) + " " +
                                   layoutName(img.channels()) + " (" + depthName(img.depth()) + ")"};
    const int orientation = jpegExifOrientation(encoded.data(), encoded.size());
    const std::string turned = applyExifOrientation(orientation, img);
    if (!turned.empty())
        steps.push_back("applied EXIF orientation " + std::to_string(orientation) + ": " + turned + ", now " +
                        sizeText(img));
    if (img.channels() == 3)
        cv::cvtColor(img, img, cv::COLOR_BGR2RGB);
    else if (img.channels() == 4)
        cv::cvtColor(img, img, cv::COLOR_BGRA2RGBA);
    return finish(img, spec, source, std::move(steps));
}

PreparedImage prepareImagePixels(const uint8_t* pixels, int width, int height, int channels,
                                 std::size_t bytesPerLine, const std::string& source, const ImageInputSpec& spec)
{
    validateImageInputSpec(spec, source);
    if (width <= 0 || height <= 0)
        throw DataError(source, "image has zero size (" + sizeText(width, height) + ")");
    if (channels != 1 && channels != 3 && channels != 4)
        throw DataError(source, "unsupported number of channels: " + std::to_string(channels) +
                                    " (expected 1, 3 or 4)");
    if (!pixels)
        throw DataError(source, "no pixel data");
    if (uint64_t(width) * uint64_t(height) > kMaxImagePixels)
        throw DataError(source, "image of " + sizeText(width, height) + " pixels is larger than the " +
                                    std::to_string(kMaxImagePixels >> 20) + " megapixels this program takes; "
                                    "scale it down first");
    if (bytesPerLine < static_cast<std::size_t>(width) * static_cast<std::size_t>(channels))
        throw DataError(source, "row stride " + std::to_string(bytesPerLine) + " bytes is smaller than " +
                                    std::to_string(width) + " pixels x " + std::to_string(channels) + " channels");
    // Copy: the caller's buffer (e.g. a QImage) need not outlive this call, and is never modified.
    cv::Mat img = cv::Mat(height, width, CV_8UC(channels), const_cast<uint8_t*>(pixels), bytesPerLine).clone();
    return finish(img, spec, source,
                  {"received " + sizeText(width, height) + " " + layoutName(channels) + " pixels (8-bit)"});
}

#else

namespace {

[[noreturn]] void noImageDecoder(const std::string& source)
{
    throw DataError(source, "this build of mimo reads no image files: it was configured without OpenCV "
                            "(MIMO_WITH_OPENCV=OFF, a headless build); datasets in IDX, CIFAR binary and token "
                            "files still work");
}

} // namespace

PreparedImage prepareImageFile(const std::string& path, const ImageInputSpec&) { noImageDecoder(path); }

PreparedImage prepareImageBytes(const std::vector<uint8_t>&, const std::string& source, const ImageInputSpec&)
{
    noImageDecoder(source);
}

PreparedImage prepareImagePixels(const uint8_t*, int, int, int, std::size_t, const std::string& source,
                                 const ImageInputSpec&)
{
    noImageDecoder(source);
}

#endif // MIMO_HAS_OPENCV


int centreCropOffset(int from, int to)
{
    const int twice = from - to; // the offset is twice / 2, a half rounded to the even neighbour
    const int low = twice / 2;
    if (twice % 2 == 0)
        return low;
    return low % 2 == 0 ? low : low + 1;
}

Sample preparedToSample(const PreparedImage& prepared)
{
    Sample s;
    s.modality = Modality::Image;
    s.shape = {prepared.channels, prepared.height, prepared.width};
    s.pixels = prepared.display;
    s.label = -1;
    return s;
}

} // namespace mimo
