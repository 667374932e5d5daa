#pragma once
// Whole numbers read from JSON or text with the checks that nlohmann's get<int>() and
// std::stoull leave out: they truncate 1.5 to 1, turn 1e20 into -2147483648 and -1 into
// 18446744073709551615. Here a number is accepted only when it is whole and fits the target
// type. Header only (nlohmann is header only).
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>

namespace mimo {

// The value as T when it is a whole number within T's range (2.0 counts, 2.5 does not), else
// nullopt.
template <typename T>
std::optional<T> wholeNumber(const nlohmann::json& value)
{
    static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>);
    constexpr auto lowest = std::numeric_limits<T>::min();
    constexpr auto highest = std::numeric_limits<T>::max();
    if (value.is_number_unsigned()) {
        const auto v = value.get<uint64_t>();
        if (v <= static_cast<uint64_t>(highest))
            return static_cast<T>(v);
        return std::nullopt;
    }
    if (value.is_number_integer()) {
        const auto v = value.get<int64_t>();
        if (v < 0 && std::is_unsigned_v<T>)
            return std::nullopt;
        if (v >= 0 && static_cast<uint64_t>(v) > static_cast<uint64_t>(highest))
            return std::nullopt;
        if (v < 0 && v < static_cast<int64_t>(lowest))
            return std::nullopt;
        return static_cast<T>(v);
    }
    if (value.is_number_float()) {
        // Exact for |d| < 2^53, which covers every size or count a file may sensibly hold.
        const double d = value.get<double>();
        if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) >= 9007199254740992.0)
            return std::nullopt;
        if (d < static_cast<double>(lowest) || d > static_cast<double>(highest))
            return std::nullopt;
        return static_cast<T>(d);
    }
    return std::nullopt;
}

// The value of text made only of decimal digits (an optional '-' for signed types) that fits T,
// else nullopt: "-1" for an unsigned type, "1.5", "12abc", " 3" and "" are all refused.
template <typename T>
std::optional<T> parseWholeNumber(const std::string& text)
{
    static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>);
    const bool negative = !text.empty() && text[0] == '-';
    if (negative && std::is_unsigned_v<T>)
        return std::nullopt;
    const std::size_t first = negative ? 1 : 0;
    if (text.size() == first || text.size() - first > 20)
        return std::nullopt;
    uint64_t magnitude = 0;
    for (std::size_t i = first; i < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9')
            return std::nullopt;
        const auto digit = uint64_t(text[i] - '0');
        if (magnitude > (std::numeric_limits<uint64_t>::max() - digit) / 10)
            return std::nullopt;
        magnitude = magnitude * 10 + digit;
    }
    if (!negative)
        return magnitude <= static_cast<uint64_t>(std::numeric_limits<T>::max()) ? std::optional<T>(T(magnitude))
                                                                                  : std::nullopt;
    // -(lowest) as uint64 without overflow
    const uint64_t limit = uint64_t(-(static_cast<int64_t>(std::numeric_limits<T>::min()) + 1)) + 1;
    if (magnitude > limit)
        return std::nullopt;
    return magnitude == 0 ? T(0) : T(-static_cast<int64_t>(magnitude - 1) - 1);
}

// The JSON value as people wrote it, cut short, for messages.
inline std::string jsonValueText(const nlohmann::json& value)
{
    std::string text = value.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
    return text.size() > 40 ? text.substr(0, 37) + "..." : text;
}

} // namespace mimo
