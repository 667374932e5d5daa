// `mimo bench`: throughput per N of an architecture or a model file.
#include "cli/architecture_options.h"
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/json_output.h"
#include "core/data/dataset_spec.h"
#include "core/errors.h"
#include "core/eval/benchmark.h"
#include "core/eval/evaluation.h"
#include "core/eval/prediction.h"
#include "core/model/model_catalog.h"

#include <atomic>
#include <csignal>
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

int runBench(const Words& words)
{
    const Arguments args(words, {"json"});
    std::set<std::string> known{"model", "n", "batch", "rounds", "warmup", "device", "threads", "json"};
    known.insert(architectureOptionNames().begin(), architectureOptionNames().end());
    args.allowOnly(known);
    BenchConfig bench;
    bench.ns = intList(args, "n", bench.ns);
    bench.batch = static_cast<int>(args.integer("batch", bench.batch));
    bench.rounds = static_cast<int>(args.integer("rounds", bench.rounds));
    bench.warmup = static_cast<int>(args.integer("warmup", bench.warmup));
    bench.device = args.text("device", "cpu");
    bench.threads = static_cast<int>(args.integer("threads", 0));
    const bool json = args.flag("json");
    const auto progress = [json](const std::string& line) {
        if (!json)
            std::fprintf(stderr, "\r%s", line.c_str());
    };

    BenchReport report;
    if (args.has("model")) {
        if (args.has("arch"))
            throw UsageError("give --model FILE or --arch SPEC, not both");
        report = benchmarkModelFile(args.text("model", ""), bench, progress);
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
                                      {"inputs_per_second", row.inputsPerSecond},
                                      {"median_seconds_per_batch", row.medianSeconds},
                                      {"speedup", row.speedup},
                                      {"round_seconds", row.roundSeconds}});
        printJson(out);
        return 0;
    }
    std::printf("%s\n%lld parameters, device %s, %d thread(s), batch %d, %d rounds interleaved\n", report.model.c_str(),
                static_cast<long long>(report.parameters), report.device.c_str(), report.threads, bench.batch,
                bench.rounds);
    std::printf("%4s %14s %14s %9s\n", "N", "inputs/s", "s/batch", "speedup");
    for (const auto& row : report.rows)
        std::printf("%4d %14.1f %14.4f %8.2fx\n", row.n, row.inputsPerSecond, row.medianSeconds, row.speedup);
    return 0;
}

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
            {"architecture", model.config.describe()},
            {"dataset", model.card.dataset},
            {"supported_n", model.config.supportedN()},
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
        std::cout << model.card.name << "\n  file: " << model.path << "\n  architecture: " << model.config.describe()
                  << "\n  dataset: " << model.card.dataset << "\n  supported N: " << nList(model.config.supportedN())
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
        out["input"] = {{"channels", model.config.input.channels},
                        {"height", model.config.input.height},
                        {"width", model.config.input.width},
                        {"mean", model.config.input.mean},
                        {"std", model.config.input.stddev}};
        printJson(out);
        return 0;
    }
    std::cout << toMarkdown(model.card, model.config.describe());
    return 0;
}

std::atomic<bool> evalInterrupted{false};

