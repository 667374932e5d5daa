// IDX image and label files, plain and gzip (the first byte picks which reader and name).
#include "core/data/idx_reader.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1)
        return 0;
    const bool labels = data[0] & 1, gzip = data[0] & 2;
    const std::string path = fuzzing::writeInput(data + 1, size - 1, std::string(labels ? "l-labels-idx1-ubyte" : "i-images-idx3-ubyte") + (gzip ? ".gz" : ""));
    fuzzing::expectCleanRefusal([&] {
        if (labels)
            mimo::readIdxLabels(path, 10);
        else
            mimo::readIdxImages(path);
    });
    return 0;
}
