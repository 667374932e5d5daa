#pragma once
// Base64 (RFC 4648, with padding), for bytes embedded in JSON files: session files keep pasted
// images this way.
#include <cstdint>
#include <string>
#include <vector>

namespace mimo {

std::string base64Encode(const std::vector<uint8_t>& bytes);
// Throws DataError(source, ...) for text that is not base64 or is cut off; whitespace is skipped.
std::vector<uint8_t> base64Decode(const std::string& text, const std::string& source);

} // namespace mimo
