// Any encoded image OpenCV reads, through the preprocessing a model input takes (grey 28x28,
// letterboxed, inverted on a light background; and colour 32x32 cropped).
#include "core/data/image_preprocess.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::vector<uint8_t> bytes(data, data + size);
    mimo::ImageInputSpec grey;
    grey.invert = mimo::InvertMode::IfLightBackground;
    fuzzing::expectCleanRefusal([&] { mimo::prepareImageBytes(bytes, "fuzz.png", grey); });
    mimo::ImageInputSpec colour;
    colour.channels = 3;
    colour.height = colour.width = 32;
    colour.aspect = mimo::AspectMode::CenterCrop;
    fuzzing::expectCleanRefusal([&] { mimo::prepareImageBytes(bytes, "fuzz.jpg", colour); });
    return 0;
}
