// The records the explorer reads back from its video decoder process (core/data/video_stream.h):
// whatever the child sends, fed in pieces as pipes deliver them.
#include "core/data/video_stream.h"
#include "fuzz_support.h"

#include <algorithm>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    fuzzing::expectCleanRefusal([&] {
        mimo::VideoStreamReader reader("fuzz.avi");
        // In two pieces split where the first byte says: a record may arrive in parts.
        const size_t split = size == 0 ? 0 : std::min<size_t>(size, data[0]);
        reader.append(data, split);
        (void)reader.takeNewest();
        reader.append(data + split, size - split);
        (void)reader.takeNewest();
    });
    return 0;
}
