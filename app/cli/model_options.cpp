// The model commands' options: list-models, predict, info, bench, train, import-official,
// interference and eval, and the architectures (--arch PRESET, then overrides).
#include "cli/command_options.h"
#include "core/errors.h"
#include "core/model/official_pipelines.h"

namespace mimo::cli {
namespace {

bool isFormerPreset(const std::string& name)
{
    const auto names = formerPresetNames();
    return std::find(names.begin(), names.end(), name) != names.end();
}

const char* const kConvPresets =
    "MIMOConv: --arch wrn-28-10, mimoconv-28-10 (the paper's CIFAR-10 models), their -cifar100 variants,\n"
    "fmnist-wrn, fmnist-mimoconv (the bundled Fashion-MNIST sizes); the options below override the preset";
const char* const kFormerPresets =
    "MIMOFormer: --arch TASK-VARIANT, TASK listops-short, fmnist-seq (CPU-sized), lra-listops, lra-image,\n"
    "lra-text (LRA); VARIANT performer, mimo (att.), mimo-mlp (att.+MLP); the options below override the preset";

// --arch and the overrides of `conv` and/or `former` (either may be null), in one group. The
// family --arch names is loaded from its preset first: CLI11 runs the callbacks of a group's
// options in the order they are declared, so every override given then replaces its field.
CLI::App* addArchitectureOptions(CLI::App& command, MimoConvConfig* conv, MimoFormerConfig* former)
{
    const std::string description = conv && former ? std::string(kConvPresets) + "\n" + kFormerPresets
                                                   : conv ? kConvPresets : kFormerPresets;
    CLI::App* group = command.add_option_group("Architecture", description);
    group->option_defaults()->always_capture_default(false); // the preset's values
    group->add_option_function<std::string>(
             "--arch",
             [conv, former](const std::string& name) {
                 if (former && (!conv || isFormerPreset(name)))
                     *former = formerPreset(name);
                 else
                     *conv = convPreset(name);
             },
             "the preset to start from")
        ->type_name("PRESET");
    if (conv) {
        group->add_option("--depth", conv->depth, "network depth: 10, 16 or 28")->type_name("D");
        group->add_option("--width", conv->widthFactor, "width factor")->type_name("K");
        group->add_option("--stem", conv->stemWidth, "stem channels, the binding dimension")->type_name("D0");
        group->add_option("--capacity", conv->capacity, "superposition slots")->type_name("N_CAP");
        addNamed(*group, "--binding", conv->binding,
                 fromTable<ConvBinding>({{"hrr", ConvBinding::HRR}, {"mbat", ConvBinding::MBAT}, {"none", ConvBinding::None}}),
                 "HRR|MBAT|None", "binding of the inputs to the slots");
        addNamed(*group, "--activation", conv->activation,
                 fromTable<ConvActivation>({{"prelu", ConvActivation::PReLU}, {"relu", ConvActivation::ReLU}}),
                 "prelu|relu", "activation");
        group->add_option_function<int>(
                 "--channels",
                 [conv](int channels) {
                     if (channels == conv->input.channels)
                         return;
                     conv->input.channels = channels;
                     conv->input.mean = {0.5f};
                     conv->input.stddev = {0.25f};
                 },
                 "input channels (another count than the preset's normalises with 0.5, 0.25)")
            ->type_name("C");
        group->add_option_function<int>(
                 "--size", [conv](int size) { conv->input.height = conv->input.width = size; }, "input height and width")
            ->type_name("S");
        group->add_option("--classes", conv->numClasses, "classes")->type_name("K");
    }
    if (former) {
        group->add_option_function<std::string>(
                 "--attention",
                 [former](const std::string& name) {
                     former->attention = formerAttentionFromName(name);
                     if (former->attention == FormerAttention::Performer)
                         former->gridM = former->gridN = 1;
                     else if (former->gridM * former->gridN == 1)
                         former->gridM = former->gridN = 2;
                 },
                 "attention (a MIMO one on a 1 x 1 grid gets 2 x 2)")
            ->type_name("performer|mimo-att|mimo-att-mlp");
        group->add_option("--grid-m", former->gridM, "M, key bundles")->type_name("M");
        group->add_option("--grid-n", former->gridN, "N, query bundles")->type_name("N");
        group->add_option("--dim", former->dim, "model dimension")->type_name("D");
        group->add_option("--ff", former->ffDim, "MLP width")->type_name("F");
        group->add_option("--heads", former->heads, "attention heads")->type_name("H");
        group->add_option("--head-dim", former->headDim, "dimension per head")->type_name("DH");
        group->add_option("--layers", former->layers, "layers")->type_name("K");
        group->add_option("--features", former->features, "random features of FAVOR+")->type_name("R");
        group->add_option("--length", former->maxLength, "longest sequence")->type_name("L");
        group->add_option("--dropout", former->dropout, "dropout")->type_name("P");
        group->add_option("--buffer-seed", former->bufferSeed, "draws the fixed keys and random features")
            ->type_name("S")
            ->check(wholeNumber());
    }
    return group;
}

// `mimo train NAME`, which records its command line in the card: the options conv and former
// share (the two configurations name these fields alike), then those `declare` adds.
template <class Config, class Declare>
void addTrainCommand(Commands& commands, CLI::App& group, const std::string& name, const std::string& summary,
                     int (*run)(const Config&), Declare declare)
{
    const auto record = [run, &commands](Config& config) {
        config.command = commands.recorded();
        return run(config);
    };
    commands.add<Config>(group, name, summary, record, [declare](CLI::App& train, Config& config) {
        train.add_option("--out", config.output, "the model file to write, with FILE.md (its card)")
            ->required()
            ->type_name("FILE");
        train.add_option("--data", config.trainData, "training data (SPEC as in `mimo data`)")->type_name("SPEC");
        train.add_option("--test-data", config.testData, "test data")->type_name("SPEC");
        train.add_option("--data-dir", config.dataDir, "the Fashion-MNIST folder")->type_name("DIR");
        train.add_option("--batch", config.batch, "batch per step (per rank in a data-parallel group)")->check(positive());
        train.add_option("--lr", config.maxLr, "peak learning rate of the OneCycle schedule");
        train.add_option("--wd", config.weightDecay, "weight decay");
        train.add_option("--seed", config.seed, "random seed")->check(wholeNumber());
        train.add_option("--device", config.device, "cpu or cuda");
        train.add_option("--checkpoint", config.checkpoint, "the checkpoint (default FILE.ckpt)")->type_name("FILE");
        train.add_option("--checkpoint-minutes", config.checkpointMinutes, "minutes between checkpoints");
        train.add_flag("--restart", config.restart, "ignore an existing checkpoint");
        train.add_option("--init", config.initialWeights,
                         "start from this model file's weights (same architecture), not a fresh initialisation")
            ->type_name("FILE");
        addList(train, "--eval-n", config.evalNs, "N of the learning curve and the card (default: all the model serves)");
        train.add_option("--curve-limit", config.curveEvalLimit, "test items per learning-curve point")->check(wholeNumber());
        train.add_option("--name", config.name, "the model's name in its card")->type_name("TEXT");
        addPrecisionOption(train, config.precision);
        addDistributedOptions(train, config.distributed);
        declare(train, config);
    });
}

// `mimo bench` times one of four things; which, the options given say.
int runBenchAsGiven(BenchOptions& bench, const CLI::App& command)
{
    const auto given = [&command](const char* name) { return command.count(name) > 0; };
    bench.bench.length = given("--length") ? bench.former.maxLength : 0;
    if (bench.target == BenchOptions::Target::AttentionCore) {
        if (given("--model") || given("--n") || given("--arch") || given("--breakdown"))
            throw UsageError("--attention-core times random tensors on the grids of --grids; it takes no "
                             "--model, --arch, --n or --breakdown");
        if (!given("--batch"))
            bench.bench.batch = 16; // 16 sequences of 1024 tokens already hold 1 GB of random features
    } else if (given("--model")) {
        for (const CLI::Option* option : command.get_option_group("Architecture")->get_options())
            if (option->count() && option->get_name() != "--length") // the benchmark's sequence length
                throw UsageError(option->get_name() + " describes an architecture; a --model file brings its own");
        bench.target = BenchOptions::Target::ModelFile;
    } else if (given("--arch") && isFormerPreset(command.get_option("--arch")->as<std::string>())) {
        bench.target = BenchOptions::Target::FormerArchitecture;
    }
    return runBench(bench);
}

} // namespace

void addModelCommands(Commands& commands, CLI::App& mimo)
{
    commands.add<ListModelsOptions>(mimo, "list-models", "list the bundled models with their cards", runListModels,
                                    [](CLI::App& command, ListModelsOptions& list) {
                                        command.add_option("--dir", list.dir, "the folder to list")->type_name("FOLDER");
                                        addJson(command, list.json);
                                        command.footer("Looks in $MIMO_MODELS_DIR, then the repository's models/ "
                                                       "folder, then the installed one.");
                                    });

    const auto predictInputs = [](PredictOptions& predict, const CLI::App& command) {
        predict.inputs = freeWords(command, "inputs: image files, or sequences (files or text) for a sequence model");
        return runPredict(predict);
    };
    commands.add<PredictOptions>(
        mimo, "predict", "classify image files in superposition, beside each alone", predictInputs,
        [](CLI::App& command, PredictOptions& predict) {
            command.allow_extras();
            command.add_option("--model", predict.model, "the model file")->required()->type_name("FILE");
            command.add_option("--n", predict.n, "inputs per superposition (default N_cap)")->type_name("N");
            command.add_option("--top", predict.top, "classes shown per input");
            command.add_option("--device", predict.device, "cpu or cuda");
            addJson(command, predict.json);
            command.footer(R"(INPUT...: image files, or sequences (files or text) for a sequence model.
Each image is converted to the model's input (channels, size, normalisation; see
`mimo image prepare`); the number of inputs must be a multiple of N.)");
        });

