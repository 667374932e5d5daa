// `mimo data`, `mimo listops` and `mimo image`: the data layer from the command line.
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/json_output.h"
#include "core/data/dataset_spec.h"
#include "core/data/image_preprocess.h"
#include "core/data/listops.h"
#include "core/data/text_tsv.h"
#include "core/errors.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

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

DataOptions dataOptions(const Arguments& args)
{
    DataOptions options;
    options.fashionMnistDir = args.text("data-dir", "");
    options.sequenceLength = static_cast<std::size_t>(args.integer("length", 0));
    return options;
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

int runDataInfo(const Words& words)
{
    const Arguments args(words, {"json"});
    args.allowOnly({"json", "data-dir", "length"});
    const std::string spec = args.positional(0, "dataset (e.g. fashion-mnist:test)");
    const auto start = std::chrono::steady_clock::now();
    const DatasetPtr dataset = openDataset(spec, dataOptions(args));
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
    if (args.flag("json")) {
        printJson({{"name", dataset->name()},
                   {"size", dataset->size()},
                   {"modality", modalityName(dataset->modality())},
                   {"sample_shape", dataset->sampleShape()},
                   {"vocabulary", dataset->vocabularySize()},
                   {"classes", classes},
                   {"class_counts", counts},
                   {"unlabelled", unlabelled},
                   {"load_seconds", seconds}});
        return 0;
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
    return 0;
}

int runDataShow(const Words& words)
{
    const Arguments args(words, {});
    args.allowOnly({"index", "data-dir", "length"});
    const std::string spec = args.positional(0, "dataset (e.g. fashion-mnist:test)");
    const DatasetPtr dataset = openDataset(spec, dataOptions(args));
    const int64_t index = args.integer("index", 0);
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

int runData(const Words& words)
{
    if (words.empty())
        throw UsageError("missing subcommand: info or show");
    const Words rest(words.begin() + 1, words.end());
    if (words[0] == "info")
        return runDataInfo(rest);
    if (words[0] == "show")
        return runDataShow(rest);
    throw UsageError("unknown subcommand '" + words[0] + "' (info, show)");
}

int runListOpsGenerate(const Words& words)
{
    const Arguments args(words, {});
    args.allowOnly({"count", "min-length", "max-length", "max-depth", "max-args", "seed", "out"});
    listops::GeneratorConfig config;
    config.minLength = static_cast<int>(args.integer("min-length", config.minLength));
    config.maxLength = static_cast<int>(args.integer("max-length", config.maxLength));
    config.maxDepth = static_cast<int>(args.integer("max-depth", config.maxDepth));
    config.maxArgs = static_cast<int>(args.integer("max-args", config.maxArgs));
    config.seed = static_cast<uint64_t>(args.integer("seed", 0));
    const int64_t count = args.integer("count", 1000);
    if (count < 1)
        throw UsageError("--count must be at least 1");
    const std::string out = args.text("out", "");
    if (out.empty())
        throw UsageError("--out FILE.tsv is required");
    const auto start = std::chrono::steady_clock::now();
    const auto examples = listops::generate(config, static_cast<std::size_t>(count));
    listops::writeTsv(out, examples);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("wrote %zu ListOps examples (%d < length < %d, seed %llu) to %s in %.2f s\n", examples.size(),
                config.minLength, config.maxLength, static_cast<unsigned long long>(config.seed), out.c_str(), seconds);
    return 0;
}

int runListOps(const Words& words)
{
    if (words.empty())
        throw UsageError("missing subcommand: generate or eval");
    const Words rest(words.begin() + 1, words.end());
    if (words[0] == "generate")
        return runListOpsGenerate(rest);
    if (words[0] == "eval") {
        if (rest.empty())
            throw UsageError("missing expression, e.g. mimo listops eval \"[MAX 2 9 [MIN 4 7 ] 0 ]\"");
        std::string expression;
        for (const auto& word : rest)
            expression += (expression.empty() ? "" : " ") + word;
        std::cout << listops::evaluate(expression, "expression") << '\n';
        return 0;
    }
    throw UsageError("unknown subcommand '" + words[0] + "' (generate, eval)");
}

AspectMode aspectOption(const std::string& name)
{
    if (name == "stretch")
        return AspectMode::Stretch;
    if (name == "center-crop" || name == "crop")
        return AspectMode::CenterCrop;
    if (name == "letterbox" || name == "pad")
        return AspectMode::Letterbox;
    throw UsageError("--aspect must be stretch, center-crop or letterbox");
}

InvertMode invertOption(const std::string& name)
{
    if (name == "never")
        return InvertMode::Never;
    if (name == "always")
        return InvertMode::Always;
    if (name == "auto")
        return InvertMode::IfLightBackground;
    throw UsageError("--invert must be never, always or auto");
}

int runImagePrepare(const Words& words)
{
    const Arguments args(words, {});
    args.allowOnly({"channels", "size", "height", "width", "aspect", "invert", "mean", "std"});
    const std::string path = args.positional(0, "image file");
    ImageInputSpec spec;
    spec.channels = static_cast<int>(args.integer("channels", 1));
    const int64_t size = args.integer("size", 28);
    spec.height = static_cast<int>(args.integer("height", size));
    spec.width = static_cast<int>(args.integer("width", size));
    spec.aspect = aspectOption(args.text("aspect", "letterbox"));
    spec.invert = invertOption(args.text("invert", "never"));
    spec.mean = {static_cast<float>(args.number("mean", 0.0))};
    spec.stddev = {static_cast<float>(args.number("std", 1.0))};
    const PreparedImage prepared = prepareImageFile(path, spec);
    std::cout << path << " -> " << prepared.channels << "x" << prepared.height << "x" << prepared.width << '\n';
    for (const auto& step : prepared.steps)
        std::cout << "  " << step << '\n';
    printImage(preparedToSample(prepared));
    return 0;
}

int runImage(const Words& words)
{
    if (words.empty() || words[0] != "prepare")
        throw UsageError("missing subcommand: prepare");
    return runImagePrepare(Words(words.begin() + 1, words.end()));
}

std::string specHelp()
{
    std::string text;
    for (const auto& form : datasetSpecForms())
        text += "\n    " + form;
    return text;
}

} // namespace

std::vector<Command> dataCommands()
{
    return {
        {"data", "describe a dataset or show one of its items",
         "mimo data info SPEC [--json] [--data-dir DIR] [--length L]\n"
         "       mimo data show SPEC [--index I]\n"
         "  SPEC is one of:" + specHelp() + "\n"
         "  --data-dir overrides the Fashion-MNIST folder (else $MIMO_FASHION_MNIST_DIR, else\n"
         "  /usr/share/datasets/fashion-mnist); --length sets the ListOps sequence length (2000).",
         runData},
        {"listops", "generate ListOps data (LRA generator) or evaluate an expression",
         "mimo listops generate --out FILE.tsv [--count N] [--min-length A] [--max-length B]\n"
         "                      [--max-depth D] [--max-args K] [--seed S]\n"
         "       mimo listops eval EXPRESSION\n"
         "  Defaults are LRA's: lengths 500 < L < 2000, depth 10, up to 10 arguments.",
         runListOps},
        {"image", "show how an image file is prepared for a model's input",
         "mimo image prepare FILE [--channels 1|3] [--size S | --height H --width W]\n"
         "                        [--aspect stretch|center-crop|letterbox] [--invert never|always|auto]\n"
         "                        [--mean M] [--std S]\n"
         "  Prints every preprocessing step with its numbers, then the result as text.",
         runImage},
    };
}

} // namespace mimo::cli
