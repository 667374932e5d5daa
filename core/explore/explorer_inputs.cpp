#include "core/explore/explorer_inputs.h"

#include "core/data/binary_file.h"
#include "core/explore/dataset_cache.h"

#include "core/data/listops.h"
#include "core/data/mnist.h"
#include "core/errors.h"
#include "core/model/sequence_input.h"
#include "core/vsa/seeded_random.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>

namespace fs = std::filesystem;

namespace mimo {
namespace {

const std::set<std::string>& imageExtensions()
{
    static const std::set<std::string> extensions{".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif",  ".tiff",
                                                  ".webp", ".pgm", ".ppm",  ".pbm", ".pnm", ".jp2"};
    return extensions;
}

std::string lowerExtension(const std::string& path)
{
    std::string extension = fs::path(path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return extension;
}

std::string normalisedName(const std::string& name)
{
    std::string out;
    for (const char c : name)
        if (std::isalnum(static_cast<unsigned char>(c)))
            out += char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

int64_t labelFromName(const std::string& name, const std::vector<std::string>& classNames)
{
    const std::string wanted = normalisedName(name);
    if (wanted.empty())
        return -1;
    for (size_t i = 0; i < classNames.size(); ++i)
        if (normalisedName(classNames[i]) == wanted)
            return int64_t(i);
    return -1;
}

bool isFormer(const ModelInfo& model) { return model.family() == ModelFamily::Former; }
bool readsPixels(const ModelInfo& model) { return isFormer(model) && model.former().inputKind == "pixels"; }

TensorView pixelView(const std::vector<int32_t>& tokens, const MimoFormerConfig& config)
{
    TensorView view;
    view.name = "pixels";
    view.caption = "the sequence as the image it reads, row by row";
    view.shape = {config.imageHeight, config.imageWidth};
    view.values.reserve(tokens.size());
    for (int32_t t : tokens)
        view.values.push_back(float(t) / 255.0f);
    view.values.resize(size_t(config.imageHeight) * size_t(config.imageWidth), 0.0f);
    return view;
}

PreparedInput fromImage(PreparedImage image, const ModelInfo& model, const std::string& name)
{
    PreparedInput input;
    input.name = name;
    input.steps = image.steps;
    if (readsPixels(model)) {
        input.tokens = sequenceFromImage(model.former(), image, name);
        if (std::all_of(input.tokens.begin(), input.tokens.end(), [](int32_t t) { return t == 0; }))
            throw DataError(name, "every pixel is black after preprocessing, and this model reads black (0) as "
                                  "padding: there is nothing to compute on");
        input.text = std::to_string(input.tokens.size()) + " pixel tokens";
        input.pixels = pixelView(input.tokens, model.former());
    } else if (isFormer(model)) {
        throw DataError(name, "this model reads " + model.former().inputKind +
                                  " sequences, not images; give a text file or type the sequence");
    } else {
        input.isImage = true;
        input.image = std::move(image);
    }
    return input;
}

ImageInputSpec imageSpecFor(const ModelInfo& model)
{
    return readsPixels(model) ? pixelSequenceSpec(model.former()) : model.conv().input;
}

PreparedInput fromTokens(std::vector<int32_t> tokens, const ModelInfo& model, const std::string& name)
{
    while (!tokens.empty() && tokens.back() == 0)
        tokens.pop_back();
    if (tokens.empty())
        throw DataError(name, "the sequence is empty");
    if (int64_t(tokens.size()) > model.former().maxLength)
        throw DataError(name, "the sequence has " + std::to_string(tokens.size()) + " tokens but the model reads at most " +
                                  std::to_string(model.former().maxLength));
    for (size_t t = 0; t < tokens.size(); ++t)
        if (tokens[t] < 0 || tokens[t] >= model.former().vocabularySize)
            throw DataError(name, "token " + std::to_string(t + 1) + " has id " + std::to_string(tokens[t]) +
                                      ", outside the model's vocabulary [0, " +
                                      std::to_string(model.former().vocabularySize) + ")");
    PreparedInput input;
    input.name = name;
    input.text = sequenceToText(model.former(), tokens);
    if (readsPixels(model)) { // shown as the image it is; the numbers say little
        input.pixels = pixelView(tokens, model.former());
        input.text = std::to_string(tokens.size()) + " pixel tokens";
    }
    input.steps.push_back(std::to_string(tokens.size()) + " tokens, padded to " + std::to_string(model.former().maxLength));
    input.tokens = std::move(tokens);
    return input;
}

void rejectBinary(const std::string& path)
{
    refuseSpecialFile(path);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw DataError(path, "cannot open the file");
    char buffer[4096];
    in.read(buffer, sizeof buffer);
    const auto got = in.gcount();
    if (got == 0)
        throw DataError(path, "the file is empty");
    if (std::find(buffer, buffer + got, '\0') != buffer + got)
        throw DataError(path, "binary data, not a text sequence (and not an image or a model file)");
}

PreparedInput fromFile(const std::string& path, const ModelInfo& model, const std::string& name)
{
    std::error_code error;
    if (!fs::exists(path, error))
        throw DataError(path, "no such file");
    if (fs::is_directory(path, error))
        throw DataError(path, "a folder, not a file");
    if (!isFormer(model) || readsPixels(model)) {
        try {
            return fromImage(prepareImageFile(path, imageSpecFor(model)), model, name);
        } catch (const DataError& problem) {
            throw DataError(path, "not an image this model can read (" + problem.problem() + ")");
        }
    }
    rejectBinary(path);
    return fromTokens(sequenceFromFile(model.former(), path), model, name);
}

std::vector<uint8_t> samplePixelsAsBytes(const Sample& sample)
{
    // CHW floats in [0,1] -> interleaved HWC bytes, what prepareImagePixels reads.
    const int64_t c = sample.shape.at(0), h = sample.shape.at(1), w = sample.shape.at(2);
    std::vector<uint8_t> bytes(size_t(c * h * w));
    for (int64_t y = 0; y < h; ++y)
        for (int64_t x = 0; x < w; ++x)
            for (int64_t k = 0; k < c; ++k) {
                const float v = sample.pixels[size_t((k * h + y) * w + x)];
                bytes[size_t((y * w + x) * c + k)] = uint8_t(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
            }
    return bytes;
}

// ListOps is deterministic: a typed expression's true class is its value, as a generated
// sample's label is. -1 for other models, and for token runs that are no whole expression
// (the model still computes on them; there is just no right answer).
int64_t listOpsLabel(const PreparedInput& input, const ModelInfo& model)
{
    if (!isFormer(model) || model.former().inputKind != "listops")
        return -1;
    int value = -1;
    try {
        value = listops::evaluate(input.text, input.name);
    } catch (const DataError&) {
        return -1;
    }
    // The classes are the values 0..9; a card that names them "0".."9" in another order wins.
    const int64_t named = labelFromName(std::to_string(value), model.card.classNames);
    return named >= 0 ? named : value;
}

PreparedInput fromDataset(const InputSource& source, const ModelInfo& model, const DataOptions& options,
                          const std::string& name)
{
    const DatasetPtr data = cachedDataset(source.dataset, options);
    if (source.index < 0 || size_t(source.index) >= data->size())
        throw DataError(source.dataset, "item " + std::to_string(source.index) + " does not exist (the split has " +
                                            std::to_string(data->size()) + " items)");
    const Sample sample = data->sample(size_t(source.index));
    PreparedInput input;
    if (sample.modality == Modality::Image) {
        if (isFormer(model) && !readsPixels(model))
            throw DataError(source.dataset, "an image dataset, but this model reads " + model.former().inputKind + " sequences");
        const auto bytes = samplePixelsAsBytes(sample);
        const int c = int(sample.shape[0]), h = int(sample.shape[1]), w = int(sample.shape[2]);
        input = fromImage(prepareImagePixels(bytes.data(), w, h, c, size_t(w * c), name, imageSpecFor(model)), model, name);
    } else {
        if (!isFormer(model))
            throw DataError(source.dataset, "a sequence dataset, but this model reads images");
        input = fromTokens(sample.tokens, model, name);
    }
    const auto& names = data->classNames();
    const int64_t label = sample.label;
    // A folder's classes are its subfolders in name order: map them onto the model's classes.
    if (label >= 0 && size_t(label) < names.size() && names != model.card.classNames)
        input.label = labelFromName(names[size_t(label)], model.card.classNames);
    else
        input.label = label;
    return input;
}

} // namespace

PathKind classifyPath(const std::string& path)
{
    std::error_code error;
    if (fs::is_directory(path, error))
        return PathKind::Folder;
    const std::string extension = lowerExtension(path);
    if (extension == ".pt" || extension == ".pth")
        return PathKind::Model;
    return PathKind::Candidate;
}

std::string InputSource::displayName() const
{
    if (!name.empty())
        return name;
    switch (origin) {
    case Origin::File:
        return fs::path(path).filename().string();
    case Origin::EncodedBytes:
    case Origin::Pixels:
        return "pasted image";
    case Origin::Text:
        return "typed sequence";
    case Origin::DatasetSample: {
        // "images:/long/path/fashion-mnist" reads better as "images:fashion-mnist".
        std::string shown = dataset;
        const auto colon = shown.find(':');
        const auto slash = shown.find_last_of('/');
        if (colon != std::string::npos && slash != std::string::npos && slash > colon)
            shown = shown.substr(0, colon + 1) + shown.substr(slash + 1);
        return shown + " #" + std::to_string(index);
    }
    }
    return "input";
}

PreparedInput prepareInput(const InputSource& source, const ModelInfo& model, const DataOptions& dataOptions)
{
    const std::string name = source.displayName();
    PreparedInput input;
    switch (source.origin) {
    case InputSource::Origin::File:
        input = fromFile(source.path, model, name);
        input.label = labelFromPath(source.path, model.card.classNames);
        if (input.label < 0)
            input.label = listOpsLabel(input, model);
        break;
    case InputSource::Origin::EncodedBytes:
        if (isFormer(model) && !readsPixels(model))
            throw DataError(name, "this model reads " + model.former().inputKind + " sequences, not images");
        input = fromImage(prepareImageBytes(source.bytes, name, imageSpecFor(model)), model, name);
        break;
    case InputSource::Origin::Pixels: {
        if (isFormer(model) && !readsPixels(model))
            throw DataError(name, "this model reads " + model.former().inputKind + " sequences, not images");
        const int channels = source.channels;
        if (channels != 1 && channels != 3 && channels != 4)
            throw DataError(name, "raw pixels must have 1, 3 or 4 channels, not " + std::to_string(channels));
        if (source.width < 1 || source.height < 1 ||
            source.bytes.size() != size_t(source.width) * size_t(source.height) * size_t(channels))
            throw DataError(name, "raw pixels: " + std::to_string(source.bytes.size()) + " bytes do not make a " +
                                      std::to_string(source.width) + "x" + std::to_string(source.height) + "x" +
                                      std::to_string(channels) + " image");
        input = fromImage(prepareImagePixels(source.bytes.data(), source.width, source.height, channels,
                                             size_t(source.width) * size_t(channels), name, imageSpecFor(model)),
                          model, name);
        break;
    }
    case InputSource::Origin::Text:
        if (!isFormer(model))
            throw DataError(name, "this model reads images; drop or paste an image instead of typing");
        input = fromTokens(sequenceFromText(model.former(), source.text, name), model, name);
        input.label = listOpsLabel(input, model);
        break;
    case InputSource::Origin::DatasetSample:
        input = fromDataset(source, model, dataOptions.sequenceLength || !isFormer(model) ? dataOptions
                                                                                           : dataOptionsForModel(model),
                            name);
        break;
    }
    return input;
}

std::vector<std::string> inputFilesInFolder(const std::string& directory, const ModelInfo& model)
{
    const bool wantsImages = !isFormer(model) || readsPixels(model);
    const auto filesIn = [&](const fs::path& dir, std::vector<fs::path>* subfolders) {
        std::vector<std::string> files;
        std::error_code error;
        for (const auto& entry : fs::directory_iterator(dir, error)) {
            if (entry.path().filename().string().rfind('.', 0) == 0)
                continue;
            if (entry.is_directory() && subfolders)
                subfolders->push_back(entry.path());
            if (!entry.is_regular_file())
                continue;
            const std::string extension = lowerExtension(entry.path().string());
            if (wantsImages ? imageExtensions().count(extension) > 0 : extension == ".txt")
                files.push_back(entry.path().string());
        }
        if (error)
            throw DataError(dir.string(), "cannot list the folder (" + error.message() + ")");
        std::sort(files.begin(), files.end());
        return files;
    };
    std::vector<fs::path> subfolders;
    std::vector<std::string> files = filesIn(directory, &subfolders);
    if (files.empty()) {
        // A dataset-style folder (one subfolder per class): its files, class by class.
        std::sort(subfolders.begin(), subfolders.end());
        for (const auto& subfolder : subfolders) {
            const auto inside = filesIn(subfolder, nullptr);
            files.insert(files.end(), inside.begin(), inside.end());
        }
    }
    return files;
}

int64_t labelFromPath(const std::string& path, const std::vector<std::string>& classNames)
{
    return labelFromName(fs::path(path).parent_path().filename().string(), classNames);
}

DataOptions dataOptionsForModel(const ModelInfo& model, const std::string& fashionMnistDir)
{
    DataOptions options;
    options.fashionMnistDir = fashionMnistDir;
    if (model.family() == ModelFamily::Conv) {
        options.imageSpec = model.conv().input;
    } else {
        options.sequenceLength = static_cast<std::size_t>(model.former().maxLength);
        options.pixelHeight = model.former().imageHeight;
        options.pixelWidth = model.former().imageWidth;
    }
    return options;
}

} // namespace mimo
