// `mimo import-official`: official PyTorch checkpoints into MIMO Explorer model files.
#include "cli/architecture_options.h"
#include "cli/arguments.h"
#include "cli/commands.h"
#include "core/model/official_import.h"

#include "core/errors.h"

#include <fstream>
#include <iostream>

namespace mimo::cli {
namespace {

int runImport(const Words& words)
{
    const Arguments args(words, {});
    std::set<std::string> known{"out", "name", "classes-file", "input-kind", "image-size", "grid-m", "grid-n"};
    known.insert(architectureOptionNames().begin(), architectureOptionNames().end());
    args.allowOnly(known);
    const std::string checkpoint = args.positional(0, "checkpoint file");
    OfficialImportOptions options;
    options.inputSize = static_cast<int>(args.integer("size", 32));
    bool explicitArchitecture = false;
    for (const auto& name : architectureOptionNames())
        explicitArchitecture |= name != "size" && args.has(name);
    if (explicitArchitecture)
        options.architecture = architectureFromArguments(args, "mimoconv-28-10");
    options.name = args.text("name", "");
    if (args.has("classes-file")) {
        const std::string path = args.text("classes-file", "");
        std::ifstream in(path);
        if (!in)
            throw DataError(path, "cannot open the class-names file");
        for (std::string line; std::getline(in, line);)
            if (!line.empty() && line != "\r")
                options.classNames.push_back(line.back() == '\r' ? line.substr(0, line.size() - 1) : line);
        if (options.classNames.empty())
            throw DataError(path, "the class-names file is empty (one name per line)");
    }
    options.inputKind = args.text("input-kind", "tokens");
    options.imageSide = static_cast<int>(args.integer("image-size", 0));
    options.gridM = static_cast<int>(args.integer("grid-m", 0));
    options.gridN = static_cast<int>(args.integer("grid-n", 0));
    const std::string out = args.text("out", "");
    if (out.empty())
        throw UsageError("--out FILE is required");
    options.command = "build/bin/mimo import-official";
    for (const auto& word : words)
        options.command += " " + word;
    const auto result = importOfficialCheckpoint(checkpoint, out, options);
    std::cout << "imported " << result.tensorCount << " tensors as " << result.description
              << (result.inferred ? " (architecture inferred from the tensor shapes)" : "") << "\nwrote " << out << '\n';
    return 0;
}

} // namespace

std::vector<Command> importCommands()
{
    return {
        {"import-official", "convert an official MIMONets PyTorch checkpoint into a model file",
         std::string("mimo import-official CHECKPOINT --out FILE [--size 32] [--name TEXT] [--classes-file FILE]\n"
                     "                     [--arch PRESET [overrides]] [--input-kind K] [--image-size S] [--grid-m M --grid-n N]\n"
                     "  CHECKPOINT is torch.save({'model_state_dict': ...}) from the official MIMOConv code (or\n"
                     "  a bare state_dict). Without --arch the architecture is inferred from the tensor shapes;\n"
                     "  the input size is not stored in the weights (default 32, CIFAR).\n"
                     "  MIMOFormer / Performer checkpoints (ModelForSC: model.*, seq_classifer.*) are recognised\n"
                     "  by their names; everything is inferred from the shapes, the stored random features and\n"
                     "  bipolar keys are kept. --input-kind tokens|listops|text|pixels [--image-size S] says what\n"
                     "  the tokens mean (the official datasets number tokens their own way: default tokens).\n"
                     "  The grid M x N is read from the keys' shape (1, M_max, N_max, ...); --grid-m/--grid-n\n"
                     "  select the slice [:M, :N] the model was run with when M_max was larger.\n") +
             kArchitectureUsage,
         runImport},
    };
}

} // namespace mimo::cli
