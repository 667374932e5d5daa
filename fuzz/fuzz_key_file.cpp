// A binding-key file.
#include "core/explore/key_file.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string path = fuzzing::writeInput(data, size, "keys.txt");
    fuzzing::expectCleanRefusal([&] { mimo::readKeyFile(path); });
    return 0;
}
