// `mimo data`, `mimo listops` and `mimo image`: the data layer from the command line.
#include "cli/commands.h"
#include "cli/json_output.h"
#include "core/data/dataset_spec.h"
#include "core/data/image_preprocess.h"
#include "core/data/listops.h"
#include "core/data/text_tsv.h"
#include "core/data/unreadable_items.h"
#include "core/data/video_frames.h"
#include "core/data/video_stream.h"
#include "core/errors.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

namespace mimo::cli {
namespace {

const char* modalityName(Modality modality) { return modality == Modality::Image ? "image" : "sequence"; }

std::string shapeText(const std::vector<int64_t>& shape)
{
    std::string text;
    for (size_t i = 0; i < shape.size(); ++i)
        text += (i ? "x" : "") + std::to_string(shape[i]);
    return text;
}

// Image as text: one character per pixel, darker characters for brighter pixels (channel mean).
void printImage(const Sample& sample)
{
    static const char ramp[] = " .:-=+*#%@";
    const int64_t channels = sample.shape[0], height = sample.shape[1], width = sample.shape[2];
    const int64_t step = std::max<int64_t>(1, (width + 63) / 64);
    for (int64_t y = 0; y < height; y += step) {
        std::string line;
        for (int64_t x = 0; x < width; x += step) {
            float value = 0.f;
            for (int64_t c = 0; c < channels; ++c)
                value += sample.pixels[static_cast<size_t>((c * height + y) * width + x)];
            value /= static_cast<float>(channels);
            const int level = std::clamp(static_cast<int>(value * 9.999f), 0, 9);
            line += ramp[level];
            line += ramp[level];
        }
        std::cout << line << '\n';
    }
}

// Every item read once, as evaluation would: those that cannot be read, in order.
UnreadableItems checkEveryItem(const Dataset& dataset)
{
    UnreadableItems unreadable;
    for (std::size_t i = 0; i < dataset.size(); ++i) {
        try {
            dataset.sample(i);
        } catch (const DataError& error) {
            unreadable.add(i, error);
        }
    }
    return unreadable;
}

void printUnreadable(const UnreadableItems& unreadable, std::size_t checked)
{
    constexpr std::size_t kListed = 50;
    if (unreadable.empty()) {
        std::printf("checked %zu items: all readable\n", checked);
        return;
    }
    std::printf("checked %zu items: %zu unreadable (eval and train skip them):\n", checked, unreadable.size());
    const auto& items = unreadable.items();
    for (std::size_t i = 0; i < std::min(kListed, items.size()); ++i)
        std::printf("  %s: %s\n", printableText(items[i].file, 512).c_str(), printableText(items[i].reason, 512).c_str());
    if (items.size() > kListed)
        std::printf("  and %zu more\n", items.size() - kListed);
}

} // namespace

int runDataInfo(const DatasetOptions& options)
{
    const auto start = std::chrono::steady_clock::now();
    const DatasetPtr dataset = openDataset(options.spec, options.data);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    const auto& classes = dataset->classNames();
    std::vector<int64_t> counts(classes.size(), 0);
    int64_t unlabelled = 0;
    for (std::size_t i = 0; i < dataset->size(); ++i) {
        const int64_t label = dataset->label(i);
        if (label >= 0 && label < static_cast<int64_t>(counts.size()))
            ++counts[static_cast<size_t>(label)];
        else
            ++unlabelled;
    }
    const UnreadableItems unreadable = options.check ? checkEveryItem(*dataset) : UnreadableItems();
    if (options.check && unreadable.size() == dataset->size())
        throw DataError(dataset->origin(), "none of its " + std::to_string(dataset->size()) + " items can be read (" +
                                               unreadableReport(unreadable) + ")");
    const int status = unreadable.empty() ? 0 : 1;
    if (options.json) {
        nlohmann::json out{{"name", dataset->name()},
                           {"size", dataset->size()},
                           {"modality", modalityName(dataset->modality())},
                           {"sample_shape", dataset->sampleShape()},
                           {"vocabulary", dataset->vocabularySize()},
                           {"classes", classes},
                           {"class_counts", counts},
                           {"unlabelled", unlabelled},
                           {"load_seconds", seconds}};
        if (options.check) {
            out["checked"] = dataset->size();
            out["unreadable"] = nlohmann::json::array();
            for (const auto& item : unreadable.items())
                out["unreadable"].push_back({{"index", item.index}, {"file", item.file}, {"reason", item.reason}});
        }
        printJson(out);
        return status;
    }
    std::cout << dataset->name() << ": " << dataset->size() << " " << modalityName(dataset->modality())
              << "s of shape " << shapeText(dataset->sampleShape());
    if (dataset->vocabularySize() > 0)
        std::cout << ", vocabulary " << dataset->vocabularySize();
    std::printf(" (loaded in %.2f s)\n", seconds);
    for (size_t c = 0; c < classes.size(); ++c)
        std::printf("  %3zu  %-24s %8lld\n", c, classes[c].c_str(), static_cast<long long>(counts[c]));
    if (unlabelled)
        std::cout << "  unlabelled: " << unlabelled << '\n';
    if (options.check) {
        std::cout.flush();
        printUnreadable(unreadable, dataset->size());
    }
    return status;
}

int runDataShow(const DatasetOptions& options)
{
    const DatasetPtr dataset = openDataset(options.spec, options.data);
    const int64_t index = options.index;
    if (index < 0 || static_cast<std::size_t>(index) >= dataset->size())
        throw UsageError("--index must be in [0, " + std::to_string(dataset->size()) + ")");
    const Sample sample = dataset->sample(static_cast<std::size_t>(index));
    const auto& classes = dataset->classNames();
    std::cout << dataset->name() << " item " << index << ", label " << sample.label;
    if (sample.label >= 0 && sample.label < static_cast<int64_t>(classes.size()))
        std::cout << " (" << classes[static_cast<size_t>(sample.label)] << ")";
    std::cout << ", shape " << shapeText(sample.shape) << '\n';
    if (sample.modality == Modality::Image) {
        printImage(sample);
    } else if (dataset->vocabularySize() == listops::kVocabularySize) {
        std::cout << listops::detokenize(sample.tokens) << '\n';
    } else if (dataset->vocabularySize() == kByteVocabulary) {
        std::cout << textFromTokens(sample.tokens) << '\n';
    } else {
        const auto used = std::find_if(sample.tokens.rbegin(), sample.tokens.rend(), [](int32_t t) { return t != 0; });
        const auto length = static_cast<size_t>(sample.tokens.rend() - used);
        for (size_t i = 0; i < length; ++i)
            std::cout << sample.tokens[i] << (i + 1 < length ? ' ' : '\n');
    }
    return 0;
}

int runListOpsGenerate(const ListOpsGenerateOptions& options)
{
    const listops::GeneratorConfig& config = options.generator;
    const int64_t count = options.count;
    const std::string& out = options.out;
    const auto start = std::chrono::steady_clock::now();
    const auto examples = listops::generate(config, static_cast<std::size_t>(count));
    listops::writeTsv(out, examples, options.lineEnding);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("wrote %zu ListOps examples (%d < length < %d, seed %llu) to %s in %.2f s\n", examples.size(),
                config.minLength, config.maxLength, static_cast<unsigned long long>(config.seed), out.c_str(), seconds);
    return 0;
}

int runListOpsEval(const std::vector<std::string>& expression)
{
    std::string text;
    for (const auto& word : expression)
        text += (text.empty() ? "" : " ") + word;
    std::cout << listops::evaluate(text, "expression") << '\n';
    return 0;
}

int runImagePrepare(const ImagePrepareOptions& options)
{
    const std::string& path = options.path;
    const PreparedImage prepared = prepareImageFile(path, options.spec);
    std::cout << path << " -> " << prepared.channels << "x" << prepared.height << "x" << prepared.width << '\n';
    for (const auto& step : prepared.steps)
        std::cout << "  " << step << '\n';
    printImage(preparedToSample(prepared));
    return 0;
}

int runVideoFrames(const VideoFramesOptions& options)
{
    VideoFrames frames = VideoFrames::openFile(options.path);
    const auto interval = options.fps > 0 ? std::chrono::duration<double>(1.0 / options.fps) : std::chrono::duration<double>(0);
    auto next = std::chrono::steady_clock::now();
    for (int64_t shown = 0; options.count == 0 || shown < options.count; ++shown) {
        const std::vector<uint8_t> record = encodeVideoRecord(frames.next());
        std::this_thread::sleep_until(next);
        next = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(interval);
        // The reader has gone (the dialog froze or closed): a normal end.
        if (std::fwrite(record.data(), 1, record.size(), stdout) != record.size() || std::fflush(stdout) != 0)
            return 0;
    }
    return 0;
}

} // namespace mimo::cli
