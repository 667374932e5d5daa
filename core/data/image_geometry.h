#pragma once
// The geometric part of image preprocessing: bringing an 8-bit image to the target size
// under one of the aspect policies, with INTER_AREA when shrinking (it averages, so thin
// strokes survive) and INTER_LINEAR when enlarging.
#include "core/data/image_preprocess.h"

#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace mimo {

// `background` (one value per channel) fills the letterbox padding. Appends one line per
// resize, crop or pad done to `steps`; returns `img` itself if nothing was needed.
cv::Mat fitToSize(const cv::Mat& img, int width, int height, AspectMode aspect,
                  const std::vector<int>& background, std::vector<std::string>& steps);

// The centre width x height of `img` (at least that large), one line added to `steps`.
cv::Mat centreCrop(const cv::Mat& img, int width, int height, std::vector<std::string>& steps);

// "128" for gray, "(R,G,B)=(1,2,3)" for colour: pixel values as the recorded steps show them.
std::string pixelValuesText(const std::vector<int>& values);

} // namespace mimo
