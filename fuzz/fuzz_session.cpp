// A session file (JSON: model, N, keys, inputs, views, batch results).
#include "core/explore/session_file.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string path = fuzzing::writeInput(data, size, "work.mimo-session");
    fuzzing::expectCleanRefusal([&] { mimo::readSessionFile(path); });
    return 0;
}
