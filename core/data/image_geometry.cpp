#include "core/data/image_geometry.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdint>

namespace mimo {

namespace {

std::string sizeText(int w, int h)
{
    return std::to_string(w) + "x" + std::to_string(h);
}

std::string sizeText(const cv::Mat& m)
{
    return sizeText(m.cols, m.rows);
}

cv::Mat resizeTo(const cv::Mat& img, int w, int h, const std::string& why, std::vector<std::string>& steps)
{
    if (img.cols == w && img.rows == h)
        return img;
    const bool shrinking = w <= img.cols && h <= img.rows;
    const int interp = shrinking ? cv::INTER_AREA : cv::INTER_LINEAR;
    cv::Mat out;
    cv::resize(img, out, cv::Size(w, h), 0, 0, interp);
    steps.push_back("resized " + sizeText(img) + " -> " + sizeText(w, h) +
                    (shrinking ? " (INTER_AREA)" : " (INTER_LINEAR)") + why);
    return out;
}

// Integer round(a * b / c) for positive values, at least 1.
int scaledSide(int64_t a, int64_t b, int64_t c)
{
    return static_cast<int>(std::max<int64_t>(1, (2 * a * b + c) / (2 * c)));
}

} // namespace

std::string pixelValuesText(const std::vector<int>& v)
{
    if (v.size() == 1)
        return std::to_string(v[0]);
    std::string s = "(R,G,B)=(";
    for (std::size_t i = 0; i < v.size(); ++i)
        s += (i ? "," : "") + std::to_string(v[i]);
    return s + ")";
}

cv::Mat centreCrop(const cv::Mat& img, int width, int height, std::vector<std::string>& steps)
{
    if (img.cols == width && img.rows == height)
        return img;
    const int x = centreCropOffset(img.cols, width), y = centreCropOffset(img.rows, height);
    steps.push_back("kept the centre " + sizeText(width, height) + " at x=" + std::to_string(x) + ", y=" +
                    std::to_string(y) + " of " + sizeText(img) + " (the dataset's official centre crop)");
    return img(cv::Rect(x, y, width, height)).clone();
}

cv::Mat fitToSize(const cv::Mat& img, int W, int H, AspectMode aspect, const std::vector<int>& background,
                  std::vector<std::string>& steps)
{
    const int w = img.cols, h = img.rows;
    const bool wider = int64_t(w) * H > int64_t(h) * W; // relative to the target aspect
    switch (aspect) {
    case AspectMode::Stretch:
        return resizeTo(img, W, H, int64_t(w) * H == int64_t(h) * W ? "" : ", aspect ratio not kept (stretch)",
                        steps);
    case AspectMode::CenterCrop: {
        cv::Rect r(0, 0, w, h);
        if (wider) {
            r.width = std::min(w, scaledSide(h, W, H));
            r.x = (w - r.width) / 2;
        } else {
            r.height = std::min(h, scaledSide(w, H, W));
            r.y = (h - r.height) / 2;
        }
        cv::Mat cropped = img;
        if (r.width != w || r.height != h) {
            cropped = img(r).clone();
            steps.push_back("cropped the centre " + sizeText(r.width, r.height) + " at x=" + std::to_string(r.x) +
                            ", y=" + std::to_string(r.y) + " of " + sizeText(w, h) + " to match the " +
                            sizeText(W, H) + " aspect ratio");
        }
        return resizeTo(cropped, W, H, "", steps);
    }
    case AspectMode::Letterbox: {
        const int nw = wider ? W : std::min(W, scaledSide(w, H, h));
        const int nh = wider ? std::min(H, scaledSide(h, W, w)) : H;
        cv::Mat fitted = resizeTo(img, nw, nh, ", keeping the aspect ratio", steps);
        const int top = (H - nh) / 2, bottom = H - nh - top, left = (W - nw) / 2, right = W - nw - left;
        if (top + bottom + left + right == 0)
            return fitted;
        cv::Scalar value;
        for (std::size_t c = 0; c < background.size(); ++c)
            value[static_cast<int>(c)] = background[c];
        cv::Mat out;
        cv::copyMakeBorder(fitted, out, top, bottom, left, right, cv::BORDER_CONSTANT, value);
        steps.push_back("letterboxed: padded " + std::to_string(top) + " rows at the top, " + std::to_string(bottom) +
                        " at the bottom, " + std::to_string(left) + " columns on the left, " +
                        std::to_string(right) + " on the right with " + pixelValuesText(background) +
                        " (median of the image border)");
        return out;
    }
    }
    return img;
}

} // namespace mimo