int runEval(const Words& words)
{
    const Arguments args(words, {"json"});
    args.allowOnly({"model", "data", "n", "limit", "bn", "batch", "device", "data-dir", "json"});
    const std::string modelPath = args.text("model", "");
    if (modelPath.empty())
        throw UsageError("--model FILE is required");
    const auto listing = readModelListing(modelPath);
    EvalConfig config;
    config.ns = intList(args, "n", listing.config.supportedN());
    config.limit = static_cast<std::size_t>(args.integer("limit", 0));
    config.batch = static_cast<int>(args.integer("batch", config.batch));
    config.device = args.text("device", "cpu");
    const std::string bn = args.text("bn", "running");
    if (bn != "running" && bn != "batch")
        throw UsageError("--bn must be running or batch");
    config.batchStatisticsBn = bn == "batch";
    DataOptions options;
    options.fashionMnistDir = args.text("data-dir", "");
    options.imageSpec = listing.config.input;
    const std::string spec = args.text("data", "fashion-mnist:test");
    const DatasetPtr data = openDataset(spec, options);
    const bool json = args.flag("json");
    std::signal(SIGINT, [](int) { evalInterrupted = true; });
    const auto report = evaluateModelFile(
        modelPath, data, config,
        [json](const EvalReport&, std::size_t done, std::size_t total) {
            if (!json)
                std::fprintf(stderr, "\r%zu/%zu", done, total);
        },
        &evalInterrupted);
    if (!json)
        std::fprintf(stderr, "\n");
    if (json) {
        nlohmann::json out{{"model", modelPath}, {"data", spec}, {"device", report.device}, {"bn", bn},
                           {"cancelled", report.cancelled}, {"results", nlohmann::json::array()}};
        for (const auto& row : report.rows)
            out["results"].push_back({{"n", row.n},
                                      {"accuracy", row.accuracy},
                                      {"ci95", {row.ciLow, row.ciHigh}},
                                      {"correct", row.correct},
                                      {"count", row.count},
                                      {"inputs_per_second", row.inputsPerSecond},
                                      {"speedup", row.speedup},
                                      {"per_class_accuracy", row.perClassAccuracy}});
        printJson(out);
        return report.cancelled ? 130 : 0;
    }
    std::printf("%s on %s (%s, %s batch norm)%s\n", modelPath.c_str(), spec.c_str(), report.device.c_str(),
                bn.c_str(), report.cancelled ? ", CANCELLED: partial results" : "");
    std::printf("%4s %10s %19s %8s %12s %9s\n", "N", "accuracy", "95% interval", "count", "inputs/s", "speedup");
    for (const auto& row : report.rows)
        std::printf("%4d %9.2f%% %8.2f%% - %6.2f%% %8zu %12.1f %8.2fx\n", row.n, 100.0 * row.accuracy,
                    100.0 * row.ciLow, 100.0 * row.ciHigh, row.count, row.inputsPerSecond, row.speedup);
    return report.cancelled ? 130 : 0;
}

int runPredict(const Words& words)
{
    const Arguments args(words, {"json"});
    args.allowOnly({"model", "n", "top", "device", "json"});
    const std::string modelPath = args.text("model", "");
    if (modelPath.empty())
        throw UsageError("--model FILE is required");
    if (args.positionals().empty())
        throw UsageError("give one or more image files");
    const auto listing = readModelListing(modelPath);
    PredictionRequest request;
    request.modelPath = modelPath;
    request.n = static_cast<int>(args.integer("n", listing.config.capacity));
    request.topK = static_cast<int>(args.integer("top", 3));
    request.device = args.text("device", "cpu");
    for (const auto& path : args.positionals()) {
        request.images.push_back(prepareImageFile(path, listing.config.input));
        request.sources.push_back(path);
    }
    const auto slots = predictImages(request);
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
        {"eval", "accuracy and inputs per second per N on a dataset",
         "mimo eval --model FILE [--data SPEC] [--n 1,2,4] [--limit K] [--bn running|batch]\n"
         "          [--batch 256] [--device cpu|cuda|auto] [--data-dir DIR] [--json]\n"
         "  SPEC as in `mimo data` (default fashion-mnist:test). All N run on the same batches,\n"
         "  interleaved; --bn batch reproduces the official evaluation (batch statistics).\n"
         "  Ctrl-C stops early and prints the partial results.",
         runEval},
        {"bench", "measure throughput per N (interleaved, after warm-up) and the speedup over N=1",
         std::string("mimo bench (--model FILE | --arch PRESET [overrides]) [--n 1,2,4] [--batch 128] [--rounds 5]\n"
                    "           [--warmup 1] [--device cpu|cuda|auto] [--threads T] [--json]\n") +
             kArchitectureUsage +
             "  Every N runs on the same batch of images, rounds interleaved; CUDA is synchronised\n"
             "  before each clock read. --arch builds random weights: speed needs no trained model.",
         runBench},
    };
}

} // namespace mimo::cli
