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

} // namespace mimo::cli
