#include "core/data/dataset_spec.h"

#include "core/data/cifar.h"
#include "core/data/image_folder.h"
#include "core/data/listops.h"
#include "core/data/mnist.h"
#include "core/data/pixel_sequence.h"
#include "core/data/svhn.h"
#include "core/data/text_tsv.h"
#include "core/errors.h"
#include "core/numbers.h"

#include <algorithm>
#include <memory>
#include <new>

namespace mimo {
namespace {

struct ParsedSpec {
    std::string kind;
    std::string path;
    Split split = Split::Test;
    bool coarse = false;
};

// Trailing ":train", ":test", ":coarse", ":fine" are options; the rest is the path, which
// may itself contain colons.
ParsedSpec parse(const std::string& spec)
{
    ParsedSpec parsed;
    const auto colon = spec.find(':');
    parsed.kind = spec.substr(0, colon);
    std::string rest = colon == std::string::npos ? "" : spec.substr(colon + 1);
    if (parsed.kind == "pixels" || parsed.kind == "text" || parsed.kind == "listops") {
        // Whole rest is the path (a file name may end in ":test"); pixels wraps another spec.
        parsed.path = rest;
        return parsed;
    }
    for (;;) {
        const auto last = rest.rfind(':');
        const std::string tail = last == std::string::npos ? rest : rest.substr(last + 1);
        if (tail == "train")
            parsed.split = Split::Train;
        else if (tail == "test")
            parsed.split = Split::Test;
        else if (tail == "coarse")
            parsed.coarse = true;
        else if (tail != "fine")
            break;
        rest = last == std::string::npos ? "" : rest.substr(0, last);
    }
    parsed.path = rest;
    return parsed;
}

void requirePath(const ParsedSpec& parsed, const std::string& spec)
{
    if (parsed.path.empty())
        throw Error("dataset '" + spec + "': " + parsed.kind + " needs a path, e.g. " + parsed.kind + ":/data/" +
                    parsed.kind);
}

// Fresh trees from the LRA generator in the short-ListOps window (20 < length < 256, or the
// sequence length when shorter): samples to look at without any file.
DatasetPtr generatedListOps(const std::string& spec, const ParsedSpec& parsed, const DataOptions& options)
{
    std::size_t count = 1000;
    uint64_t seed = 2;
    const std::string& rest = parsed.path;
    const auto colon = rest.find(':');
    const auto parsedCount = rest.empty() ? std::optional<std::size_t>(count)
                                          : parseWholeNumber<std::size_t>(rest.substr(0, colon));
    const auto parsedSeed =
        colon == std::string::npos ? std::optional<uint64_t>(seed) : parseWholeNumber<uint64_t>(rest.substr(colon + 1));
    if (!parsedCount || !parsedSeed)
        throw Error("dataset '" + spec + "': expected listops-generated[:COUNT[:SEED]] with whole numbers of 0 or more");
    count = *parsedCount;
    seed = *parsedSeed;
    if (count < 1 || count > 100000)
        throw Error("dataset '" + spec + "': COUNT must be in 1..100000");
    listops::GeneratorConfig config;
    config.minLength = 20;
    config.maxLength = 256;
    if (options.sequenceLength > 0)
        config.maxLength = std::min<int>(config.maxLength, int(options.sequenceLength) + 1);
    config.seed = seed;
    const std::size_t length = options.sequenceLength ? options.sequenceLength : std::size_t(config.maxLength - 1);
    return std::make_shared<listops::ListOpsDataset>(listops::generate(config, count), length,
                                                     "ListOps (generated, seed " + std::to_string(seed) + ")");
}

std::string knownForms()
{
    std::string text;
    for (const auto& form : datasetSpecForms())
        text += "\n  " + form;
    return text;
}

} // namespace

const std::vector<std::string>& datasetSpecForms()
{
    static const std::vector<std::string> forms{
        "fashion-mnist[:train|test]", "mnist:DIR[:train|test]", "cifar10:DIR[:train|test]",
        "cifar100:DIR[:train|test][:coarse]", "svhn:DIR[:train|test]", "svhn:FILE.mat", "images:DIR", "listops:FILE.tsv", "listops-generated[:COUNT[:SEED]]",
        "text:FILE.tsv", "pixels:SPEC"};
    return forms;
}

namespace {

DatasetPtr openDatasetUnchecked(const std::string& spec, const DataOptions& options)
{
    if (spec.empty())
        throw Error("no dataset given; use one of:" + knownForms());
    const ParsedSpec parsed = parse(spec);
    if (parsed.kind == "fashion-mnist") {
        const std::string dir = parsed.path.empty() ? options.fashionMnistDir : parsed.path;
        return loadFashionMnist(parsed.split, dir);
    }
    if (parsed.kind == "mnist") {
        requirePath(parsed, spec);
        return loadMnist(parsed.split, parsed.path);
    }
    if (parsed.kind == "cifar10") {
        requirePath(parsed, spec);
        return loadCifar10(parsed.path, parsed.split);
    }
    if (parsed.kind == "cifar100") {
        requirePath(parsed, spec);
        return loadCifar100(parsed.path, parsed.split, !parsed.coarse);
    }
    if (parsed.kind == "svhn") {
        requirePath(parsed, spec);
        return loadSvhn(parsed.path, parsed.split);
    }
    if (parsed.kind == "images") {
        requirePath(parsed, spec);
        return std::make_shared<ImageFolderDataset>(parsed.path, options.imageSpec);
    }
    if (parsed.kind == "listops") {
        requirePath(parsed, spec);
        const std::size_t length = options.sequenceLength ? options.sequenceLength : listops::kLraSequenceLength;
        return std::make_shared<listops::ListOpsDataset>(listops::ListOpsDataset::fromTsv(parsed.path, length));
    }
    if (parsed.kind == "listops-generated")
        return generatedListOps(spec, parsed, options);
    if (parsed.kind == "text") {
        requirePath(parsed, spec);
        const std::size_t length = options.sequenceLength ? options.sequenceLength : kLraTextLength;
        return std::make_shared<TextTsvDataset>(TextTsvDataset::fromFile(parsed.path, length));
    }
    if (parsed.kind == "pixels") {
        if (parsed.path.empty())
            throw Error("dataset '" + spec + "': pixels: wraps an image dataset, e.g. pixels:fashion-mnist:test");
        return std::make_shared<PixelSequenceDataset>(openDatasetUnchecked(parsed.path, options), "", options.pixelHeight,
                                                      options.pixelWidth);
    }
    throw Error("unknown dataset kind '" + parsed.kind + "' in '" + spec + "'; use one of:" + knownForms());
}

} // namespace

DatasetPtr openDataset(const std::string& spec, const DataOptions& options)
{
    try {
        return openDatasetUnchecked(spec, options);
    } catch (const std::bad_alloc&) {
        throw DataError(spec, "not enough memory to load this dataset");
    }
}

} // namespace mimo