    commands.add<InfoOptions>(mimo, "info", "show a model file's architecture and card", runInfo,
                              [](CLI::App& command, InfoOptions& info) {
                                  command.add_option("MODEL", info.model, "the model file")->required();
                                  addJson(command, info.json);
                              });

    commands.add<BenchOptions>(
        mimo, "bench", "measure throughput per N (interleaved, after warm-up) and the speedup over N=1", runBenchAsGiven,
        [](CLI::App& command, BenchOptions& bench) {
            bench.conv = convPreset("mimoconv-28-10");
            bench.former.heads = 8; // --attention-core's defaults; an --arch preset brings its own
            bench.former.headDim = 64;
            bench.former.features = 256;
            command.add_option("--model", bench.model, "the model file to time")->type_name("FILE");
            addList(command, "--n", bench.bench.ns, "inputs per superposition");
            command.add_option("--batch", bench.bench.batch, "inputs per pass, for every N (--attention-core: 16)")
                ->check(positive());
            command.add_option("--rounds", bench.bench.rounds, "timed passes per N")->check(atLeast(1));
            command.add_option("--warmup", bench.bench.warmup, "untimed passes per N");
            command.add_option("--device", bench.bench.device, "cpu, cuda or auto");
            command.add_option("--threads", bench.bench.threads, "CPU threads (0: the process setting)");
            command.add_flag("--breakdown", bench.bench.breakdown, "also time every stage of the forward pass per N");
            addPrecisionOption(command, bench.bench.precision);
            command.add_flag("--channels-last", bench.bench.channelsLast, "MIMOConv: the batch in channels-last memory");
            command.add_flag_callback(
                "--attention-core", [&bench] { bench.target = BenchOptions::Target::AttentionCore; },
                "time the attention kernel alone on random q, k, v");
            addList(command, "--grids", bench.grids, "--attention-core: M for M x M grids");
            addJson(command, bench.json);
            addArchitectureOptions(command, &bench.conv, &bench.former);
            command.footer(R"(Without --model, --arch builds random weights (speed needs no trained model); default mimoconv-28-10.
For a MIMOFormer preset N is sequences per superposition, on the squarest grid; --length is
also the sequence length of a --model file.
--attention-core times the attention kernel alone: Performer (grid 1) against MIMOFormer
att. on M x M grids, the same random q, k, v; N is M*M sequences per superposition. It takes
--length (1024), --heads (8), --head-dim (64) and --features (256).
Every N runs on the same batch of inputs, rounds interleaved; CUDA is synchronised before
each clock read.)");
        });
}

