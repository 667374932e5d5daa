#pragma once
// The LRA "Image" task's view of a picture: a grayscale image read row by row as a
// sequence of pixel-value tokens (MIMONets spec 7.3), so sequence models can be run on
// any image dataset.
#include "core/data/dataset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mimo {

inline constexpr int64_t kPixelVocabulary = 256;

// tf.image.rgb_to_grayscale on uint8 input, bit for bit: float32 R' = R/255 (and G', B'),
// gray = 0.2989 R' + 0.5870 G' + 0.1140 B' in float32, back to uint8 by x 255.5 and
// truncation.
uint8_t lraGray(uint8_t r, uint8_t g, uint8_t b);

// Row-major tokens of an Image sample of shape {1,H,W} or {3,H,W} (pixels in [0,1],
// rounded back to bytes); colour is reduced with lraGray. Token = pixel value 0..255.
// Throws DataError for a non-image sample or a wrong shape.
std::vector<int32_t> pixelTokens(const Sample& image);

class PixelSequenceDataset : public Dataset {
public:
    // Throws DataError unless `images` is an image dataset of 1 or 3 channels.
    explicit PixelSequenceDataset(DatasetPtr images, std::string name = "");

    std::string name() const override { return name_; }
    std::size_t size() const override { return images_->size(); }
    Modality modality() const override { return Modality::Sequence; }
    std::vector<int64_t> sampleShape() const override { return {length_}; }
    Sample sample(std::size_t index) const override;
    int64_t label(std::size_t index) const override { return images_->label(index); }
    const std::vector<std::string>& classNames() const override { return images_->classNames(); }
    int64_t vocabularySize() const override { return kPixelVocabulary; }

private:
    DatasetPtr images_;
    std::string name_;
    int64_t length_ = 0;
};

} // namespace mimo
