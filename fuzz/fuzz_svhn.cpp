// SVHN's .mat reader (libmatio under our checks): the bytes as a file of its own and as the
// test split of a folder.
#include "core/data/svhn.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string file = fuzzing::writeInput(data, size, "svhn/test_32x32.mat");
    fuzzing::expectCleanRefusal([&] { mimo::loadSvhnFile(file); });
    fuzzing::expectCleanRefusal([&] { mimo::loadSvhn((fuzzing::folder() / "svhn").string(), mimo::Split::Test); });
    return 0;
}
