#include "core/data/svhn.h"

#include "core/errors.h"
#if MIMO_HAS_MATIO
#include "core/data/mat_file.h"
#endif

#include <cmath>
#include <filesystem>
#include <memory>
#include <system_error>

namespace mimo {
namespace {

namespace fs = std::filesystem;

#if MIMO_HAS_MATIO
constexpr uint64_t kPlane = uint64_t(kSvhnSide) * kSvhnSide;
constexpr uint64_t kImageBytes = 3 * kPlane;

// X must be 32x32x3xN with 1 <= N <= kMaxSvhnImages; returns N.
uint64_t imageCount(const MatVariableInfo& x, const std::string& path)
{
    const auto& d = x.dims;
    if (x.className != "uint8")
        throw DataError(path, "'X' is of class " + x.className + "; SVHN's images are uint8");
    if (d.size() != 4 || d[0] != kSvhnSide || d[1] != kSvhnSide || d[2] != 3)
        throw DataError(path, "'X' is " + x.shapeText() + "; SVHN's images are 32x32x3xN (row, column, colour, image)");
    if (d[3] < 1 || d[3] > kMaxSvhnImages)
        throw DataError(path, "'X' holds " + std::to_string(d[3]) + " images; expected 1.." +
                                  std::to_string(kMaxSvhnImages));
    return d[3];
}

void checkLabelShape(const MatVariableInfo& y, uint64_t count, const std::string& path)
{
    const auto& d = y.dims;
    const bool column = d.size() == 2 && d[0] == count && d[1] == 1;
    const bool row = d.size() == 2 && d[0] == 1 && d[1] == count;
    if (!y.numeric || !(column || row))
        throw DataError(path, "'y' is " + y.className + " " + y.shapeText() + "; expected " + std::to_string(count) +
                                  "x1 numbers, one label per image of 'X'");
}

#endif // MIMO_HAS_MATIO

} // namespace

const std::vector<std::string>& svhnClassNames()
{
    static const std::vector<std::string> names{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    return names;
}

#if MIMO_HAS_MATIO

DatasetPtr loadSvhnFile(const std::string& path, const std::string& name)
{
    MatFile file(path, kMaxSvhnFileBytes);
    const uint64_t count = imageCount(file.info("X"), path);
    checkLabelShape(file.info("y"), count, path);

    const std::vector<double> y = file.readNumbers("y", count);
    if (y.size() != count)
        throw DataError(path, "'y' holds " + std::to_string(y.size()) + " labels for " + std::to_string(count) +
                                  " images");
    auto set = std::make_shared<ImageSet>();
    set->count = int64_t(count);
    set->channels = 3;
    set->height = set->width = kSvhnSide;
    set->labels.reserve(count);
    for (uint64_t i = 0; i < count; ++i) {
        const double label = y[i];
        if (!(label >= 1 && label <= 10) || std::floor(label) != label)
            throw DataError(path, "label " + std::to_string(label) + " of image " + std::to_string(i + 1) +
                                      " is not a whole number in 1..10 (10 stands for the digit 0)");
        set->labels.push_back(label == 10 ? 0 : int64_t(label));
    }

    const std::vector<uint8_t> x = file.readUInt8("X", count * kImageBytes);
    if (x.size() != count * kImageBytes)
        throw DataError(path, "'X' holds " + std::to_string(x.size()) + " bytes for " + std::to_string(count) +
                                  " images of " + std::to_string(kImageBytes));
    // Column-major (row, column, colour, image) to ImageSet's channel-major rows.
    set->pixels.resize(x.size());
    for (uint64_t n = 0; n < count; ++n)
        for (uint64_t c = 0; c < 3; ++c)
            for (uint64_t col = 0; col < uint64_t(kSvhnSide); ++col)
                for (uint64_t row = 0; row < uint64_t(kSvhnSide); ++row)
                    set->pixels[n * kImageBytes + c * kPlane + row * kSvhnSide + col] =
                        x[n * kImageBytes + c * kPlane + col * kSvhnSide + row];
    const std::string shown = name.empty() ? "SVHN " + fs::path(path).filename().string() : name;
    return std::make_shared<ImageSetDataset>(shown, std::move(set), svhnClassNames());
}

#else

DatasetPtr loadSvhnFile(const std::string& path, const std::string&)
{
    throw DataError(path, "this build of mimo reads no SVHN .mat files: it was configured without libmatio "
                          "(MIMO_WITH_MATIO=OFF, a headless build)");
}

#endif // MIMO_HAS_MATIO

DatasetPtr loadSvhn(const std::string& fileOrDir, Split split)
{
    std::error_code ec;
    if (!fs::is_directory(fileOrDir, ec))
        return loadSvhnFile(fileOrDir);
    const std::string file = split == Split::Train ? "train_32x32.mat" : "test_32x32.mat";
    const fs::path path = fs::path(fileOrDir) / file;
    if (!fs::exists(fs::symlink_status(path, ec)))
        throw DataError(path.string(), "file not found; expected SVHN's cropped digits (" + file +
                                           " from the SVHN website, format 2) in this folder");
    return loadSvhnFile(path.string(), std::string("SVHN ") + splitName(split));
}

} // namespace mimo
