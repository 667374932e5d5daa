// `mimo bench`: throughput per N of an architecture or a model file.
#include "cli/architecture_options.h"
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/json_output.h"
#include "core/data/dataset_spec.h"
#include "core/errors.h"
#include "core/explore/explorer_inputs.h"
#include "core/eval/benchmark.h"
#include "core/eval/evaluation.h"
#include "core/eval/prediction.h"
#include "core/model/model_catalog.h"
#include "core/model/sequence_input.h"

#include <algorithm>
#include <atomic>
#include <filesystem>

#include <cstdio>
#include <iostream>

namespace mimo::cli {
namespace {

std::vector<int> intList(const Arguments& args, const std::string& name, const std::vector<int>& fallback)
{
    std::vector<int64_t> wide(fallback.begin(), fallback.end());
    wide = args.integerList(name, wide);
    return std::vector<int>(wide.begin(), wide.end());
}

nlohmann::json stageJson(const BenchRow& row)
{
    nlohmann::json stages = nlohmann::json::array();
    for (const auto& [stage, seconds] : row.stageSeconds)
        stages.push_back({{"stage", stage}, {"seconds_per_batch", seconds}});
    return stages;
}

// One column per N: milliseconds per batch and share of the pass for every stage.
void printBreakdown(const BenchReport& report)
{
    std::vector<std::string> stages;
    for (const auto& row : report.rows)
        for (const auto& [stage, seconds] : row.stageSeconds)
            if (std::find(stages.begin(), stages.end(), stage) == stages.end())
                stages.push_back(stage);
    std::printf("\nwhere the time goes (ms per batch, share; stages synchronised, separate rounds)\n%-26s", "stage");
    for (const auto& row : report.rows)
        std::printf(" %18s", row.label.c_str());
    std::printf("\n");
    for (const auto& stage : stages) {
        std::printf("%-26s", stage.c_str());
        for (const auto& row : report.rows) {
            double total = 0, mine = 0;
            for (const auto& [name, seconds] : row.stageSeconds) {
                total += seconds;
                if (name == stage)
                    mine = seconds;
            }
            std::printf(" %10.2f (%4.1f%%)", 1000.0 * mine, total > 0 ? 100.0 * mine / total : 0.0);
        }
        std::printf("\n");
    }
}

bool isFormerPreset(const std::string& name)
{
    const auto names = formerPresetNames();
    return std::find(names.begin(), names.end(), name) != names.end();
}

int runBench(const Words& words)
{
    const Arguments args(words, {"json", "attention-core", "breakdown"});
    std::set<std::string> known{"model", "n", "batch", "rounds", "warmup", "device", "threads", "json", "length",
                                "attention-core", "grids", "breakdown"};
    known.insert(architectureOptionNames().begin(), architectureOptionNames().end());
    known.insert(formerArchitectureOptionNames().begin(), formerArchitectureOptionNames().end());
    args.allowOnly(known);
    BenchConfig bench;
    bench.ns = intList(args, "n", bench.ns);
    // 16 sequences of 1024 tokens already hold 1 GB of random features per pass.
    bench.batch = static_cast<int>(args.integer("batch", args.flag("attention-core") ? 16 : bench.batch));
    bench.rounds = static_cast<int>(args.integer("rounds", bench.rounds));
    bench.warmup = static_cast<int>(args.integer("warmup", bench.warmup));
    bench.device = args.text("device", "cpu");
    bench.threads = static_cast<int>(args.integer("threads", 0));
    bench.length = static_cast<int>(args.integer("length", 0));
    bench.breakdown = args.flag("breakdown");
    const bool json = args.flag("json");
    const auto progress = [json](const std::string& line) {
        if (!json)
            std::fprintf(stderr, "\r%s", line.c_str());
    };

    BenchReport report;
    if (args.flag("attention-core")) {
        if (args.has("model") || args.has("n") || args.has("arch") || args.flag("breakdown"))
            throw UsageError("--attention-core times random tensors on the grids of --grids; it takes no --model, "
                             "--arch, --n or --breakdown");
        const auto grids = intList(args, "grids", {1, 2, 4});
        report = benchmarkAttentionCore(grids, bench.length > 0 ? bench.length : 1024,
                                        static_cast<int>(args.integer("heads", 8)),
                                        static_cast<int>(args.integer("head-dim", 64)),
                                        static_cast<int>(args.integer("features", 256)), bench, progress);
    } else if (args.has("model")) {
        for (const auto& name : architectureOptionNames())
            if (args.has(name))
                throw UsageError("--" + name + " describes an architecture; a --model file brings its own");
        for (const auto& name : formerArchitectureOptionNames())
            if (name != "length" && args.has(name)) // --length is the benchmark's sequence length here
                throw UsageError("--" + name + " describes an architecture; a --model file brings its own");
        report = benchmarkModelFile(args.text("model", ""), bench, progress);
    } else if (isFormerPreset(args.text("arch", ""))) {
        report = benchmarkArchitecture(formerArchitectureFromArguments(args, ""), bench, progress);
    } else {
        report = benchmarkArchitecture(architectureFromArguments(args, "mimoconv-28-10"), bench, progress);
    }
    if (!json)
        std::fprintf(stderr, "\n");

    if (json) {
        nlohmann::json out{{"model", report.model},
                           {"device", report.device},
                           {"threads", report.threads},
                           {"parameters", report.parameters},
                           {"batch", bench.batch},
                           {"rounds", bench.rounds},
                           {"results", nlohmann::json::array()}};
        for (const auto& row : report.rows)
            out["results"].push_back({{"n", row.n},
                                      {"label", row.label},
                                      {"inputs_per_second", row.inputsPerSecond},
                                      {"median_seconds_per_batch", row.medianSeconds},
                                      {"speedup", row.speedup},
                                      {"round_seconds", row.roundSeconds},
                                      {"stage_seconds", stageJson(row)}});
        printJson(out);
        return 0;
    }
    std::printf("%s\n%lld parameters, device %s, %d thread(s), batch %d, %d rounds interleaved\n", report.model.c_str(),
                static_cast<long long>(report.parameters), report.device.c_str(), report.threads, bench.batch,
                bench.rounds);
    std::printf("%4s %-12s %14s %14s %9s\n", "N", "computed as", "inputs/s", "s/batch", "speedup");
    for (const auto& row : report.rows)
        std::printf("%4d %-12s %14.1f %14.4f %8.2fx\n", row.n, row.label.c_str(), row.inputsPerSecond, row.medianSeconds,
                    row.speedup);
    if (bench.breakdown)
        printBreakdown(report);
    return 0;
}

// The dataset a model was made for, when the user names none.
std::string executableDirectory()
{
    std::error_code error;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? std::string() : self.parent_path().string();
}

std::string nList(const std::vector<int>& ns)
{
    std::string text;
    for (int n : ns)
        text += (text.empty() ? "" : ",") + std::to_string(n);
    return text;
}

nlohmann::json listingJson(const ModelListing& model)
{
    nlohmann::json accuracy = nlohmann::json::object();
    for (const auto& [n, value] : model.card.testAccuracy)
        accuracy[std::to_string(n)] = value;
    return {{"name", model.card.name},
            {"file", model.path},
            {"family", model.family() == ModelFamily::Conv ? "mimoconv" : "mimoformer"},
            {"architecture", model.describe()},
            {"input", model.inputDescription()},
            {"dataset", model.card.dataset},
            {"supported_n", model.supportedN()},
            {"test_accuracy", accuracy},
            {"classes", model.card.classNames},
            {"training_command", model.card.trainingCommand},
            {"seed", model.card.seed},
            {"training_seconds", model.card.trainingSeconds},
            {"project_version", model.card.projectVersion}};
}

std::string accuracyText(const ModelCard& card)
{
    std::string text;
    for (const auto& [n, value] : card.testAccuracy)
        text += (text.empty() ? "" : ", ") + std::string("N=") + std::to_string(n) + " " + formatNumber(100.0 * value, 2) + "%";
    return text.empty() ? "not measured" : text;
}

int runListModels(const Words& words)
{
    const Arguments args(words, {"json"});
    args.allowOnly({"json", "dir"});
    std::vector<std::string> dirs = args.has("dir") ? std::vector<std::string>{args.text("dir", "")}
                                                    : bundledModelDirectories(executableDirectory());
    std::vector<std::string> problems;
    const auto models = listModels(dirs, &problems);
    if (args.flag("json")) {
        nlohmann::json out{{"directories", dirs}, {"models", nlohmann::json::array()}, {"problems", problems}};
        for (const auto& model : models)
            out["models"].push_back(listingJson(model));
        printJson(out);
        return 0;
    }
    if (dirs.empty())
        std::cout << "no model folder found (set MIMO_MODELS_DIR or pass --dir)\n";
    for (const auto& model : models)
        std::cout << model.card.name << "\n  file: " << model.path << "\n  architecture: " << model.describe()
                  << "\n  input: " << model.inputDescription() << "\n  dataset: " << model.card.dataset
                  << "\n  supported N: " << nList(model.supportedN())
                  << "\n  test accuracy: " << accuracyText(model.card) << "\n";
    if (models.empty() && !dirs.empty())
        std::cout << "no models in " << dirs.front() << "\n";
    for (const auto& problem : problems)
        std::cerr << "skipped: " << problem << "\n";
    return 0;
}

int runInfo(const Words& words)
{
    const Arguments args(words, {"json"});
    args.allowOnly({"json"});
    const auto model = readModelListing(args.positional(0, "model file"));
    if (args.flag("json")) {
        auto out = listingJson(model);
        out["evaluation"] = model.card.evaluation;
        out["notes"] = model.card.notes;
        if (model.family() == ModelFamily::Conv)
            out["input_spec"] = {{"channels", model.conv().input.channels},
                                 {"height", model.conv().input.height},
                                 {"width", model.conv().input.width},
                                 {"mean", model.conv().input.mean},
                                 {"std", model.conv().input.stddev}};
        else
            out["input_spec"] = {{"kind", model.former().inputKind},
                                 {"max_length", model.former().maxLength},
                                 {"vocabulary_size", model.former().vocabularySize},
                                 {"image_height", model.former().imageHeight},
                                 {"image_width", model.former().imageWidth},
                                 {"trained_grid", {model.former().gridM, model.former().gridN}}};
        printJson(out);
        return 0;
    }
    std::cout << toMarkdown(model.card, model.describe());
    return 0;
}

int runPredict(const Words& words)
{
    const Arguments args(words, {"json"});
    args.allowOnly({"model", "n", "top", "device", "json"});
    const std::string modelPath = args.text("model", "");
    if (modelPath.empty())
        throw UsageError("--model FILE is required");
    if (args.positionals().empty())
        throw UsageError("give one or more inputs: image files, or sequences (files or text) for a sequence model");
    const auto listing = readModelListing(modelPath);
    PredictionRequest request;
    request.modelPath = modelPath;
    request.n = static_cast<int>(args.integer("n", listing.largestN()));
    request.topK = static_cast<int>(args.integer("top", 3));
    request.device = args.text("device", "cpu");
    for (const auto& input : args.positionals()) {
        if (listing.takesImages()) {
            request.images.push_back(prepareImageFile(input, listing.conv().input));
        } else {
            // A file if one exists by that name, else the sequence itself (an expression, a text).
            std::error_code error;
            request.sequences.push_back(std::filesystem::is_regular_file(input, error)
                                            ? sequenceFromFile(listing.former(), input)
                                            : sequenceFromText(listing.former(), input, "argument '" + input + "'"));
        }
        request.sources.push_back(input);
    }
    const auto slots = listing.takesImages() ? predictImages(request) : predictSequences(request);
    if (args.flag("json")) {
        nlohmann::json out{{"model", modelPath}, {"n", request.n}, {"slots", nlohmann::json::array()}};
        const auto scores = [](const std::vector<ClassScore>& list) {
            nlohmann::json array = nlohmann::json::array();
            for (const auto& s : list)
                array.push_back({{"class", s.index}, {"name", s.name}, {"probability", s.probability}});
            return array;
        };
        for (const auto& slot : slots)
            out["slots"].push_back({{"source", slot.source},
                                    {"superposed", scores(slot.superposed)},
                                    {"alone", scores(slot.alone)},
                                    {"disagree", slot.disagree}});
        printJson(out);
        return 0;
    }
    std::printf("%s, N=%d (%zu inputs in %zu superposition(s))\n", modelPath.c_str(), request.n, slots.size(),
                slots.size() / size_t(request.n));
    for (const auto& slot : slots) {
        std::printf("%s%s\n  superposed:", slot.source.c_str(), slot.disagree ? "   <- differs from alone" : "");
        for (const auto& s : slot.superposed)
            std::printf("  %s %.1f%%", s.name.c_str(), 100.0 * s.probability);
        std::printf("\n  alone:     ");
        for (const auto& s : slot.alone)
            std::printf("  %s %.1f%%", s.name.c_str(), 100.0 * s.probability);
        std::printf("\n");
    }
    return 0;
}

} // namespace

std::vector<Command> modelCommands()
{
    return {
        {"list-models", "list the bundled models with their cards",
         "mimo list-models [--dir FOLDER] [--json]\n"
         "  Looks in $MIMO_MODELS_DIR, then the repository's models/ folder, then the installed one.",
         runListModels},
        {"predict", "classify image files in superposition, beside each alone",
         "mimo predict --model FILE [--n N] [--top 3] [--device cpu|cuda] [--json] IMAGE...\n"
         "  Each image is converted to the model's input (channels, size, normalisation; see\n"
         "  `mimo image prepare`); the number of images must be a multiple of N (default N_cap).",
         runPredict},
        {"info", "show a model file's architecture and card",
         "mimo info MODEL [--json]", runInfo},
        {"bench", "measure throughput per N (interleaved, after warm-up) and the speedup over N=1",
         std::string("mimo bench (--model FILE | --arch PRESET [overrides]) [--n 1,2,4] [--batch 128] [--rounds 5]\n"
                    "           [--warmup 1] [--device cpu|cuda|auto] [--threads T] [--length L] [--breakdown] [--json]\n"
                    "       mimo bench --attention-core [--grids 1,2,4] [--length 1024] [--heads 8] [--head-dim 64]\n"
                    "           [--features 256] [--batch 16] ...\n"
                    "  MIMOConv presets:\n") +
             kArchitectureUsage + "  MIMOFormer presets (N = sequences per superposition, on the squarest grid):\n" +
             kFormerArchitectureUsage +
             "  --attention-core times the attention kernel alone: Performer (grid 1) against MIMOFormer\n"
             "  att. on M x M grids, the same random q, k, v; N is M*M sequences per superposition.\n"
             "  --breakdown adds separate rounds timing every stage of the forward pass per N.\n" +
             "  Every N runs on the same batch of images, rounds interleaved; CUDA is synchronised\n"
             "  before each clock read. --arch builds random weights: speed needs no trained model.",
         runBench},
    };
}

} // namespace mimo::cli
