// A text classification TSV (label, tab, text).
#include "core/data/text_tsv.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string path = fuzzing::writeInput(data, size, "text.tsv");
    fuzzing::expectCleanRefusal([&] { mimo::readTextTsv(path); });
    return 0;
}
