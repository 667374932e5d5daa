#pragma once
// A dataset made of image files laid out as root/<class name>/<file>, the layout most
// image collections (and torchvision's ImageFolder) use. Files are decoded only when a
// sample is asked for, so opening a folder of thousands of photos is instant.
#include "core/data/dataset.h"
#include "core/data/image_preprocess.h"

#include <string>
#include <vector>

namespace mimo {

// True for .png, .jpg, .jpeg and .bmp, in any letter case.
bool hasImageExtension(const std::string& path);

class ImageFolderDataset : public Dataset {
public:
    // Classes are the subfolders of `root` (hidden ones skipped) sorted by name, so the
    // class index is the position in that order; files are sorted by name within a class.
    // Throws DataError(root, ...) if root is missing or not a folder, has no class
    // subfolders, or no image files at all, or if the spec is invalid.
    ImageFolderDataset(const std::string& root, ImageInputSpec spec, std::string name = "");

    std::string name() const override { return name_; }
    std::size_t size() const override { return files_.size(); }
    Modality modality() const override { return Modality::Image; }
    std::vector<int64_t> sampleShape() const override;
    // Decodes and prepares the file; its DataError names the file if it is unreadable.
    Sample sample(std::size_t index) const override;
    int64_t label(std::size_t index) const override;
    const std::vector<std::string>& classNames() const override { return classNames_; }
    bool decodesOnDemand() const override { return true; }
    std::string origin() const override { return root_; }

    const std::string& filePath(std::size_t index) const;
    const ImageInputSpec& spec() const { return spec_; }

private:
    std::string name_;
    std::string root_;
    ImageInputSpec spec_;
    std::vector<std::string> classNames_;
    std::vector<std::string> files_;
    std::vector<int64_t> labels_;
};

} // namespace mimo
