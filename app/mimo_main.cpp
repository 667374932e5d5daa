// `mimo`: the command-line face of core. Headless; builds without Qt.
#include "cli/arguments.h"
#include "cli/commands.h"
#include "core/errors.h"
#include "core/runtime.h"

#include <exception>
#include <iostream>

namespace {

using mimo::cli::Command;

std::vector<Command> allCommands()
{
    std::vector<Command> commands = mimo::cli::vsaCommands();
    for (auto& command : mimo::cli::dataCommands())
        commands.push_back(std::move(command));
    for (auto& command : mimo::cli::modelCommands())
        commands.push_back(std::move(command));
    for (auto& command : mimo::cli::trainCommands())
        commands.push_back(std::move(command));
    for (auto& command : mimo::cli::importCommands())
        commands.push_back(std::move(command));
    for (auto& command : mimo::cli::interferenceCommands())
        commands.push_back(std::move(command));
    for (auto& command : mimo::cli::evalCommands())
        commands.push_back(std::move(command));
    return commands;
}

void printUsage(const std::vector<Command>& commands)
{
    std::cout << "Usage: mimo <command> [options]\n"
                 "       mimo <command> --help\n\n"
                 "MIMO Explorer's command line: multiple-input multiple-output networks that\n"
                 "compute on several inputs at once, in superposition (Menet et al., NeurIPS 2023).\n\n"
                 "Commands:\n";
    for (const auto& command : commands)
        std::cout << "  " << command.name << std::string(command.name.size() < 18 ? 18 - command.name.size() : 1, ' ')
                  << command.summary << '\n';
    std::cout << "\nOptions:\n  --help     show this text\n  --version  show the version and the compute backend\n";
}

} // namespace

int main(int argc, char** argv)
{
    const std::vector<std::string> words(argv + 1, argv + argc);
    mimo::initialiseCompute();
    const auto commands = allCommands();
    if (words.empty() || words[0] == "--help" || words[0] == "-h" || words[0] == "help") {
        printUsage(commands);
        return words.empty() ? 2 : 0;
    }
    if (words[0] == "--version") {
        std::cout << "mimo " << mimo::projectVersion() << " (" << mimo::computeBackendSummary() << ")\n";
        return 0;
    }
    for (const auto& command : commands) {
        if (command.name != words[0])
            continue;
        const std::vector<std::string> rest(words.begin() + 1, words.end());
        for (const auto& word : rest)
            if (word == "--help" || word == "-h") {
                std::cout << command.usage << '\n';
                return 0;
            }
        try {
            return command.run(rest);
        } catch (const mimo::cli::UsageError& error) {
            std::cerr << "mimo " << command.name << ": " << error.what() << "\nUsage: " << command.usage << '\n';
            return 2;
        } catch (const mimo::Error& error) {
            std::cerr << "mimo " << command.name << ": error: " << error.what() << '\n';
            return 1;
        } catch (const std::exception& error) {
            std::cerr << "mimo " << command.name << ": unexpected error: " << error.what() << '\n';
            return 1;
        }
    }
    std::cerr << "mimo: unknown command '" << words[0] << "' (see mimo --help)\n";
    return 2;
}
