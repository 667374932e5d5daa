// A torch.save archive as `mimo import-official` reads it (zip, pickle, tensor records).
#include "core/model/torch_save_reader.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string path = fuzzing::writeInput(data, size, "checkpoint.pt");
    fuzzing::expectCleanRefusal([&] { mimo::readTorchSaveTensors(path); });
    return 0;
}
