#pragma once
// EXIF orientation of JPEG data, read by hand. OpenCV applies the orientation only when it
// also drops alpha and bit depth (any flag other than IMREAD_UNCHANGED); the preprocessor
// needs both, so it decodes unchanged and rotates itself, which also lets it report the
// rotation as a step.
#include <cstddef>
#include <cstdint>
#include <string>

namespace cv {
class Mat;
}

namespace mimo {

// The EXIF Orientation tag (1..8) of JPEG bytes; 1 (as stored) when the data are not JPEG,
// carry no EXIF block, or the block is malformed: a broken tag must not stop decoding.
int jpegExifOrientation(const uint8_t* data, std::size_t size);

// Turns an image stored with `orientation` upright, as EXIF viewers (and OpenCV) do.
// Returns a description such as "rotated 90 degrees clockwise", empty for orientation 1.
std::string applyExifOrientation(int orientation, cv::Mat& image);

} // namespace mimo
