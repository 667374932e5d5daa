#pragma once
// Small fixtures shared by the test suites (no torch, no Qt widgets).
#include "core/errors.h"

#include <QString>

#include <cstdint>
#include <fstream>
#include <functional>
#include <string>

namespace mimo::testing {

// An MNIST-format IDX pair "<prefix>-images-idx3-ubyte" / "<prefix>-labels-idx1-ubyte" of
// side x side images whose class (0..2) is the bright region: top half, left half, or the
// bottom-right quarter. Learnable in a few steps, so tiny training runs have signal.
inline void writeTinyIdx(const std::string& dir, const std::string& prefix, int count, int side)
{
    std::ofstream images(dir + "/" + prefix + "-images-idx3-ubyte", std::ios::binary);
    std::ofstream labels(dir + "/" + prefix + "-labels-idx1-ubyte", std::ios::binary);
    const auto bigEndian = [](std::ofstream& out, uint32_t v) {
        const char bytes[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
        out.write(bytes, 4);
    };
    bigEndian(images, 0x803);
    bigEndian(images, uint32_t(count));
    bigEndian(images, uint32_t(side));
    bigEndian(images, uint32_t(side));
    bigEndian(labels, 0x801);
    bigEndian(labels, uint32_t(count));
    for (int i = 0; i < count; ++i) {
        const int label = i % 3;
        for (int y = 0; y < side; ++y)
            for (int x = 0; x < side; ++x) {
                const bool bright = (label == 0 && y < side / 2) || (label == 1 && x < side / 2) ||
                                    (label == 2 && y >= side / 2 && x >= side / 2);
                images.put(char(bright ? 200 + (i * 7 + x) % 50 : (i * 13 + y) % 40));
            }
        labels.put(char(label));
    }
}

// How long refusing a hostile file may take before it counts as a hang: `ms` on a plain build,
// MIMO_TEST_TIME_SCALE times that under sanitizers (scripts/run-sanitized-tests.sh sets it;
// AddressSanitizer runs the readers about 3x slower).
inline qint64 hangLimitMs(qint64 ms)
{
    bool ok = false;
    const double scale = qEnvironmentVariable("MIMO_TEST_TIME_SCALE").toDouble(&ok);
    return ok && scale > 1.0 ? qint64(double(ms) * scale) : ms;
}

// The message of the DataError `action` throws; empty when it throws none.
inline QString errorOf(const std::function<void()>& action)
{
    try {
        action();
    } catch (const DataError& error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

} // namespace mimo::testing