void addTrainCommands(Commands& commands, CLI::App& mimo)
{
    CLI::App& train = commands.addGroup(
        mimo, "train", "train a MIMOConv / WRN baseline or a MIMOFormer / Performer (official recipes) into a model file");
    train.footer("Checkpoints every few minutes; the same command resumes. Ctrl-C stops after saving a\n"
                 "checkpoint. Writes FILE and FILE.md (the model card).");

    addTrainCommand(commands, train, "conv", "MIMOConv or its WRN baseline (SGD, OneCycle cosine)", runTrainConv,
                    [](CLI::App& command, ConvTrainConfig& conv) {
                        conv.architecture = convPreset("fmnist-mimoconv");
                        command.add_option("--epochs", conv.epochs, "official epochs (N_cap passes over the data each)")
                            ->check(positive());
                        command.add_option("--mixup", conv.mixupAlpha, "mixup alpha (0: off)");
                        command.add_option("--binding-reg", conv.bindingRegularisation, "HRR key regularisation");
                        command.add_option("--iso-reg", conv.isometryRegularisation, "isometry regularisation (PReLU)");
                        command.add_option("--iso-every", conv.isometryEvery, "apply it every k-th step, scaled by k")
                            ->check(atLeast(1));
                        command.add_option("--skip-ratio", conv.gradientSkipRatio,
                                           "skip a step whose gradient norm exceeds this x last epoch's mean (0: never)");
                        command.add_option("--low-n", conv.lowN, "dynamic training: this N with probability 1 - fast-fraction")
                            ->type_name("N");
                        command.add_option("--fast-fraction", conv.fastFraction, "share of the steps at N_cap");
                        command.add_option("--crop-padding", conv.cropPadding, "random crop after padding by this many pixels");
                        command.add_flag_callback("--zero-padding", [&conv] { conv.reflectPadding = false; },
                                                  "pad with zeros, not by reflection");
                        command.add_flag_callback("--no-flip", [&conv] { conv.horizontalFlip = false; }, "no horizontal flips");
                        command.add_option("--eval-every", conv.evalEveryEpochs, "epochs between learning-curve points");
                        command.add_flag("--channels-last", conv.channelsLast, "image batches in channels-last memory");
                        command.add_option("--distill", conv.distillation.teacherPath,
                                           "distil from this trained model's soft targets (not the paper's recipe)")
                            ->type_name("FILE");
                        command.add_option("--distill-weight", conv.distillation.weight,
                                           "share of the distillation term in the loss (0 to 1)");
                        command.add_option("--distill-temperature", conv.distillation.temperature,
                                           "temperature of the teacher's and the student's softmax");
                        addArchitectureOptions(command, &conv.architecture, nullptr);
                        command.footer(R"(An epoch is N_cap passes over the data (batch*N_cap images per step), as in the
official code; --data defaults to fashion-mnist:train, --arch to fmnist-mimoconv.)");
                    });

    addTrainCommand(commands, train, "former", "MIMOFormer or its Performer baseline (AdamW, OneCycle linear)",
                    runTrainFormer, [](CLI::App& command, FormerTrainConfig& former) {
                        former.architecture = formerPreset("listops-short-mimo");
                        command.get_option("--data")->required();
                        command.get_option("--test-data")->required();
                        command.add_option("--steps", former.steps, "optimizer steps")->check(positive());
                        command.add_option("--warmup", former.warmupSteps, "steps of rising learning rate");
                        command.add_option("--mimo-warmup", former.mimoWarmupSteps, "first steps at M/2 x N/2 (att. only)");
                        command.add_option("--eval-every", former.evalEverySteps, "steps between learning-curve points");
                        addArchitectureOptions(command, nullptr, &former.architecture);
                        command.footer(R"(AdamW (eps 1e-6) with OneCycle linear annealing that cycles beta1. The batch must be a
multiple of M*N. Sequences are padded to --length; token 0 is padding and masked.
--arch defaults to listops-short-mimo; SPEC e.g. listops:train.tsv, pixels:fashion-mnist:train.)");
                    });
}

