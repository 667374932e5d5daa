#pragma once
// SHA-256 (FIPS 180-4), for the weights checksum of model files; core has no crypto library.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace mimo {

class Sha256 {
public:
    Sha256();
    void add(const void* data, std::size_t size);
    void add(const std::string& text) { add(text.data(), text.size()); }
    // The digest as 64 lowercase hex digits; call once, after the last add().
    std::string hex();

private:
    void block(const uint8_t* chunk);

    std::array<uint32_t, 8> state_;
    std::array<uint8_t, 64> buffer_{};
    std::size_t buffered_ = 0;
    uint64_t length_ = 0;
};

} // namespace mimo
