#pragma once
// Decoded 8-bit image collections (MNIST, Fashion-MNIST, CIFAR) held in memory, and the
// Dataset view over them. Pixels stay uint8 until a sample is requested so the 60k
// Fashion-MNIST training set costs 47 MB rather than four times that as floats.
#include "core/data/dataset.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mimo {

// Which half of a dataset with a fixed train/test split to load. Lives here rather than
// in mnist.h so the CIFAR loaders can share it without depending on the MNIST code.
enum class Split { Train, Test };
const char* splitName(Split split); // "train" / "test"

struct ImageSet {
    int64_t count = 0;
    int channels = 0;
    int height = 0;
    int width = 0;
    std::vector<uint8_t> pixels; // count*C*H*W, channel-major per image
    std::vector<int64_t> labels; // count entries
};

class ImageSetDataset : public Dataset {
public:
    // Throws DataError (source = name) when the set is internally inconsistent or a label
    // is outside [0, classNames.size()); loaders have already checked their files, so
    // this only catches programming mistakes, but cheaply.
    ImageSetDataset(std::string name, std::shared_ptr<const ImageSet> images,
                    std::vector<std::string> classNames);

    std::string name() const override { return name_; }
    std::size_t size() const override;
    Modality modality() const override { return Modality::Image; }
    std::vector<int64_t> sampleShape() const override;
    Sample sample(std::size_t index) const override; // pixels / 255, CHW
    int64_t label(std::size_t index) const override;
    const std::vector<std::string>& classNames() const override { return classNames_; }

    const ImageSet& images() const { return *images_; }

private:
    void checkIndex(std::size_t index) const;

    std::string name_;
    std::shared_ptr<const ImageSet> images_;
    std::vector<std::string> classNames_;
};

} // namespace mimo
