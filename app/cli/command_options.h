#pragma once
// What the declarations of the `mimo` commands share (command_line.cpp, model_options.cpp): the
// table of commands and the kinds of option CLI11 does not spell out itself. Includes CLI11:
// keep it to these two files, it is heavy to compile.
#include "cli/commands.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace mimo::cli {

// Runs a command once the whole command line has parsed; it may ask its App what was given.
using Run = std::function<int(const CLI::App&)>;

// Every command and what runs it; the command line itself, for model cards.
class Commands {
public:
    explicit Commands(const std::vector<std::string>& words) : words_(words) {}

    CLI::App& add(CLI::App& parent, const std::string& name, const std::string& summary, Run run)
    {
        CLI::App* command = parent.add_subcommand(name, summary);
        command->group("Commands");
        runs_[command] = std::move(run);
        return *command;
    }

    // A command made of subcommands; alone it is a usage mistake that names them.
    CLI::App& addGroup(CLI::App& parent, const std::string& name, const std::string& summary)
    {
        return add(parent, name, summary, [](const CLI::App& group) -> int {
            std::string names;
            for (const CLI::App* sub : group.get_subcommands([](const CLI::App*) { return true; }))
                names += (names.empty() ? "" : ", ") + sub->get_name();
            throw UsageError("missing subcommand: " + names);
        });
    }

    // A command whose options fill one `Options`: `declare` adds them, bound to it; `run` gets it
    // once the whole line has parsed (with the parsed command, when it asks what was given).
    template <class Options, class Function, class Declare>
    CLI::App& add(CLI::App& parent, const std::string& name, const std::string& summary, Function runCommand, Declare declare)
    {
        auto options = std::make_shared<Options>();
        CLI::App& command = add(parent, name, summary, [options, runCommand](const CLI::App& parsed) {
            if constexpr (std::is_invocable_v<Function, Options&, const CLI::App&>)
                return runCommand(*options, parsed);
            else
                return runCommand(*options);
        });
        declare(command, *options);
        return command;
    }

    int run(const CLI::App& command) const { return runs_.at(&command)(command); }

    // The command line as a model card records it.
    std::string recorded() const
    {
        std::string command = "build/bin/mimo";
        for (const auto& word : words_)
            command += " " + (word.find(' ') == std::string::npos ? word : "'" + word + "'");
        return command;
    }

private:
    std::vector<std::string> words_;
    std::map<const CLI::App*, Run> runs_;
};

// A value named in words: `parse` gives it from the text, or nothing when the text is not one
// of `names` (shown in the help as the option's type).
template <class Target, class Parse>
CLI::Option* addNamed(CLI::App& app, const std::string& name, Target& target, Parse parse, const std::string& names,
                      const std::string& help)
{
    return app
        .add_option_function<std::string>(
            name,
            [&target, parse, name, names](const std::string& text) {
                const auto value = parse(text);
                if (!value)
                    throw CLI::ValidationError(name, "must be " + names + ", not '" + text + "'");
                target = *value;
            },
            help)
        ->type_name(names);
}

// The parser of a fixed table of names (any case).
template <class Value>
std::function<std::optional<Value>(const std::string&)> fromTable(std::vector<std::pair<std::string, Value>> table)
{
    return [table](const std::string& text) -> std::optional<Value> {
        std::string key = text;
        std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
        for (const auto& [name, value] : table)
            if (name == key)
                return value;
        return std::nullopt;
    };
}

// 1,2,4: one word, split at commas.
template <class T>
CLI::Option* addList(CLI::App& app, const std::string& name, std::vector<T>& target, const std::string& help)
{
    CLI::Option* option = app.add_option(name, target, help)->delimiter(',')->allow_extra_args(false)->type_name("N,N,...");
    return target.empty() ? option->default_str("") : option;
}

// A number of at least `minimum` (above it when `strictly`); positive: above 0.
CLI::Validator atLeast(double minimum, bool strictly = false);
CLI::Validator positive();
// Digits only: CLI11 reads "-1" into an unsigned option as 18446744073709551615, and "010" as 8.
CLI::Validator wholeNumber();
void addJson(CLI::App& app, bool& json);
// --precision fp32|bf16|fp16
void addPrecisionOption(CLI::App& command, Precision& precision);
// --rank, --world-size, --master-addr, --master-port, --dist-timeout (else the environment's).
void addDistributedOptions(CLI::App& command, DistributedSettings& settings);
// Free words, as given: a CLI11 positional list would read "[MAX 2 9 ]" as the list "MAX 2 9 ".
// The command allows extras, so an unknown option stands among them (and fails here).
std::vector<std::string> freeWords(const CLI::App& command, const std::string& what);

// The commands, in the order `mimo --help` lists them.
void addVsaCommands(Commands& commands, CLI::App& mimo);
void addDataCommands(Commands& commands, CLI::App& mimo);
void addModelCommands(Commands& commands, CLI::App& mimo);
void addTrainCommands(Commands& commands, CLI::App& mimo);
void addImportCommand(Commands& commands, CLI::App& mimo);
void addInterferenceCommand(Commands& commands, CLI::App& mimo);
void addEvalCommand(Commands& commands, CLI::App& mimo);
void addLaunchCommand(Commands& commands, CLI::App& mimo);

} // namespace mimo::cli
