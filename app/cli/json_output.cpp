#include "cli/json_output.h"

#include <cmath>
#include <cstdio>
#include <iostream>

namespace mimo::cli {

nlohmann::json jsonNumber(double value)
{
    if (std::isnan(value))
        return "nan";
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    return value;
}

void printJson(const nlohmann::json& value) { std::cout << value.dump(2) << '\n'; }

std::string formatNumber(double value, int decimals)
{
    if (std::isnan(value))
        return "n/a";
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

} // namespace mimo::cli
