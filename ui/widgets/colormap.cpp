#include "ui/widgets/colormap.h"

#include <QtGlobal>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace {

const QColor kNegativeColor(0x3b, 0x6f, 0xb6);
const QColor kPositiveColor(0xc0, 0x39, 0x2b);

// Viridis sampled at ten evenly spaced points: close enough to the original when interpolated
// linearly, and keeps its order from dark to bright on any background.
const std::array<QRgb, 10> kSequentialStops = {
    qRgb(0x44, 0x01, 0x54), qRgb(0x48, 0x28, 0x78), qRgb(0x3e, 0x49, 0x89), qRgb(0x31, 0x68, 0x8e),
    qRgb(0x26, 0x82, 0x8e), qRgb(0x1f, 0x9e, 0x89), qRgb(0x35, 0xb7, 0x79), qRgb(0x6e, 0xce, 0x58),
    qRgb(0xb5, 0xde, 0x2b), qRgb(0xfd, 0xe7, 0x25),
};

QRgb mix(QRgb from, QRgb to, double t)
{
    const auto channel = [t](int a, int b) { return int(std::lround(a + (b - a) * t)); };
    return qRgb(channel(qRed(from), qRed(to)), channel(qGreen(from), qGreen(to)),
                channel(qBlue(from), qBlue(to)));
}

// The per-image state of a colour map, so matrixImage() reads the palette once, not per value.
class ColorRamp {
public:
    ColorRamp(const ColorRange& range, const QPalette& palette)
        : range_(range),
          // A touch of the text colour keeps zero distinguishable from the empty background.
          neutral_(mix(palette.color(QPalette::Base).rgb(), palette.color(QPalette::Text).rgb(), 0.08)),
          missing_(palette.color(QPalette::Mid).rgb())
    {
    }

    QRgb operator()(double value) const
    {
        if (std::isnan(value))
            return missing_;
        if (!(range_.low < range_.high))
            return at(0.5);
        // Infinities clamp to the ends like any other value outside the range.
        return at(std::clamp((value - range_.low) / (range_.high - range_.low), 0.0, 1.0));
    }

private:
    QRgb at(double t) const
    {
        if (range_.kind == ColorMapKind::Diverging) {
            return t < 0.5 ? mix(kNegativeColor.rgb(), neutral_, t * 2.0)
                           : mix(neutral_, kPositiveColor.rgb(), t * 2.0 - 1.0);
        }
        if (range_.kind == ColorMapKind::Gray) // black to white, whatever the palette
            return mix(qRgb(0, 0, 0), qRgb(0xff, 0xff, 0xff), t);
        const double position = t * double(kSequentialStops.size() - 1);
        const auto index = std::min(size_t(position), kSequentialStops.size() - 2);
        return mix(kSequentialStops[index], kSequentialStops[index + 1], position - double(index));
    }

    ColorRange range_;
    QRgb neutral_;
    QRgb missing_;
};

} // namespace

ColorRange colorRangeFor(const float* values, qsizetype count)
{
    double minimum = std::numeric_limits<double>::infinity();
    double maximum = -std::numeric_limits<double>::infinity();
    for (qsizetype i = 0; values && i < count; ++i) {
        const double value = values[i];
        if (!std::isfinite(value))
            continue;
        minimum = std::min(minimum, value);
        maximum = std::max(maximum, value);
    }

    ColorRange range;
    if (!(minimum <= maximum)) // no finite value at all
        return range;
    if (minimum < 0.0 && maximum > 0.0) {
        const double magnitude = std::max(-minimum, maximum);
        range.low = -magnitude;
        range.high = magnitude;
        range.kind = ColorMapKind::Diverging;
        return range;
    }
    range.low = minimum;
    range.high = maximum;
    if (!(range.low < range.high)) {
        // A constant: centre it so it shows the middle colour instead of an arbitrary end.
        const double halfSpan = minimum != 0.0 ? std::abs(minimum) * 0.5 : 0.5;
        range.low = minimum - halfSpan;
        range.high = minimum + halfSpan;
        if (!(range.low < range.high)) { // spans too small to register next to the value
            range.low = std::nextafter(minimum, -std::numeric_limits<double>::infinity());
            range.high = std::nextafter(minimum, std::numeric_limits<double>::infinity());
        }
    }
    return range;
}

ColorRange applyColorMapChoice(ColorRange range, ColorMapChoice choice)
{
    switch (choice) {
    case ColorMapChoice::Automatic:
        break;
    case ColorMapChoice::Sequential:
        range.kind = ColorMapKind::Sequential;
        break;
    case ColorMapChoice::Gray:
        range.kind = ColorMapKind::Gray;
        break;
    case ColorMapChoice::Diverging: {
        double magnitude = std::max(std::abs(range.low), std::abs(range.high));
        if (!(magnitude > 0.0) || !std::isfinite(magnitude)) // keeps the range non-empty and finite
            magnitude = 1.0;
        range.low = -magnitude;
        range.high = magnitude;
        range.kind = ColorMapKind::Diverging;
        break;
    }
    }
    return range;
}

QRgb colorFor(double value, const ColorRange& range, const QPalette& palette)
{
    return ColorRamp(range, palette)(value);
}

QImage matrixImage(const float* values, int rows, int cols, qsizetype stride, const ColorRange& range,
                   const QPalette& palette)
{
    if (!values || rows <= 0 || cols <= 0)
        return {};
    QImage image(cols, rows, QImage::Format_RGB32);
    if (image.isNull())
        return {};
    const ColorRamp ramp(range, palette);
    for (int row = 0; row < rows; ++row) {
        const float* source = values + qsizetype(row) * stride;
        auto* target = reinterpret_cast<QRgb*>(image.scanLine(row));
        for (int col = 0; col < cols; ++col)
            target[col] = ramp(source[col]);
    }
    return image;
}

// [-m, m] with m the largest finite magnitude: zero always gets the neutral colour.
ColorRange symmetricRangeFor(const float* values, qsizetype count)
{
    double magnitude = 0.0;
    for (qsizetype i = 0; values && i < count; ++i) {
        if (std::isfinite(values[i]))
            magnitude = std::max(magnitude, std::abs(double(values[i])));
    }
    if (!(magnitude > 0.0)) // no finite value, or all zero
        magnitude = 1.0;
    return {-magnitude, magnitude, ColorMapKind::Diverging};
}

QColor inputColour(int slot)
{
    static const QColor colours[] = {QColor(0x00, 0x72, 0xB2), QColor(0xD5, 0x5E, 0x00), QColor(0x00, 0x9E, 0x73),
                                     QColor(0xCC, 0x79, 0xA7)};
    return colours[(slot % 4 + 4) % 4];
}

QColor wash(const QColor& colour, const QColor& paper, float amount)
{
    return QColor::fromRgbF(paper.redF() * (1.0f - amount) + colour.redF() * amount,
                            paper.greenF() * (1.0f - amount) + colour.greenF() * amount,
                            paper.blueF() * (1.0f - amount) + colour.blueF() * amount);
}
