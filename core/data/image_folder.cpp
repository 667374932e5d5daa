#include "core/data/image_folder.h"

#include "core/errors.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace mimo {

namespace fs = std::filesystem;

bool hasImageExtension(const std::string& path)
{
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".bmp";
}

namespace {

bool isHidden(const fs::path& p)
{
    const std::string n = p.filename().string();
    return !n.empty() && n[0] == '.';
}

// Sorted by the byte string of the name so the order (and with it every class index) is
// the same on every machine, whatever the locale or the file system's listing order.
std::vector<fs::path> sortedEntries(const fs::path& dir, bool wantDirectories)
{
    std::vector<fs::path> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path p = it->path();
        if (isHidden(p))
            continue;
        std::error_code typeEc;
        const bool isDir = fs::is_directory(p, typeEc);
        const bool isFile = fs::is_regular_file(p, typeEc);
        if (wantDirectories ? isDir : (isFile && hasImageExtension(p.string())))
            out.push_back(p);
    }
    if (ec)
        throw DataError(dir.string(), "cannot list folder: " + ec.message());
    std::sort(out.begin(), out.end(),
              [](const fs::path& a, const fs::path& b) { return a.filename().string() < b.filename().string(); });
    return out;
}

} // namespace

ImageFolderDataset::ImageFolderDataset(const std::string& root, ImageInputSpec spec, std::string name)
    : name_(std::move(name)), root_(root), spec_(std::move(spec))
{
    validateImageInputSpec(spec_, root);
    std::error_code ec;
    if (!fs::exists(root, ec))
        throw DataError(root, "image folder not found");
    if (!fs::is_directory(root, ec))
        throw DataError(root, "is not a folder; expected a folder with one subfolder per class");
    if (name_.empty())
        name_ = fs::path(root).lexically_normal().filename().string();
    if (name_.empty())
        name_ = fs::path(root).lexically_normal().parent_path().filename().string();

    const std::vector<fs::path> classDirs = sortedEntries(root, true);
    if (classDirs.empty())
        throw DataError(root, "has no class subfolders; expected one subfolder per class holding "
                              ".png/.jpg/.jpeg/.bmp files");
    for (std::size_t c = 0; c < classDirs.size(); ++c) {
        classNames_.push_back(classDirs[c].filename().string());
        for (const fs::path& f : sortedEntries(classDirs[c], false)) {
            files_.push_back(f.string());
            labels_.push_back(static_cast<int64_t>(c));
        }
    }
    if (files_.empty())
        throw DataError(root, "has " + std::to_string(classDirs.size()) +
                                  " class subfolders but no .png/.jpg/.jpeg/.bmp files in them");
}

std::vector<int64_t> ImageFolderDataset::sampleShape() const
{
    return {spec_.channels, spec_.height, spec_.width};
}

const std::string& ImageFolderDataset::filePath(std::size_t index) const
{
    if (index >= files_.size())
        throw std::out_of_range(name_ + ": sample index " + std::to_string(index) + " out of range (size " +
                                std::to_string(files_.size()) + ")");
    return files_[index];
}

Sample ImageFolderDataset::sample(std::size_t index) const
{
    Sample s = preparedToSample(prepareImageFile(filePath(index), spec_));
    s.label = labels_[index];
    return s;
}

int64_t ImageFolderDataset::label(std::size_t index) const
{
    filePath(index); // range check
    return labels_[index];
}

} // namespace mimo
