// The `mimo` command line: the data and VSA commands' options, and parsing and exit codes for all.
#include "cli/command_line.h"

#include "cli/command_options.h"
#include "core/errors.h"
#include "core/numbers.h"
#include "core/runtime.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <new>
#include <optional>

namespace mimo::cli {

CLI::Validator atLeast(double minimum, bool strictly)
{
    return CLI::Validator(
        [minimum, strictly](std::string& text) -> std::string {
            char* end = nullptr;
            const double value = std::strtod(text.c_str(), &end);
            if (text.empty() || *end != '\0')
                return "expects a number, not '" + text + "'";
            if (strictly ? value > minimum : value >= minimum)
                return {};
            char bound[32];
            std::snprintf(bound, sizeof bound, "%g", minimum);
            if (strictly && minimum == 0)
                return "must be positive, not " + text;
            return std::string(strictly ? "must be above " : "must be at least ") + bound + ", not " + text;
        },
        "", "at least");
}

CLI::Validator positive() { return atLeast(0, true); }

CLI::Validator wholeNumber()
{
    return CLI::Validator(
        [](std::string& text) -> std::string {
            if (parseWholeNumber<uint64_t>(text))
                return {};
            return "must be a whole number of 0 or more (digits only), not '" + text + "'";
        },
        "", "whole number");
}

void addJson(CLI::App& app, bool& json) { app.add_flag("--json", json, "print JSON"); }

void addPrecisionOption(CLI::App& command, Precision& precision)
{
    addNamed(
        command, "--precision", precision,
        [](const std::string& text) -> std::optional<Precision> {
            try {
                return parsePrecision(text);
            } catch (const Error&) {
                return std::nullopt;
            }
        },
        "fp32|bf16|fp16", "arithmetic: fp32, or mixed precision (autocast) in bfloat16 or float16 (CUDA)")
        ->default_str("fp32");
}

void addDistributedOptions(CLI::App& command, DistributedSettings& settings)
{
    const char* const group = "Data-parallel group (default: RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT; mimo launch sets them)";
    command.add_option("--rank", settings.rank, "this process's rank, 0 to WORLD_SIZE-1")
        ->group(group)
        ->check(wholeNumber())
        ->default_str("$RANK, else 0");
    command.add_option("--world-size", settings.worldSize, "processes in the group")
        ->group(group)
        ->check(positive())
        ->default_str("$WORLD_SIZE, else 1");
    command.add_option("--master-addr", settings.masterAddr, "rank 0's address")
        ->group(group)
        ->type_name("HOST")
        ->default_str("$MASTER_ADDR, else 127.0.0.1");
    command.add_option("--master-port", settings.masterPort, "rank 0's port")
        ->group(group)
        ->check(CLI::Range(1, 65535))
        ->default_str("$MASTER_PORT, else 29500");
    command.add_option("--dist-timeout", settings.timeoutSeconds, "seconds a rank waits for the others")
        ->group(group)
        ->check(positive());
}

std::vector<std::string> freeWords(const CLI::App& command, const std::string& what)
{
    const std::vector<std::string> words = command.remaining();
    for (const auto& word : words)
        if (word.rfind("--", 0) == 0)
            throw UsageError("unknown option " + word);
    if (words.empty())
        throw UsageError("missing " + what);
    return words;
}

namespace {

std::string keyFamilyNames()
{
    std::string names;
    for (KeyFamily family : allKeyFamilies())
        names += (names.empty() ? "" : "|") + keyFamilyName(family);
    return names;
}

std::string datasetForms()
{
    std::string text = "SPEC is one of:";
    for (const auto& form : datasetSpecForms())
        text += "\n  " + form;
    return text;
}

} // namespace

void addVsaCommands(Commands& commands, CLI::App& mimo)
{
    commands.add<KeysOptions>(
        mimo, "keys", "generate binding keys and show their similarity", runKeys, [](CLI::App& command, KeysOptions& keys) {
            addNamed(command, "--family", keys.family, parseKeyFamily, keyFamilyNames(), "key family")
                ->default_str("sphere");
            command.add_option("--count", keys.count, "how many keys")->check(positive());
            command.add_option("--dim", keys.dim, "dimension D")->check(positive());
            command.add_option("--seed", keys.seed, "random seed")->check(wholeNumber());
            addJson(command, keys.json);
            command.footer("The same family, count, dim and seed give the same keys on every machine.");
        });

    commands.add<VsaInterferenceOptions>(
        mimo, "vsa-interference", "measure input-level interference of superposition against theory", runVsaInterference,
        [](CLI::App& command, VsaInterferenceOptions& options) {
            vsa::SweepConfig& sweep = options.sweep;
            addNamed(command, "--binding", sweep.binding, parseBinding, "hrr|map", "binding")->default_str("hrr");
            addNamed(command, "--unbinding", sweep.unbinding, parseUnbinding, "approximate|exact", "unbinding")
                ->default_str("approximate");
            addNamed(command, "--family", options.family, parseKeyFamily, keyFamilyNames(),
                     "key family (default: bipolar for map, sphere for hrr)");
            command.add_option("--dim", sweep.dim, "dimension D")->check(positive());
            addList(command, "--n", sweep.ns, "inputs per superposition")->check(atLeast(1));
            command.add_option("--trials", sweep.trials, "trials per N")->check(atLeast(1));
            command.add_option("--seed", sweep.seed, "random seed")->check(wholeNumber());
            command.add_option("--guard", sweep.guard, "guard against division by tiny Fourier coefficients");
            addJson(command, options.json);
            command.footer(R"(Binds N Gaussian inputs with N keys, sums them, unbinds every slot and reports the
mean cosine to the original and the signal-to-crosstalk ratio, beside the closed form
(docs/vsa-interference.md). 'n/a' marks cases with no finite closed form.)");
        });
}

namespace {

// SPEC and where its files are, for `data info` and `data show`.
void addDatasetOptions(CLI::App& command, DatasetOptions& dataset)
{
    command.add_option("SPEC", dataset.spec, "the dataset, e.g. fashion-mnist:test")->required();
    command.add_option("--data-dir", dataset.data.fashionMnistDir,
                       "the Fashion-MNIST folder (else $MIMO_FASHION_MNIST_DIR, else /usr/share/datasets/fashion-mnist)")
        ->type_name("DIR");
    command.add_option("--length", dataset.data.sequenceLength, "ListOps sequence length (0: LRA's 2000)")
        ->type_name("L")
        ->check(wholeNumber());
    command.footer(datasetForms());
}

void addImageSpecOptions(CLI::App& command, ImageInputSpec& spec)
{
    command.add_option("--channels", spec.channels, "1 or 3");
    command.add_option_function<int>("--size", [&spec](int size) { spec.height = spec.width = size; }, "height and width")
        ->default_str("28");
    command.add_option("--height", spec.height, "height");
    command.add_option("--width", spec.width, "width");
    addNamed(command, "--aspect", spec.aspect,
             fromTable<AspectMode>({{"stretch", AspectMode::Stretch}, {"center-crop", AspectMode::CenterCrop},
                                    {"crop", AspectMode::CenterCrop}, {"letterbox", AspectMode::Letterbox},
                                    {"pad", AspectMode::Letterbox}}),
             "stretch|center-crop|letterbox", "how another aspect ratio fits")
        ->default_str("letterbox");
    addNamed(command, "--invert", spec.invert,
             fromTable<InvertMode>({{"never", InvertMode::Never}, {"always", InvertMode::Always},
                                    {"auto", InvertMode::IfLightBackground}}),
             "never|always|auto", "invert the gray values (auto: on a light background)")
        ->default_str("never");
    command.add_option("--crop-from", spec.cropFrom,
                       "first bring the image to SxS, then keep the centre height x width (MNIST's official 28 -> 20)")
        ->type_name("S")
        ->check(wholeNumber());
    command.add_option_function<float>("--mean", [&spec](float mean) { spec.mean = {mean}; }, "normalisation mean")
        ->default_str("0");
    command.add_option_function<float>(
               "--std", [&spec](float stddev) { spec.stddev = {stddev}; }, "normalisation standard deviation")
        ->default_str("1");
}

} // namespace

void addDataCommands(Commands& commands, CLI::App& mimo)
{
    CLI::App& data = commands.addGroup(mimo, "data", "describe a dataset or show one of its items");
    data.footer(datasetForms());
    commands.add<DatasetOptions>(data, "info", "the size, shape and classes of a dataset", runDataInfo,
                                 [](CLI::App& command, DatasetOptions& dataset) {
                                     addDatasetOptions(command, dataset);
                                     addJson(command, dataset.json);
                                     command.add_flag("--check", dataset.check,
                                                      "read every item and list those that cannot be read (exit "
                                                      "code 1 when there are any; eval and train skip them)");
                                 });
    commands.add<DatasetOptions>(data, "show", "one item: an image as text, a sequence decoded", runDataShow,
                                 [](CLI::App& command, DatasetOptions& dataset) {
                                     addDatasetOptions(command, dataset);
                                     command.add_option("--index", dataset.index, "which item")->type_name("I");
                                 });

    CLI::App& video = commands.addGroup(mimo, "video", "decode a video file (the explorer's camera dialog uses it)");
    commands.add<VideoFramesOptions>(
        video, "frames", "a video file's frames as raw RGB records on standard output", runVideoFrames,
        [](CLI::App& command, VideoFramesOptions& options) {
            command.add_option("file", options.path, "the video")->required()->type_name("FILE");
            command.add_option("--fps", options.fps, "at most this many frames a second (0: no limit)")->check(atLeast(0));
            command.add_option("--count", options.count, "stop after this many frames (0: loop the file)")->check(atLeast(0))->check(wholeNumber());
            command.footer("Each record: \"MVF1\", width and height (uint32, little-endian), the frame's index (uint64),\n"
                           "then width x height x 3 bytes of RGB rows. The file plays in a loop until the reader goes.\n"
                           "Video decoding runs in this separate process so that a file made to break the decoder\n"
                           "cannot take the explorer with it.");
        });

    CLI::App& listops = commands.addGroup(mimo, "listops", "generate ListOps data (LRA generator) or evaluate an expression");
    commands.add<ListOpsGenerateOptions>(
        listops, "generate", "write generated ListOps examples to a TSV file", runListOpsGenerate,
        [](CLI::App& command, ListOpsGenerateOptions& options) {
            listops::GeneratorConfig& generator = options.generator;
            command.add_option("--out", options.out, "the file to write")->required()->type_name("FILE.tsv");
            command.add_option("--count", options.count, "examples")->check(atLeast(1));
            command.add_option("--min-length", generator.minLength, "shortest length (exclusive)");
            command.add_option("--max-length", generator.maxLength, "longest length (exclusive)");
            command.add_option("--max-depth", generator.maxDepth, "deepest nesting");
            command.add_option("--max-args", generator.maxArgs, "most arguments of an operator");
            command.add_option("--seed", generator.seed, "random seed")->check(wholeNumber());
            addNamed(command, "--line-endings", options.lineEnding,
                     fromTable<listops::LineEnding>({{"crlf", listops::LineEnding::Crlf}, {"lf", listops::LineEnding::Lf}}),
                     "crlf|lf", "line endings of the file")
                ->default_str("crlf");
            command.footer("Defaults are LRA's: lengths 500 < L < 2000, depth 10, up to 10 arguments; CRLF line endings\n"
                           "as the official writer's files have them (every reader here takes both). Length counts\n"
                           "the tokens without parentheses, as LRA's generator does.");
        });
    commands
        .add(listops, "eval", "the value of an expression, e.g. mimo listops eval \"[MAX 2 9 [MIN 4 7 ] 0 ]\"",
             [](const CLI::App& eval) { return runListOpsEval(freeWords(eval, "expression")); })
        .allow_extras();

    CLI::App& image = commands.addGroup(mimo, "image", "show how an image file is prepared for a model's input");
    commands.add<ImagePrepareOptions>(image, "prepare", "every preprocessing step with its numbers, then the result as text",
                                      runImagePrepare, [](CLI::App& command, ImagePrepareOptions& prepare) {
                                          command.add_option("FILE", prepare.path, "the image file")->required();
                                          addImageSpecOptions(command, prepare.spec);
                                      });
}

namespace {

// The deepest command given: `train conv` in `mimo train conv --out m.pt`.
const CLI::App& selectedCommand(const CLI::App& mimo)
{
    const CLI::App* command = &mimo;
    while (!command->get_subcommands().empty())
        command = command->get_subcommands().front();
    return *command;
}

// "mimo train conv", for messages.
std::string commandPath(const CLI::App& mimo)
{
    std::string path;
    for (const CLI::App* command = &selectedCommand(mimo); command; command = command->get_parent())
        path = command->get_name() + (path.empty() ? "" : " ") + path;
    return path;
}

} // namespace

int runCommandLine(const std::vector<std::string>& words)
{
    CLI::App mimo("MIMO Explorer's command line: multiple-input multiple-output networks that\n"
                  "compute on several inputs at once, in superposition (Menet et al., NeurIPS 2023).",
                  "mimo");
    mimo.option_defaults()->always_capture_default();
    mimo.set_help_flag("-h,--help", "show this text");
    mimo.set_version_flag(
        "--version", [] { return "mimo " + projectVersion() + " (" + computeBackendSummary() + ")"; },
        "show the version and the compute backend");
    mimo.get_formatter()->label("SUBCOMMAND", "COMMAND");
    mimo.get_formatter()->column_width(26);

    Commands commands(words);
    addVsaCommands(commands, mimo);
    addDataCommands(commands, mimo);
    addModelCommands(commands, mimo);
    addTrainCommands(commands, mimo);
    addImportCommand(commands, mimo);
    addInterferenceCommand(commands, mimo);
    addEvalCommand(commands, mimo);
    addLaunchCommand(commands, mimo);
    mimo.footer("Run 'mimo COMMAND --help' for the options of a command."); // after them: they would inherit it

    if (words.empty() || words[0] == "help") {
        std::cout << mimo.help();
        return words.empty() ? 2 : 0;
    }
    const auto named = [&words](const CLI::App* command) { return command->get_name() == words[0]; };
    if (words[0].rfind("-", 0) != 0 && mimo.get_subcommands(named).empty()) {
        std::cerr << "mimo: unknown command '" << words[0] << "' (see mimo --help)\n";
        return 2;
    }
    try {
        mimo.parse(std::vector<std::string>(words.rbegin(), words.rend())); // CLI11 takes them last first
        const CLI::App& command = selectedCommand(mimo);
        if (&command == &mimo) // no command: `mimo --`
            throw CLI::CallForHelp();
        return commands.run(command);
    } catch (const CLI::CallForHelp&) {
        std::cout << mimo.help();
        return 0;
    } catch (const CLI::CallForVersion& version) {
        std::cout << version.what() << '\n';
        return 0;
    } catch (const CLI::ParseError& error) {
        std::cerr << commandPath(mimo) << ": " << error.what() << "\nSee '" << commandPath(mimo) << " --help'.\n";
        return 2;
    } catch (const UsageError& error) {
        std::cerr << commandPath(mimo) << ": " << error.what() << "\nSee '" << commandPath(mimo) << " --help'.\n";
        return 2;
    } catch (const std::exception& error) {
        std::cerr << commandPath(mimo) << ": error: " << userErrorText(error) << '\n';
        return 1;
    }
}

} // namespace mimo::cli
