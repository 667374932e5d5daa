#pragma once
// The arithmetic a forward pass runs in: fp32, or mixed precision (autocast) in bfloat16 or
// float16 for the operations that gain from it (matrix products, convolutions), with the
// reductions and the loss in fp32. Plain data.
#include <string>

namespace mimo {

enum class Precision { Fp32, Bf16, Fp16 };

std::string precisionName(Precision precision); // "fp32", "bf16", "fp16"
// Throws mimo::Error for a name that is none of those.
Precision parsePrecision(const std::string& name);
// Throws mimo::Error when the device cannot run it: LibTorch autocasts on the CPU to bfloat16
// only, so fp16 needs CUDA.
void checkPrecisionOn(Precision precision, const std::string& device);

} // namespace mimo
