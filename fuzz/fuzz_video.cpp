// A video file as Inputs > Camera or Video plays it: opened through OpenCV's FFmpeg backend and
// read for a few frames (a file starts again after its last).
#include "core/data/video_frames.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string path = fuzzing::writeInput(data, size, "fuzz.avi");
    fuzzing::expectCleanRefusal([&] {
        auto frames = mimo::VideoFrames::openFile(path);
        for (int i = 0; i < 3; ++i)
            frames.next();
    });
    return 0;
}
