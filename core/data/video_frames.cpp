#include "core/data/video_frames.h"

#include "core/data/binary_file.h"
#include "core/errors.h"

#if MIMO_HAS_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#endif

#include <cstdlib>

#include <sys/stat.h>

namespace mimo {

struct VideoFrames::Impl {
#if MIMO_HAS_OPENCV
    cv::VideoCapture capture;
#endif
    std::string name;
    bool loops = false;
    int64_t count = 0;
};

VideoFrames::VideoFrames(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
VideoFrames::VideoFrames(VideoFrames&&) noexcept = default;
VideoFrames& VideoFrames::operator=(VideoFrames&&) noexcept = default;
VideoFrames::~VideoFrames() = default;

const std::string& VideoFrames::name() const { return impl_->name; }

#if MIMO_HAS_OPENCV

namespace {

std::string baseName(const std::string& path)
{
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// OpenCV logs each camera index it cannot open; probing for cameras is not an error.
class QuietOpenCv {
public:
    QuietOpenCv() : previous_(cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT)) {}
    ~QuietOpenCv() { cv::utils::logging::setLogLevel(previous_); }
    QuietOpenCv(const QuietOpenCv&) = delete;
    QuietOpenCv& operator=(const QuietOpenCv&) = delete;

private:
    cv::utils::logging::LogLevel previous_;
};

} // namespace

VideoFrames VideoFrames::openFile(const std::string& path)
{
    requireRegularFile(path);
    requireFileSizeAtMost(path, kMaxVideoFileBytes, "a video file");
    // FFmpeg's own complaints about a damaged file go to the terminal unless told otherwise;
    // the DataError below says what matters. Read once, when OpenCV first loads FFmpeg.
    ::setenv("OPENCV_FFMPEG_LOGLEVEL", "-8", 0); // AV_LOG_QUIET, unless the user set a level
    auto impl = std::make_unique<Impl>();
    impl->name = baseName(path);
    impl->loops = true;
    try {
        const QuietOpenCv quiet;
        impl->capture.open(path, cv::CAP_FFMPEG);
    } catch (const cv::Exception& error) {
        throw DataError(path, std::string("not a video that can be decoded here: ") + error.err);
    }
    if (!impl->capture.isOpened())
        throw DataError(path, "not a video that can be decoded here (tried FFmpeg through OpenCV)");
    VideoFrames frames(std::move(impl));
    frames.next(); // the first frame must decode; it is shown again from the start
    frames.impl_->capture.set(cv::CAP_PROP_POS_FRAMES, 0);
    frames.impl_->count = 0;
    return frames;
}

VideoFrames VideoFrames::openCamera(int index)
{
    auto impl = std::make_unique<Impl>();
    impl->name = "camera " + std::to_string(index);
    {
        const QuietOpenCv quiet;
        // Cameras are V4L2 devices here; other backends only as a fallback (GStreamer and
        // gphoto2 probing is slow and leaks inside those libraries).
        if (!impl->capture.open(index, cv::CAP_V4L2))
            impl->capture.open(index);
    }
    if (!impl->capture.isOpened())
        throw Error("camera " + std::to_string(index) + " cannot be opened (absent, or in use by another program)");
    return VideoFrames(std::move(impl));
}

std::vector<int> VideoFrames::availableCameras(int maxIndex)
{
    std::vector<int> found;
    const QuietOpenCv quiet;
    for (int index = 0; index < maxIndex; ++index) {
        // No device node, no camera: nothing to ask a backend (a machine without cameras, CI).
        struct stat node {};
        const std::string device = "/dev/video" + std::to_string(index);
        if (::stat(device.c_str(), &node) != 0 || !S_ISCHR(node.st_mode))
            continue;
        cv::VideoCapture probe(index, cv::CAP_V4L2);
        if (probe.isOpened())
            found.push_back(index);
    }
    return found;
}

VideoFrame VideoFrames::next()
{
    try {
        return nextFrame();
    } catch (const cv::Exception& error) { // a frame OpenCV could not convert
        throw DataError(impl_->name, std::string("a frame cannot be read: ") + error.err);
    }
}

VideoFrame VideoFrames::nextFrame()
{
    cv::Mat frame;
    bool read = impl_->capture.read(frame);
    if (!read && impl_->loops) { // the end of the file: from the start again
        impl_->capture.set(cv::CAP_PROP_POS_FRAMES, 0);
        read = impl_->capture.read(frame);
    }
    if (!read || frame.empty())
        throw DataError(impl_->name, "no frame could be read (the video ended or the camera stopped)");
    if (frame.cols > kMaxVideoSide || frame.rows > kMaxVideoSide)
        throw DataError(impl_->name, "frames of " + std::to_string(frame.cols) + " x " + std::to_string(frame.rows) +
                                         " pixels are larger than this program takes (" +
                                         std::to_string(kMaxVideoSide) + " per side)");
    cv::Mat rgb;
    if (frame.channels() == 1)
        cv::cvtColor(frame, rgb, cv::COLOR_GRAY2RGB);
    else if (frame.channels() == 4)
        cv::cvtColor(frame, rgb, cv::COLOR_BGRA2RGB);
    else
        cv::cvtColor(frame, rgb, cv::COLOR_BGR2RGB);
    if (rgb.depth() != CV_8U)
        throw DataError(impl_->name, "frames that are not 8 bits per channel are not supported");
    VideoFrame out;
    out.width = rgb.cols;
    out.height = rgb.rows;
    out.index = impl_->count++;
    out.rgb.resize(size_t(rgb.cols) * size_t(rgb.rows) * 3);
    for (int y = 0; y < rgb.rows; ++y)
        std::copy_n(rgb.ptr<uint8_t>(y), size_t(rgb.cols) * 3, out.rgb.data() + size_t(y) * size_t(rgb.cols) * 3);
    return out;
}

#else // a headless build without OpenCV: no source can be opened, and each says why

VideoFrames VideoFrames::openFile(const std::string& path)
{
    throw DataError(path, "this build of mimo decodes no video: it was configured without OpenCV "
                          "(MIMO_WITH_OPENCV=OFF, a headless build)");
}

VideoFrames VideoFrames::openCamera(int index)
{
    throw Error("camera " + std::to_string(index) + ": this build of mimo reads no cameras (configured without "
                "OpenCV, MIMO_WITH_OPENCV=OFF)");
}

std::vector<int> VideoFrames::availableCameras(int) { return {}; }

VideoFrame VideoFrames::next() { return nextFrame(); }

VideoFrame VideoFrames::nextFrame() { throw Error(impl_->name + ": no video decoder in this build"); }

#endif // MIMO_HAS_OPENCV

} // namespace mimo
