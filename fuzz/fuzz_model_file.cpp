// A model file: archive, architecture JSON, card, weights; loading builds the model.
#include "core/model/model_file.h"
#include "fuzz_support.h"

#include <ATen/Parallel.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const bool once = [] { at::set_num_threads(1); return true; }();
    (void)once;
    const std::string path = fuzzing::writeInput(data, size, "model.pt");
    fuzzing::expectCleanRefusal([&] { mimo::loadModel(path); });
    fuzzing::expectCleanRefusal([&] { mimo::readModelInfo(path); });
    return 0;
}
