#include "core/errors.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <new>

namespace mimo {
namespace {

// Length of the UTF-8 sequence starting at text[i] when it is valid and printable, else 0.
std::size_t printableSequence(const std::string& text, std::size_t i)
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    if (lead >= 0x20 && lead < 0x7f)
        return 1;
    if (lead == '\n' || lead == '\t')
        return 1;
    std::size_t length = 0;
    uint32_t code = 0;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
        code = lead & 0x1fu;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        code = lead & 0x0fu;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        code = lead & 0x07u;
    } else {
        return 0;
    }
    if (i + length > text.size())
        return 0;
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xc0) != 0x80)
            return 0;
        code = (code << 6) | (byte(i + k) & 0x3fu);
    }
    const bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
    const bool invalid = code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff);
    const bool c1Control = code >= 0x80 && code <= 0x9f;
    return overlong || invalid || c1Control ? 0 : length;
}

} // namespace

std::string printableText(const std::string& text, std::size_t maxBytes)
{
    std::string out;
    out.reserve(std::min(text.size(), maxBytes) + 8);
    for (std::size_t i = 0; i < text.size();) {
        if (out.size() >= maxBytes) {
            out += "...";
            break;
        }
        const std::size_t length = printableSequence(text, i);
        if (length == 0) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02X", static_cast<unsigned char>(text[i]));
            out += escaped;
            ++i;
        } else {
            out.append(text, i, length);
            i += length;
        }
    }
    return out;
}

std::string libraryErrorText(const std::string& message)
{
    const auto has = [&](const char* part) { return message.find(part) != std::string::npos; };
    if (has("alloc_cpu") || has("DefaultCPUAllocator") || has("out of memory") || has("Failed to allocate") ||
        has("Insufficient memory"))
        return "not enough memory";
    if (has("INTERNAL ASSERT") || has("Could this error message be improved"))
        return "an internal check of a library failed";
    std::string line = message.substr(0, message.find('\n'));
    // nlohmann::json's identifier of the exception ("[json.exception.out_of_range.403] ").
    if (line.rfind("[json.exception.", 0) == 0 && line.find("] ") != std::string::npos)
        line.erase(0, line.find("] ") + 2);
    return printableText(line, 200);
}

std::string userErrorText(const std::exception& error)
{
    if (dynamic_cast<const Error*>(&error))
        return printableText(error.what());
    if (dynamic_cast<const std::bad_alloc*>(&error))
        return "not enough memory for this step";
    return libraryErrorText(error.what());
}

} // namespace mimo
