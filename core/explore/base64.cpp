#include "core/explore/base64.h"

#include "core/errors.h"

#include <string>

namespace mimo {
namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

} // namespace

std::string base64Encode(const std::vector<uint8_t>& bytes)
{
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const uint32_t a = bytes[i], b = i + 1 < bytes.size() ? bytes[i + 1] : 0, c = i + 2 < bytes.size() ? bytes[i + 2] : 0;
        const uint32_t triple = (a << 16) | (b << 8) | c;
        out += kBase64[(triple >> 18) & 63];
        out += kBase64[(triple >> 12) & 63];
        out += i + 1 < bytes.size() ? kBase64[(triple >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? kBase64[triple & 63] : '=';
    }
    return out;
}

std::vector<uint8_t> base64Decode(const std::string& text, const std::string& source)
{
    std::vector<uint8_t> out;
    out.reserve(text.size() / 4 * 3);
    uint32_t buffer = 0;
    int bits = 0;
    std::size_t padding = 0, symbols = 0;
    for (char ch : text) {
        if (ch == '\n' || ch == '\r' || ch == ' ')
            continue;
        if (ch == '=') {
            ++padding;
            continue;
        }
        const char* at = std::char_traits<char>::find(kBase64, 64, ch);
        if (!at || padding)
            throw DataError(source, "embedded data is not valid base64");
        buffer = (buffer << 6) | uint32_t(at - kBase64);
        ++symbols;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(uint8_t((buffer >> bits) & 0xff));
        }
    }
    // A cut-off text leaves one symbol over, or padding that does not complete a group of four.
    if (symbols % 4 == 1 || padding > 2 || (padding && (symbols + padding) % 4 != 0))
        throw DataError(source, "embedded data is not valid base64 (truncated)");
    return out;
}

} // namespace mimo
