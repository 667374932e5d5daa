#pragma once
// The whole `mimo` command line (CLI11): every command and option, declared once with its
// help, default and check, bound to the structs of commands.h.
#include <string>
#include <vector>

namespace mimo::cli {

// `words` are the arguments after the program name. Returns the exit code: 0, 1 for bad input
// or a failed run, 2 for a usage mistake, 130 for an interrupted training.
int runCommandLine(const std::vector<std::string>& words);

} // namespace mimo::cli
