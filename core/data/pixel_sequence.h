#pragma once
// The LRA "Image" task's view of a picture: a grayscale image read row by row as a
// sequence of pixel-value tokens (docs/mimonets.md 7.3), so sequence models can be run on
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
    // Throws DataError unless `images` is an image dataset of 1 or 3 channels. A target size
    // (0 = the images' own) that divides the image size evenly averages blocks of pixels
    // (after the gray conversion, rounded to bytes): 28x28 Fashion-MNIST read at 14x14 is a
    // 196-token sequence instead of 784, the downsampled variant our CPU-sized models use.
    explicit PixelSequenceDataset(DatasetPtr images, std::string name = "", int targetHeight = 0, int targetWidth = 0);

    std::string name() const override { return name_; }
    std::size_t size() const override { return images_->size(); }
    Modality modality() const override { return Modality::Sequence; }
    std::vector<int64_t> sampleShape() const override { return {length_}; }
    int height() const { return height_; }
    int width() const { return width_; }
    Sample sample(std::size_t index) const override;
    int64_t label(std::size_t index) const override { return images_->label(index); }
    const std::vector<std::string>& classNames() const override { return images_->classNames(); }
    int64_t vocabularySize() const override { return kPixelVocabulary; }
    bool decodesOnDemand() const override { return images_->decodesOnDemand(); }
    std::string origin() const override { return images_->origin(); }

private:
    DatasetPtr images_;
    std::string name_;
    int64_t length_ = 0;
    int height_ = 0, width_ = 0, poolRows_ = 1, poolColumns_ = 1;
};

// Average of pool x pool blocks of a row-major byte image, rounded: the downsampling above.
std::vector<int32_t> poolTokens(const std::vector<int32_t>& tokens, int height, int width, int poolRows, int poolColumns);

} // namespace mimo
