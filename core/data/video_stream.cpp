#include "core/data/video_stream.h"

#include "core/errors.h"

#include <algorithm>
#include <cstring>

namespace mimo {
namespace {

constexpr char kTag[4] = {'M', 'V', 'F', '1'};

void putLittle(std::vector<uint8_t>& out, uint64_t value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out.push_back(uint8_t(value >> (8 * i)));
}

uint64_t little(const uint8_t* at, int bytes)
{
    uint64_t value = 0;
    for (int i = bytes - 1; i >= 0; --i)
        value = (value << 8) | at[i];
    return value;
}

} // namespace

std::vector<uint8_t> encodeVideoRecord(const VideoFrame& frame)
{
    std::vector<uint8_t> out(kTag, kTag + 4);
    putLittle(out, uint32_t(frame.width), 4);
    putLittle(out, uint32_t(frame.height), 4);
    putLittle(out, uint64_t(frame.index), 8);
    out.insert(out.end(), frame.rgb.begin(), frame.rgb.end());
    return out;
}

VideoStreamReader::VideoStreamReader(std::string source) : source_(std::move(source)) {}

void VideoStreamReader::append(const uint8_t* data, std::size_t size)
{
    pending_.insert(pending_.end(), data, data + size);
    parse();
}

void VideoStreamReader::parse()
{
    std::size_t at = 0;
    while (pending_.size() - at >= kVideoRecordHeaderBytes) {
        const uint8_t* header = pending_.data() + at;
        if (std::memcmp(header, kTag, 4) != 0)
            throw DataError(source_, "the video decoder sent something that is not a frame");
        const uint64_t width = little(header + 4, 4), height = little(header + 8, 4);
        if (width == 0 || height == 0 || width > uint64_t(kMaxVideoSide) || height > uint64_t(kMaxVideoSide))
            throw DataError(source_, "the video decoder sent a frame of " + std::to_string(width) + " x " +
                                         std::to_string(height) + " pixels (at most " +
                                         std::to_string(kMaxVideoSide) + " a side)");
        const std::size_t bytes = std::size_t(width * height * 3); // at most 48 MiB: checked above
        if (pending_.size() - at - kVideoRecordHeaderBytes < bytes)
            break; // the rest of this frame has not arrived yet
        VideoFrame frame;
        frame.width = int(width);
        frame.height = int(height);
        frame.index = int64_t(std::min<uint64_t>(little(header + 12, 8), uint64_t(INT64_MAX)));
        const uint8_t* pixels = header + kVideoRecordHeaderBytes;
        frame.rgb.assign(pixels, pixels + bytes);
        newest_ = std::move(frame);
        ++framesRead_;
        at += kVideoRecordHeaderBytes + bytes;
    }
    pending_.erase(pending_.begin(), pending_.begin() + std::ptrdiff_t(at));
}

std::optional<VideoFrame> VideoStreamReader::takeNewest()
{
    std::optional<VideoFrame> frame = std::move(newest_);
    newest_.reset();
    return frame;
}

} // namespace mimo
