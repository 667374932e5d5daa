// `mimo import-official`: official PyTorch checkpoints into MIMO Explorer model files.
#include "cli/commands.h"
#include "core/data/binary_file.h"
#include "core/model/official_import.h"

#include "core/errors.h"

#include <fstream>
#include <iostream>

namespace mimo::cli {

int runImport(ImportOptions options)
{
    if (!options.classesFile.empty()) {
        const std::string& path = options.classesFile;
        refuseSpecialFile(path, uint64_t(1) << 20, "class-names file");
        std::ifstream in(path);
        if (!in)
            throw DataError(path, "cannot open the class-names file");
        for (std::string line; std::getline(in, line);)
            if (!line.empty() && line != "\r")
                options.import.classNames.push_back(line.back() == '\r' ? line.substr(0, line.size() - 1) : line);
        if (options.import.classNames.empty())
            throw DataError(path, "the class-names file is empty (one name per line)");
    }
    const auto result = importOfficialCheckpoint(options.checkpoint, options.out, options.import);
    std::cout << "imported " << result.tensorCount << " tensors as " << result.description
              << (result.inferred ? " (architecture inferred from the tensor shapes)" : "") << '\n';
    if (!result.preprocessing.empty())
        std::cout << "preprocessing: " << result.preprocessing << '\n';
    for (const auto& note : result.notes)
        std::cout << "note: " << note << '\n';
    std::cout << "wrote " << options.out << '\n';
    return 0;
}

} // namespace mimo::cli
