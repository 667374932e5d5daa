#include "core/data/cifar.h"

#include "core/data/binary_file.h"
#include "core/errors.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <system_error>

namespace mimo {

namespace fs = std::filesystem;

namespace {

bool isFile(const fs::path& p)
{
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

// Users point at whatever folder they unpacked into; accept both it and the archive's
// own top-level folder.
std::string resolveDir(const std::string& dir, const std::string& probeFile,
                       const std::string& archiveFolder, const std::string& datasetName)
{
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw DataError(dir, datasetName + " directory not found");
    if (isFile(fs::path(dir) / probeFile))
        return dir;
    const fs::path nested = fs::path(dir) / archiveFolder;
    if (fs::is_directory(nested, ec))
        return nested.string();
    return dir; // let the file check name the missing file in `dir`
}

// 100 names of a few bytes each; more is not a class names file.
constexpr uint64_t kMaxClassNamesBytes = uint64_t(1) << 20;

// Non-empty lines with surrounding whitespace (including a Windows '\r') removed.
std::vector<std::string> readNameLines(const fs::path& path)
{
    requireFileSizeAtMost(path.string(), kMaxClassNamesBytes, "class names file");
    std::ifstream in(path);
    if (!in)
        throw DataError(path.string(), "cannot open class names file");
    std::vector<std::string> names;
    for (std::string line; std::getline(in, line);) {
        const auto first = line.find_first_not_of(" \t\r\n");
        if (first == std::string::npos)
            continue;
        const auto last = line.find_last_not_of(" \t\r\n");
        names.push_back(line.substr(first, last - first + 1));
    }
    return names;
}

std::vector<std::string> classNamesFrom(const fs::path& file, std::size_t expected,
                                        std::vector<std::string> fallback)
{
    if (!isFile(file))
        return fallback;
    std::vector<std::string> names = readNameLines(file);
    if (names.size() != expected)
        throw DataError(file.string(), "lists " + std::to_string(names.size()) +
                                           " class names, expected " + std::to_string(expected));
    return names;
}

// One label field of a record format: its byte offset and the class count it indexes.
struct LabelField {
    int offset;
    int classes;
    const char* what;
};

// Appends the records of one file to `set`, keeping the label at `keep`; every label
// field is range-checked so a corrupt record is caught whichever labels are used.
void appendRecords(const std::string& path, const std::vector<LabelField>& fields,
                   std::size_t keep, ImageSet& set)
{
    const std::vector<uint8_t> bytes = readWholeFile(path, kMaxCifarFileBytes);
    const std::size_t recordBytes = fields.size() + kCifarImageBytes;
    if (bytes.size() % recordBytes != 0)
        throw DataError(path, "size " + std::to_string(bytes.size()) +
                                  " bytes is not a multiple of the " + std::to_string(recordBytes) +
                                  "-byte record (truncated?): " +
                                  std::to_string(bytes.size() / recordBytes) +
                                  " whole records and " + std::to_string(bytes.size() % recordBytes) +
                                  " bytes left over");
    const std::size_t records = bytes.size() / recordBytes;
    const std::size_t pixelStart = set.pixels.size();
    set.pixels.resize(pixelStart + records * kCifarImageBytes);
    set.labels.reserve(set.labels.size() + records);
    for (std::size_t r = 0; r < records; ++r) {
        const uint8_t* rec = bytes.data() + r * recordBytes;
        for (const LabelField& f : fields) {
            if (rec[f.offset] >= f.classes)
                throw DataError(path, std::string(f.what) + " " + std::to_string(rec[f.offset]) +
                                          " of record " + std::to_string(r) +
                                          " is out of range for " + std::to_string(f.classes) +
                                          " classes");
        }
        set.labels.push_back(rec[fields[keep].offset]);
        std::copy(rec + fields.size(), rec + recordBytes,
                  set.pixels.begin() + static_cast<std::ptrdiff_t>(pixelStart + r * kCifarImageBytes));
    }
    set.count += static_cast<int64_t>(records);
}

std::shared_ptr<ImageSet> emptyCifarSet()
{
    auto set = std::make_shared<ImageSet>();
    set->channels = 3;
    set->height = kCifarSide;
    set->width = kCifarSide;
    return set;
}

void requireFiles(const std::vector<std::string>& files, const std::string& archive)
{
    for (const std::string& f : files) {
        std::error_code ec;
        if (!fs::exists(fs::symlink_status(f, ec)))
            throw DataError(f, "file not found; expected the binary version of the dataset (" + archive +
                                   " from the CIFAR website) unpacked here");
        requireRegularFile(f); // says what it is instead: a folder, a FIFO, a broken link
    }
}

} // namespace

const std::vector<std::string>& cifar10DefaultClassNames()
{
    static const std::vector<std::string> names{"airplane", "automobile", "bird",  "cat",  "deer",
                                                "dog",      "frog",       "horse", "ship", "truck"};
    return names;
}

DatasetPtr loadCifar10(const std::string& dir, Split split)
{
    const std::string root = resolveDir(dir, split == Split::Train ? "data_batch_1.bin" : "test_batch.bin",
                                        "cifar-10-batches-bin", "CIFAR-10");
    std::vector<std::string> files;
    if (split == Split::Train) {
        for (int i = 1; i <= 5; ++i)
            files.push_back((fs::path(root) / ("data_batch_" + std::to_string(i) + ".bin")).string());
    } else {
        files.push_back((fs::path(root) / "test_batch.bin").string());
    }
    requireFiles(files, "cifar-10-binary.tar.gz");

    auto set = emptyCifarSet();
    const std::vector<LabelField> fields{{0, 10, "label"}};
    for (const std::string& f : files)
        appendRecords(f, fields, 0, *set);
    auto names = classNamesFrom(fs::path(root) / "batches.meta.txt", 10, cifar10DefaultClassNames());
    return std::make_shared<ImageSetDataset>(std::string("CIFAR-10 ") + splitName(split), std::move(set),
                                             std::move(names));
}

DatasetPtr loadCifar100(const std::string& dir, Split split, bool fineLabels)
{
    const std::string file = split == Split::Train ? "train.bin" : "test.bin";
    const std::string root = resolveDir(dir, file, "cifar-100-binary", "CIFAR-100");
    const std::string path = (fs::path(root) / file).string();
    requireFiles({path}, "cifar-100-binary.tar.gz");

    auto set = emptyCifarSet();
    const std::vector<LabelField> fields{{0, 20, "coarse label"}, {1, 100, "fine label"}};
    appendRecords(path, fields, fineLabels ? 1 : 0, *set);

    const std::size_t classes = fineLabels ? 100 : 20;
    std::vector<std::string> fallback;
    for (std::size_t i = 0; i < classes; ++i)
        fallback.push_back("class_" + std::to_string(i));
    auto names = classNamesFrom(fs::path(root) / (fineLabels ? "fine_label_names.txt" : "coarse_label_names.txt"),
                                classes, std::move(fallback));
    return std::make_shared<ImageSetDataset>(std::string("CIFAR-100 ") + splitName(split) +
                                                 (fineLabels ? " (fine)" : " (coarse)"),
                                             std::move(set), std::move(names));
}

} // namespace mimo
