#pragma once
// Frames of a camera or a video file, for a live slot: OpenCV's VideoCapture behind plain data,
// so neither Qt code nor the GUI sees OpenCV. A video file plays in a loop. Blocking calls:
// use from a worker thread.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mimo {

struct VideoFrame {
    int width = 0, height = 0;
    std::vector<uint8_t> rgb; // rows of width x 3 bytes
    int64_t index = 0;        // counted from 0 since the source opened (a looping file goes on counting)
};

// Larger frames are refused: a 4096 x 4096 RGB frame is 48 MiB already.
inline constexpr int kMaxVideoSide = 4096;
// Video files above this are refused before a decoder sees them.
inline constexpr uint64_t kMaxVideoFileBytes = uint64_t(4) << 30;

class VideoFrames {
public:
    // Throws DataError naming the file: missing, not a regular file (a FIFO would block), too
    // large, or not a video OpenCV can decode (its first frame must decode).
    static VideoFrames openFile(const std::string& path);
    // Throws Error when camera `index` cannot be opened (V4L2 first, then any backend).
    static VideoFrames openCamera(int index);
    // The cameras 0..maxIndex-1 that have a /dev/videoN node and open through V4L2 (quietly:
    // OpenCV's warnings about absent ones are kept off the terminal).
    static std::vector<int> availableCameras(int maxIndex = 4);

    VideoFrames(VideoFrames&&) noexcept;
    VideoFrames& operator=(VideoFrames&&) noexcept;
    ~VideoFrames();

    // The next frame (a file starts again after its last); throws DataError naming the source
    // when a frame cannot be read or is larger than kMaxVideoSide.
    VideoFrame next();
    const std::string& name() const; // "camera 0" or the file's name

private:
    struct Impl;
    explicit VideoFrames(std::unique_ptr<Impl> impl);
    VideoFrame nextFrame();
    std::unique_ptr<Impl> impl_;
};

} // namespace mimo
