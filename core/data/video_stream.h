#pragma once
// The frames of a video as a byte stream between two processes: `mimo video frames FILE` decodes
// in a process of its own (FFmpeg through OpenCV has read past its buffers on fuzzed files; a
// crash there must not take the explorer with it) and writes records the explorer reads back.
// A record: "MVF1", width, height (uint32, little-endian), index (uint64), then width x height
// x 3 bytes of RGB rows. The reader trusts nothing: sizes are checked before anything is kept.
#include "core/data/video_frames.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mimo {

inline constexpr std::size_t kVideoRecordHeaderBytes = 20;

// The record of `frame`, header and pixels.
std::vector<uint8_t> encodeVideoRecord(const VideoFrame& frame);

class VideoStreamReader {
public:
    // `source` names the video in messages.
    explicit VideoStreamReader(std::string source);

    // Appends bytes as they arrive; throws DataError naming the source on a damaged record
    // (wrong tag, a side of 0 or above kMaxVideoSide). Keeps at most one record's bytes.
    void append(const uint8_t* data, std::size_t size);
    // The newest complete frame since the last call (older ones are dropped), if any.
    std::optional<VideoFrame> takeNewest();
    uint64_t framesRead() const { return framesRead_; }

private:
    void parse();

    std::string source_;
    std::vector<uint8_t> pending_;
    std::optional<VideoFrame> newest_;
    uint64_t framesRead_ = 0;
};

} // namespace mimo
