// ListOps: a TSV dataset file, and the same bytes as a typed expression (parser, evaluator,
// tokenizer).
#include "core/data/listops.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string path = fuzzing::writeInput(data, size, "listops.tsv");
    fuzzing::expectCleanRefusal([&] { mimo::listops::readTsv(path); });
    const std::string text(reinterpret_cast<const char*>(data), size);
    fuzzing::expectCleanRefusal([&] { mimo::listops::evaluate(text, "<typed>"); });
    fuzzing::expectCleanRefusal([&] { mimo::listops::tokenize(text, "<typed>"); });
    fuzzing::expectCleanRefusal([&] { mimo::listops::lraForm(text, "<typed>"); });
    return 0;
}
