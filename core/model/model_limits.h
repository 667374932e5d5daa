#pragma once
// Bounds shared by both families' configs, checked before any module is built
// (docs/file-safety.md).
#include <cstdint>

namespace mimo {

// 50x the paper's largest model (WRN-28-10, 36.5 million); 800 MB of float weights.
inline constexpr int64_t kMaxModelParameters = 200'000'000;
inline constexpr int kMaxModelClasses = 10000;

} // namespace mimo
