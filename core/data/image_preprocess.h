#pragma once
// Turns an arbitrary picture (PNG, JPEG, BMP, ... anything cv::imdecode reads, or pixels
// decoded elsewhere) into the input a model expects, recording every step taken so the
// GUI can show the user exactly what the model sees and why. The pipeline and its
// policies are described in docs/image-preprocessing.md.
#include "core/data/dataset.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mimo {

enum class AspectMode {
    Stretch,    // resize to the target size, ignoring the aspect ratio
    CenterCrop, // crop the largest centred region with the target aspect ratio, then resize
    Letterbox   // fit inside the target, pad the rest with the image's background value
};

enum class InvertMode {
    Never,
    Always,
    IfLightBackground // invert when the image border is light (dark-on-light drawings for
                      // models trained on light-on-dark data such as MNIST)
};

struct ImageInputSpec {
    int channels = 1; // 1 or 3
    int height = 28;
    int width = 28;
    std::vector<float> mean{0.f};   // one value, or one per channel
    std::vector<float> stddev{1.f}; // one value, or one per channel; all > 0
    AspectMode aspect = AspectMode::Letterbox;
    InvertMode invert = InvertMode::Never;
    // > 0: the picture is first brought to cropFrom x cropFrom (the dataset's own size) and the
    // centre height x width of that is kept, as torchvision's CenterCrop does: the official MNIST
    // pipeline reads 28x28 digits and keeps the centre 20x20. 0: no crop (every older model file).
    int cropFrom = 0;
};

struct PreparedImage {
    int channels = 0;
    int height = 0;
    int width = 0;
    // CHW in [0,1] (always a multiple of 1/255) after all geometric and colour steps,
    // before normalisation: what the GUI shows as "what the model sees". Colour channels
    // are in R, G, B order.
    std::vector<float> display;
    // (display - mean) / std per channel: what the model consumes.
    std::vector<float> normalized;
    // One human-readable line per step actually applied, with the numbers involved.
    std::vector<std::string> steps;
};

const char* aspectModeName(AspectMode mode);
const char* invertModeName(InvertMode mode);

// Throws DataError(sourceName, ...) if channels is not 1 or 3, a size is not in 1..8192,
// mean/stddev do not have 1 or `channels` entries, or a value is not finite or a std <= 0,
// or cropFrom is neither 0 nor in max(height, width)..8192.
void validateImageInputSpec(const ImageInputSpec& spec, const std::string& sourceName);

// All three throw DataError naming the file or source: missing or empty file, data OpenCV
// cannot decode, zero-size image, unsupported pixel depth, invalid spec.
PreparedImage prepareImageFile(const std::string& path, const ImageInputSpec& spec);
PreparedImage prepareImageBytes(const std::vector<uint8_t>& encoded, const std::string& sourceName,
                                const ImageInputSpec& spec);
// 8-bit pixels, rows `bytesPerLine` apart: channels 1 (gray), 3 (R,G,B) or 4 (R,G,B,A).
PreparedImage prepareImagePixels(const uint8_t* rgbOrGray, int width, int height, int channels,
                                 std::size_t bytesPerLine, const std::string& sourceName,
                                 const ImageInputSpec& spec);

// Where torchvision's CenterCrop starts a crop of `to` pixels out of `from` (from >= to):
// round((from - to) / 2) with Python's rounding, halves to the even neighbour.
int centreCropOffset(int from, int to);

// An Image sample holding `display` (samples are not normalised) and an unknown label.
Sample preparedToSample(const PreparedImage& prepared);

} // namespace mimo
