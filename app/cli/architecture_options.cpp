#include "cli/architecture_options.h"

namespace mimo::cli {

const char* const kArchitectureUsage =
    "  --arch PRESET       wrn-28-10, mimoconv-28-10 (the paper's CIFAR-10 models), their -cifar100\n"
    "                      variants, fmnist-wrn, fmnist-mimoconv (the bundled Fashion-MNIST sizes)\n"
    "  --depth D --width K --stem D0 --capacity N_CAP --binding HRR|MBAT|None\n"
    "  --activation prelu|relu --channels C --size S --classes K   override the preset\n";

const std::set<std::string>& architectureOptionNames()
{
    static const std::set<std::string> names{"arch",   "depth",   "width",      "stem", "capacity",
                                             "binding", "activation", "channels", "size", "classes"};
    return names;
}

MimoConvConfig architectureFromArguments(const Arguments& args, const std::string& defaultPreset)
{
    MimoConvConfig config = convPreset(args.text("arch", defaultPreset));
    config.depth = static_cast<int>(args.integer("depth", config.depth));
    config.widthFactor = static_cast<int>(args.integer("width", config.widthFactor));
    config.stemWidth = static_cast<int>(args.integer("stem", config.stemWidth));
    config.capacity = static_cast<int>(args.integer("capacity", config.capacity));
    config.numClasses = static_cast<int>(args.integer("classes", config.numClasses));
    const int channels = static_cast<int>(args.integer("channels", config.input.channels));
    if (channels != config.input.channels) {
        config.input.channels = channels;
        config.input.mean = {0.5f};
        config.input.stddev = {0.25f};
    }
    config.input.height = config.input.width = static_cast<int>(args.integer("size", config.input.height));
    if (args.has("binding")) {
        const std::string binding = args.text("binding", "");
        if (binding == "HRR" || binding == "hrr")
            config.binding = ConvBinding::HRR;
        else if (binding == "MBAT" || binding == "mbat")
            config.binding = ConvBinding::MBAT;
        else if (binding == "None" || binding == "none")
            config.binding = ConvBinding::None;
        else
            throw UsageError("--binding must be HRR, MBAT or None");
    }
    if (args.has("activation")) {
        const std::string activation = args.text("activation", "");
        if (activation != "prelu" && activation != "relu")
            throw UsageError("--activation must be prelu or relu");
        config.activation = activation == "prelu" ? ConvActivation::PReLU : ConvActivation::ReLU;
    }
    config.validate();
    return config;
}

const char* const kFormerArchitectureUsage =
    "  --arch PRESET       TASK-VARIANT: TASK listops-short, fmnist-seq (CPU-sized), lra-listops,\n"
    "                      lra-image, lra-text (LRA); VARIANT performer, mimo (att.), mimo-mlp (att.+MLP)\n"
    "  --attention performer|mimo-att|mimo-att-mlp --grid-m M --grid-n N --dim D --ff F --heads H\n"
    "  --head-dim DH --layers K --features R --length L --dropout P --buffer-seed S   override the preset\n";

const std::set<std::string>& formerArchitectureOptionNames()
{
    static const std::set<std::string> names{"arch",   "attention", "grid-m",   "grid-n",  "dim",     "ff",
                                             "heads",  "head-dim",  "layers",   "features", "length", "dropout",
                                             "buffer-seed"};
    return names;
}

MimoFormerConfig formerArchitectureFromArguments(const Arguments& args, const std::string& defaultPreset)
{
    MimoFormerConfig config = formerPreset(args.text("arch", defaultPreset));
    if (args.has("attention")) {
        config.attention = formerAttentionFromName(args.text("attention", ""));
        if (config.attention == FormerAttention::Performer)
            config.gridM = config.gridN = 1;
        else if (config.gridM * config.gridN == 1)
            config.gridM = config.gridN = 2;
    }
    config.gridM = static_cast<int>(args.integer("grid-m", config.gridM));
    config.gridN = static_cast<int>(args.integer("grid-n", config.gridN));
    config.dim = static_cast<int>(args.integer("dim", config.dim));
    config.ffDim = static_cast<int>(args.integer("ff", config.ffDim));
    config.heads = static_cast<int>(args.integer("heads", config.heads));
    config.headDim = static_cast<int>(args.integer("head-dim", config.headDim));
    config.layers = static_cast<int>(args.integer("layers", config.layers));
    config.features = static_cast<int>(args.integer("features", config.features));
    config.maxLength = static_cast<int>(args.integer("length", config.maxLength));
    config.dropout = args.number("dropout", config.dropout);
    config.bufferSeed = static_cast<uint64_t>(args.integer("buffer-seed", static_cast<int64_t>(config.bufferSeed)));
    config.validate();
    return config;
}

} // namespace mimo::cli
