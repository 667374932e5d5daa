#include "core/data/image_set.h"

#include "core/errors.h"

#include <array>
#include <stdexcept>

namespace mimo {

const char* splitName(Split split)
{
    return split == Split::Train ? "train" : "test";
}

namespace {

// A table keeps sample() a plain lookup and makes every value exactly k/255.0f, the same
// float a division would give, so callers can map pixels back to bytes losslessly.
const std::array<float, 256>& byteToUnit()
{
    static const std::array<float, 256> table = [] {
        std::array<float, 256> t{};
        for (int i = 0; i < 256; ++i)
            t[static_cast<std::size_t>(i)] = static_cast<float>(i) / 255.0f;
        return t;
    }();
    return table;
}

} // namespace

ImageSetDataset::ImageSetDataset(std::string name, std::shared_ptr<const ImageSet> images,
                                 std::vector<std::string> classNames)
    : name_(std::move(name)), images_(std::move(images)), classNames_(std::move(classNames))
{
    if (!images_)
        throw DataError(name_, "no image set given");
    const ImageSet& s = *images_;
    if (s.count < 0 || s.channels <= 0 || s.height <= 0 || s.width <= 0)
        throw DataError(name_, "invalid image set shape " + std::to_string(s.count) + "x" +
                                   std::to_string(s.channels) + "x" + std::to_string(s.height) +
                                   "x" + std::to_string(s.width));
    const auto perImage = static_cast<std::size_t>(s.channels) * static_cast<std::size_t>(s.height) *
                          static_cast<std::size_t>(s.width);
    if (s.pixels.size() != perImage * static_cast<std::size_t>(s.count))
        throw DataError(name_, "pixel buffer holds " + std::to_string(s.pixels.size()) +
                                   " bytes, expected " +
                                   std::to_string(perImage * static_cast<std::size_t>(s.count)));
    if (s.labels.size() != static_cast<std::size_t>(s.count))
        throw DataError(name_, std::to_string(s.labels.size()) + " labels for " +
                                   std::to_string(s.count) + " images");
    const auto classes = static_cast<int64_t>(classNames_.size());
    for (std::size_t i = 0; i < s.labels.size(); ++i) {
        if (s.labels[i] < 0 || s.labels[i] >= classes)
            throw DataError(name_, "label " + std::to_string(s.labels[i]) + " of image " +
                                       std::to_string(i) + " is outside 0.." +
                                       std::to_string(classes - 1));
    }
}

std::size_t ImageSetDataset::size() const
{
    return static_cast<std::size_t>(images_->count);
}

std::vector<int64_t> ImageSetDataset::sampleShape() const
{
    return {images_->channels, images_->height, images_->width};
}

void ImageSetDataset::checkIndex(std::size_t index) const
{
    if (index >= size())
        throw std::out_of_range(name_ + ": sample index " + std::to_string(index) +
                                " out of range (size " + std::to_string(size()) + ")");
}

Sample ImageSetDataset::sample(std::size_t index) const
{
    checkIndex(index);
    const ImageSet& s = *images_;
    const auto perImage = static_cast<std::size_t>(s.channels) * static_cast<std::size_t>(s.height) *
                          static_cast<std::size_t>(s.width);
    const uint8_t* src = s.pixels.data() + index * perImage;
    const auto& table = byteToUnit();

    Sample out;
    out.modality = Modality::Image;
    out.shape = sampleShape();
    out.pixels.resize(perImage);
    for (std::size_t i = 0; i < perImage; ++i)
        out.pixels[i] = table[src[i]];
    out.label = s.labels[index];
    return out;
}

int64_t ImageSetDataset::label(std::size_t index) const
{
    checkIndex(index);
    return images_->labels[index];
}

} // namespace mimo
