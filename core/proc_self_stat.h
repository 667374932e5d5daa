#pragma once
// Field `index` (1-based, as proc(5) numbers them) of /proc/self/stat; empty when there is none.
// The command name (field 2) may hold spaces and parentheses, so fields are counted after the
// last ')'. Shared by the start-up trace and the CPU load probe.
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace mimo {

inline std::string procSelfStatField(int index)
{
    std::ifstream stat("/proc/self/stat");
    const std::string line((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto close = line.rfind(')');
    if (close == std::string::npos || index < 3)
        return {};
    std::istringstream fields(line.substr(close + 1));
    std::string field;
    for (int at = 3; fields >> field; ++at)
        if (at == index)
            return field;
    return {};
}

} // namespace mimo
