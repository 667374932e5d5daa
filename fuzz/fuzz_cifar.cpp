// A CIFAR-10 test batch and a CIFAR-100 test file, from the same bytes.
#include "core/data/cifar.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    fuzzing::writeInput(data, size, "cifar10/test_batch.bin");
    fuzzing::writeInput(data, size, "cifar100/test.bin");
    fuzzing::expectCleanRefusal([&] { mimo::loadCifar10((fuzzing::folder() / "cifar10").string(), mimo::Split::Test); });
    fuzzing::expectCleanRefusal([&] { mimo::loadCifar100((fuzzing::folder() / "cifar100").string(), mimo::Split::Test); });
    return 0;
}
