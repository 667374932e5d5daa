#pragma once
#include <nlohmann/json.hpp>

#include <string>

namespace mimo::cli {

// JSON has no infinity or NaN: they are written as the strings "inf", "-inf", "nan".
nlohmann::json jsonNumber(double value);
void printJson(const nlohmann::json& value);
// Fixed-point text for tables, with inf/nan spelled out.
std::string formatNumber(double value, int decimals);

} // namespace mimo::cli
