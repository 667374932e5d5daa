#include "core/data/mnist.h"

#include "core/data/binary_file.h"
#include "core/data/idx_reader.h"
#include "core/errors.h"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <system_error>

namespace mimo {

namespace fs = std::filesystem;

namespace {

const char* const kFashionHint =
    "; install the Debian package dataset-fashion-mnist (apt install dataset-fashion-mnist) "
    "or set MIMO_FASHION_MNIST_DIR to a directory holding the four IDX files";

bool isFile(const fs::path& p)
{
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

DatasetPtr loadIdxSplit(const std::string& datasetName, Split split, const std::string& dir,
                        std::vector<std::string> classNames, const std::string& hint)
{
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw DataError(dir, datasetName + " directory not found" + hint);
    const std::string prefix = split == Split::Train ? "train" : "t10k";
    const std::string images = findIdxFile(dir, prefix + "-images-idx3-ubyte", hint);
    const std::string labels = findIdxFile(dir, prefix + "-labels-idx1-ubyte", hint);
    auto set = std::make_shared<ImageSet>(
        readIdxImagesAndLabels(images, labels, static_cast<int64_t>(classNames.size())));
    return std::make_shared<ImageSetDataset>(datasetName + " " + splitName(split), std::move(set),
                                             std::move(classNames));
}

} // namespace

std::string fashionMnistDirectory(const std::string& override)
{
    if (!override.empty())
        return override;
    if (const char* env = std::getenv(kFashionMnistEnvVar); env && *env)
        return env;
    return kFashionMnistDefaultDir;
}

const std::vector<std::string>& fashionMnistClassNames()
{
    static const std::vector<std::string> names{"T-shirt/top", "Trouser", "Pullover", "Dress",
                                                "Coat",        "Sandal",  "Shirt",    "Sneaker",
                                                "Bag",         "Ankle boot"};
    return names;
}

std::string findIdxFile(const std::string& dir, const std::string& baseName, const std::string& hint)
{
    const fs::path gz = fs::path(dir) / (baseName + ".gz");
    const fs::path plain = fs::path(dir) / baseName;
    if (isFile(gz))
        return gz.string();
    if (isFile(plain))
        return plain.string();
    // Something is there but is no file (a folder, a FIFO, a dangling link): say what it is.
    for (const fs::path& candidate : {gz, plain}) {
        std::error_code ec;
        if (fs::exists(fs::symlink_status(candidate, ec)))
            requireRegularFile(candidate.string());
    }
    throw DataError(gz.string(), "file not found (nor " + plain.string() + ")" + hint);
}

DatasetPtr loadFashionMnist(Split split, const std::string& dir)
{
    const std::string where = fashionMnistDirectory(dir);
    return loadIdxSplit("Fashion-MNIST", split, where, fashionMnistClassNames(), kFashionHint);
}

DatasetPtr loadMnist(Split split, const std::string& dir)
{
    std::vector<std::string> digits;
    for (int d = 0; d < 10; ++d)
        digits.push_back(std::to_string(d));
    return loadIdxSplit("MNIST", split, dir, std::move(digits), "");
}

} // namespace mimo
