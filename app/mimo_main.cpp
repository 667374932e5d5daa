// `mimo`: the command-line face of core. Headless; builds without Qt.
#include "cli/command_line.h"
#include "core/runtime.h"

int main(int argc, char** argv)
{
    mimo::initialiseCompute();
    return mimo::cli::runCommandLine(std::vector<std::string>(argv + 1, argv + argc));
}