void addImportCommand(Commands& commands, CLI::App& mimo)
{
    const auto importAsGiven = [&commands](ImportOptions& options, const CLI::App& command) {
        options.import.inputSize = command.count("--size") ? options.architecture.input.height : 0;
        for (const CLI::Option* option : command.get_option_group("Architecture")->get_options())
            if (option->count() && option->get_name() != "--size") {
                options.architecture.validate();
                options.import.architecture = options.architecture;
            }
        options.import.command = commands.recorded();
        return runImport(options);
    };
    commands.add<ImportOptions>(
        mimo, "import-official", "convert an official MIMONets PyTorch checkpoint into a model file", importAsGiven,
        [](CLI::App& command, ImportOptions& options) {
            OfficialImportOptions& import = options.import;
            options.architecture = convPreset("mimoconv-28-10");
            command.add_option("CHECKPOINT", options.checkpoint, "torch.save({'model_state_dict': ...}) or a bare state_dict")
                ->required();
            command.add_option("--out", options.out, "the model file to write")->required()->type_name("FILE");
            command.add_option("--name", import.name, "the model's name")->type_name("TEXT");
            command.add_option("--classes-file", options.classesFile, "class names, one per line")->type_name("FILE");
            command.add_option("--dataset", import.dataset, "MIMOConv: the dataset whose official preprocessing to record")
                ->check(CLI::IsMember(officialPipelineNames()))
                ->type_name("mnist|fashion-mnist|cifar10|cifar100|svhn");
            command.add_option("--input-kind", import.inputKind, "MIMOFormer: what the tokens mean")
                ->type_name("tokens|listops|text|pixels");
            command.add_option("--vocabulary", import.vocabularyFile,
                               "MIMOFormer ListOps: the run's vocabulary, token<TAB>id per line")
                ->type_name("FILE");
            command.add_option("--image-size", import.imageSide, "MIMOFormer pixels: the image side")->type_name("S");
            command.add_option("--grid-m", import.gridM, "MIMOFormer: the M the model was run with")->type_name("M");
            command.add_option("--grid-n", import.gridN, "MIMOFormer: the N the model was run with")->type_name("N");
            addArchitectureOptions(command, &options.architecture, nullptr);
            command.footer(R"(Without --arch (or an override) a MIMOConv architecture is inferred from the tensor shapes.
The model records the official test-time preprocessing of --dataset (MIMOConv/src/datasets.py):
mnist 28x28 centre-cropped to 20x20, mean 0.1307, std 0.3081; cifar10, cifar100 32x32 with their
per-channel statistics; svhn 32x32, mean (109.9, 109.7, 113.8)/255, std (50.1, 50.6, 50.8)/255;
fashion-mnist (not an official dataset) MIMO Explorer's 28x28, 0.2860, 0.3530. Without --dataset
it is inferred: 1 channel MNIST, 3 channels CIFAR-100 at 100 classes, else CIFAR-10 (an SVHN
checkpoint looks the same: say --dataset svhn). --size S replaces the side (and the crop).
MIMOFormer / Performer checkpoints (ModelForSC: model.*, seq_classifer.*) are recognised by
their names; everything is inferred from the shapes, the stored random features and bipolar
keys are kept. --input-kind says what the tokens mean (the official datasets number tokens
their own way). The grid M x N is read from the keys' shape (1, M_max, N_max, ...);
--grid-m/--grid-n select the slice [:M, :N] the model was run with when M_max was larger.
ListOps ids come from the official run's own vocabulary, which the checkpoint does not hold:
--vocabulary FILE (token<TAB>id per line, all 15 tokens) reorders the embeddings to this
program's ids; without it the ids are assumed to be this program's (digits 1..10, [MIN 11,
[MAX 12, [MED 13, [SM 14, ] 15).)");
        });
}

void addInterferenceCommand(Commands& commands, CLI::App& mimo)
{
    commands.add<InterferenceOptions>(
        mimo, "interference", "MIMOFormer: query-key interference per layer and head against the Hoeffding bound",
        runInterference, [](CLI::App& command, InterferenceOptions& options) {
            InterferenceRequest& request = options.request;
            command.add_option("--model", request.modelPath, "the model file")->required()->type_name("FILE");
            command.add_option("--data", request.data, "the dataset")->required()->type_name("SPEC");
            command.add_option("--data-dir", request.dataDir, "the Fashion-MNIST folder")->type_name("DIR");
            command.add_option("--n", request.count, "sequences per superposition (0: the trained M*N)")
                ->check(atLeast(0))
                ->type_name("COUNT");
            command.add_option("--groups", request.groups, "groups of M*N consecutive items")->check(atLeast(1));
            command.add_option("--pairs", request.pairsPerGroup, "query/key position pairs per group")->check(atLeast(1));
            command.add_option("--seed", request.seed, "random seed")->check(wholeNumber());
            command.add_option("--device", request.device, "cpu or cuda");
            addJson(command, options.json);
            command.footer(R"(Runs --groups groups of M*N consecutive items of SPEC in superposition, samples --pairs
query/key position pairs per group, and splits every score q~_n.k~_m into the signal
q_mn.k_mn and the M*N-1 cross terms. Reports, per layer and head, the measured tails of
each cross term against Hoeffding's bound 2exp(-t^2/2) and of their sum against the union
bound, E[I^2] against its exact prediction, and the interference relative to |q||k|.
See docs/mimoformer-interference.md.)");
        });
}

void addEvalCommand(Commands& commands, CLI::App& mimo)
{
    const char* const fromFlags = "One model or a batch from flags (a --config file sets these)";
    const auto evalAsGiven = [fromFlags](EvalOptions& options, const CLI::App& command) {
        if (command.count("--keys") && command.count("--key-file"))
            throw UsageError("--keys and --key-file exclude each other");
        for (const CLI::Option* option : command.get_option_group(fromFlags)->get_options())
            if (command.count("--config") && option->count())
                throw UsageError(option->get_name() + " cannot be combined with --config: set it in the config file");
        return runEval(options);
    };
    commands.add<EvalOptions>(
        mimo, "eval", "accuracy and inputs per second per N on a dataset (one model, or a batch)", evalAsGiven,
        [fromFlags](CLI::App& command, EvalOptions& options) {
            command.add_option("--config", options.configFile, "a batch from a JSON file")->type_name("BATCH.json");
            command.add_option("--out", options.out, "write results.csv, results.json and config.json there")
                ->type_name("DIR");
            addJson(command, options.json);
            BatchConfig& batch = options.batch;
            CLI::App& group = *command.add_option_group(fromFlags);
            addList(group, "--model", batch.models, "one model, or several (a batch)")->type_name("FILE[,FILE...]");
            group.add_option("--data", batch.dataset, "the dataset (default: the model's test split)")->type_name("SPEC");
            addList(group, "--n", batch.ns, "inputs per superposition (default: all the model serves)");
            group.add_option("--limit", batch.limit, "only the first K items (0: all)")->type_name("K")->check(wholeNumber());
            addNamed(group, "--bn", batch.batchStatisticsBn, fromTable<bool>({{"running", false}, {"batch", true}}),
                     "running|batch", "batch norm statistics; batch reproduces the official evaluation")
                ->default_str("running");
            group.add_option_function<std::string>(
                     "--keys", [&batch](const std::string& text) { batch.keys = keyChoiceFromText(text); },
                     "replace the binding keys (HRR MIMOConv, MIMOFormer) by a drawn family, scaled to the\n"
                     "trained keys' length; the model file is not changed")
                ->type_name("trained|FAMILY[:SEED]")
                ->default_str("trained");
            group.add_option("--key-file", options.keyFile, "keys from a file")->type_name("FILE");
            group.add_option("--batch", batch.batch, "inputs per pass")->check(positive());
            group.add_option("--device", batch.device, "cpu, cuda or auto");
            group.add_option("--data-dir", batch.dataDir, "where dataset files are looked for")->type_name("DIR");
            addPrecisionOption(group, batch.precision);
            group.add_flag("--channels-last", batch.channelsLast, "MIMOConv: image batches in channels-last memory");
            addDistributedOptions(command, options.distributed);
            command.footer(R"(SPEC as in `mimo data`. All N run on the same batches, interleaved. Several models (or --config)
make a batch: a model that fails is reported and the others still run; N a model cannot serve
are skipped. config.json is the form `mimo-explorer --batch` reads (docs/batch-and-sessions.md).
Ctrl-C stops early and prints the partial results. As one rank of a group (mimo launch --nproc K
-- mimo eval ...), each rank evaluates every K-th batch and rank 0 prints the summed counts.)");
        });

    commands.add<CompareDevicesOptions>(
        mimo, "compare-devices", "the logits of models on the CPU and on another device, compared", runCompareDevices,
        [](CLI::App& command, CompareDevicesOptions& options) {
            addList(command, "--model", options.models, "the model files")->required()->type_name("FILE[,FILE...]");
            command.add_option("--device", options.device, "the device to check against the CPU");
            command.add_option("--data", options.data, "the dataset (default: the model's test split)")->type_name("SPEC");
            command.add_option("--data-dir", options.dataDir, "where dataset files are looked for")->type_name("DIR");
            command.add_option("--items", options.items, "the first K items")->type_name("K")->check(positive());
            command.add_option("--batch", options.batch, "items per pass")->check(positive());
            command.add_option("--tolerance", options.tolerance, "largest |logit difference| that passes");
            addJson(command, options.json);
            command.footer("Every N a model serves; exits with 1 when a logit differs by more than the tolerance "
                           "(scripts/device-check.sh runs it for every bundled model).");
        });
}

void addLaunchCommand(Commands& commands, CLI::App& mimo)
{
    commands.add<LaunchOptions>(
        mimo, "launch", "run K ranks of a data-parallel mimo train or eval on this machine", runLaunch,
        [](CLI::App& command, LaunchOptions& options) {
            command.add_option("--nproc", options.processes, "ranks on this machine")->required()->check(CLI::Range(1, 256));
            command.add_option("--nnodes", options.nodes, "machines in the group")->check(CLI::Range(1, 4096));
            command.add_option("--node-rank", options.nodeRank, "this machine's place, 0 to NNODES-1")->check(wholeNumber());
            command.add_option("--master-addr", options.masterAddr, "node 0's address")->type_name("HOST");
            command.add_option("--master-port", options.masterPort, "node 0's port")
                ->check(CLI::Range(1, 65535))
                ->default_str("a free port (one machine only)");
            command.add_option("--threads", options.threads, "OMP_NUM_THREADS of each rank")
                ->check(positive())
                ->default_str("cores / nproc");
            command.add_option("--grace", options.graceSeconds, "seconds the others get to stop after one rank fails")
                ->check(positive());
            command.add_option("command", options.command, "the command each rank runs, after --")->required();
            command.footer(R"(Example: mimo launch --nproc 2 -- mimo train former --out m.pt --batch 32
Each rank gets RANK, LOCAL_RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT and OMP_NUM_THREADS; Gloo
on the CPU, NCCL on CUDA (each rank on GPU LOCAL_RANK). On several machines run the same command
on each with --nnodes, --node-rank, and node 0's --master-addr and --master-port. When a rank
fails the others are stopped (TERM, then KILL after --grace seconds); the exit status is the
failed rank's. See docs/distributed.md.)");
        });
}

} // namespace mimo::cli
