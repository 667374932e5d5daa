#include "core/model/precision.h"

#include "core/errors.h"
#include "core/model/device.h"

namespace mimo {

std::string precisionName(Precision precision)
{
    switch (precision) {
    case Precision::Bf16:
        return "bf16";
    case Precision::Fp16:
        return "fp16";
    case Precision::Fp32:
        break;
    }
    return "fp32";
}

Precision parsePrecision(const std::string& name)
{
    for (Precision p : {Precision::Fp32, Precision::Bf16, Precision::Fp16})
        if (name == precisionName(p))
            return p;
    throw Error("precision '" + printableText(name, 40) + "' is none of fp32, bf16 (mixed, bfloat16), fp16 (mixed, float16)");
}

void checkPrecisionOn(Precision precision, const std::string& device)
{
    if (precision == Precision::Fp16 && resolveDeviceName(device).rfind("cuda", 0) != 0)
        throw Error("fp16 mixed precision needs CUDA: LibTorch's autocast on the CPU knows bfloat16 only "
                    "(use --precision bf16, or --device cuda)");
}

} // namespace mimo
