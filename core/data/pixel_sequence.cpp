#include "core/data/pixel_sequence.h"

#include "core/errors.h"

#include <algorithm>
#include <cmath>

namespace mimo {

namespace {

// Unfused float32 arithmetic: storing each product forces rounding to float, as TF's
// float32 kernels round, even where a compiler would otherwise contract into an FMA.
float product(float a, float b)
{
    volatile float p = a * b;
    return p;
}

uint8_t toByte(float v)
{
    const float scaled = std::round(v * 255.0f);
    return static_cast<uint8_t>(std::clamp(scaled, 0.0f, 255.0f));
}

void checkImageShape(const std::vector<int64_t>& shape, const std::string& what)
{
    if (shape.size() != 3 || (shape[0] != 1 && shape[0] != 3) || shape[1] <= 0 || shape[2] <= 0)
        throw DataError(what, "pixel sequences need an image of shape {1 or 3, H, W}");
}

} // namespace

uint8_t lraGray(uint8_t r, uint8_t g, uint8_t b)
{
    // convert_image_dtype(uint8 -> float32) multiplies by the float32 constant 1/255.
    const float scale = static_cast<float>(1.0 / 255.0);
    const float rp = product(static_cast<float>(r), scale);
    const float gp = product(static_cast<float>(g), scale);
    const float bp = product(static_cast<float>(b), scale);
    volatile float sum = product(rp, 0.2989f);
    sum = sum + product(gp, 0.5870f);
    sum = sum + product(bp, 0.1140f);
    const float back = product(sum, 255.5f);
    return static_cast<uint8_t>(std::clamp(back, 0.0f, 255.0f));
}

std::vector<int32_t> pixelTokens(const Sample& image)
{
    if (image.modality != Modality::Image)
        throw DataError("pixelTokens", "sample is not an image");
    checkImageShape(image.shape, "pixelTokens");
    const auto c = static_cast<std::size_t>(image.shape[0]);
    const auto plane = static_cast<std::size_t>(image.shape[1] * image.shape[2]);
    if (image.pixels.size() != c * plane)
        throw DataError("pixelTokens", "sample holds " + std::to_string(image.pixels.size()) +
                                    " values, shape needs " + std::to_string(c * plane));
    std::vector<int32_t> tokens(plane);
    const float* p = image.pixels.data();
    for (std::size_t i = 0; i < plane; ++i) {
        tokens[i] = c == 1 ? toByte(p[i]) : lraGray(toByte(p[i]), toByte(p[plane + i]), toByte(p[2 * plane + i]));
    }
    return tokens;
}

std::vector<int32_t> poolTokens(const std::vector<int32_t>& tokens, int height, int width, int poolRows, int poolColumns)
{
    if (poolRows < 1 || poolColumns < 1 || height % poolRows != 0 || width % poolColumns != 0 ||
        tokens.size() != size_t(height) * size_t(width))
        throw DataError("poolTokens", "the pooling blocks do not tile the image");
    const int rows = height / poolRows, columns = width / poolColumns;
    std::vector<int32_t> pooled(size_t(rows) * size_t(columns));
    const double area = double(poolRows) * poolColumns;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < columns; ++c) {
            int64_t sum = 0;
            for (int y = 0; y < poolRows; ++y)
                for (int x = 0; x < poolColumns; ++x)
                    sum += tokens[size_t(r * poolRows + y) * size_t(width) + size_t(c * poolColumns + x)];
            pooled[size_t(r) * size_t(columns) + size_t(c)] = static_cast<int32_t>(std::lround(double(sum) / area));
        }
    return pooled;
}

PixelSequenceDataset::PixelSequenceDataset(DatasetPtr images, std::string name, int targetHeight, int targetWidth)
    : images_(std::move(images)), name_(std::move(name))
{
    if (!images_)
        throw DataError("PixelSequenceDataset", "no image dataset given");
    if (images_->modality() != Modality::Image)
        throw DataError(images_->name(), "is not an image dataset, so it has no pixel sequence");
    const std::vector<int64_t> shape = images_->sampleShape();
    checkImageShape(shape, images_->name());
    const int nativeHeight = int(shape[1]), nativeWidth = int(shape[2]);
    height_ = targetHeight > 0 ? targetHeight : nativeHeight;
    width_ = targetWidth > 0 ? targetWidth : nativeWidth;
    if (height_ > nativeHeight || width_ > nativeWidth || nativeHeight % height_ != 0 || nativeWidth % width_ != 0)
        throw DataError(images_->name(), "images of " + std::to_string(nativeHeight) + "x" + std::to_string(nativeWidth) +
                                             " cannot be read as " + std::to_string(height_) + "x" +
                                             std::to_string(width_) + " pixel sequences (the size must divide evenly)");
    poolRows_ = nativeHeight / height_;
    poolColumns_ = nativeWidth / width_;
    length_ = int64_t(height_) * width_;
    if (name_.empty())
        name_ = images_->name() + (poolRows_ * poolColumns_ > 1 ? " (pixel sequence, " + std::to_string(height_) + "x" +
                                                                      std::to_string(width_) + ")"
                                                                : std::string(" (pixel sequence)"));
}

Sample PixelSequenceDataset::sample(std::size_t index) const
{
    const Sample image = images_->sample(index);
    Sample s;
    s.modality = Modality::Sequence;
    s.shape = {length_};
    s.tokens = pixelTokens(image);
    if (poolRows_ * poolColumns_ > 1)
        s.tokens = poolTokens(s.tokens, height_ * poolRows_, width_ * poolColumns_, poolRows_, poolColumns_);
    s.label = image.label;
    return s;
}

} // namespace mimo
