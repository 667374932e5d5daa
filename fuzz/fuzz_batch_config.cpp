// A batch evaluation config (what `mimo eval --config` and `mimo-explorer --batch` read) and a
// batch result file (what `mimo-explorer --plot` reads), from the same text.
#include "core/explore/batch_evaluation.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    fuzzing::expectCleanRefusal([&] { mimo::batchConfigFromJson(text, "batch.json", fuzzing::folder().string()); });
    fuzzing::expectCleanRefusal([&] { mimo::batchResultFromJson(text, "results.json"); });
    return 0;
}
