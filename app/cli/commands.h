#pragma once
// The `mimo` subcommands. Each takes the words after its name and returns the exit code;
// usage mistakes throw cli::UsageError, bad input throws mimo::Error.
#include <functional>
#include <string>
#include <vector>

namespace mimo::cli {

using Words = std::vector<std::string>;

struct Command {
    std::string name;
    std::string summary;
    std::string usage; // the full help text of the command
    std::function<int(const Words&)> run;
};

std::vector<Command> vsaCommands();
std::vector<Command> dataCommands();
std::vector<Command> modelCommands();
std::vector<Command> trainCommands();
std::vector<Command> importCommands();
std::vector<Command> interferenceCommands();
std::vector<Command> evalCommands();

} // namespace mimo::cli
