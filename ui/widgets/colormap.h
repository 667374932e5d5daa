#pragma once
// Colour maps for heatmaps: a diverging map for signed values (blue - neutral - red, the
// neutral colour taken from the palette so it reads on light and dark themes) and a
// sequential one (perceptually ordered, dark to bright) for values of one sign, plus a plain
// grey ramp (black to white, the same on every theme) people can pick instead.
#include <QColor>
#include <QImage>
#include <QPalette>

enum class ColorMapKind { Diverging, Sequential, Gray };

// The colour map people chose; Automatic keeps the one colorRangeFor() (or the range mode) picked.
enum class ColorMapChoice { Automatic, Sequential, Diverging, Gray };

struct ColorRange {
    double low = 0.0;
    double high = 1.0;
    ColorMapKind kind = ColorMapKind::Sequential;
};

// A range suited to the values: symmetric around zero (diverging) when they have both signs,
// else from their minimum to their maximum (sequential). Never empty (low < high).
ColorRange colorRangeFor(const float* values, qsizetype count);

// [-m, m] with m the largest finite magnitude (diverging): zero always gets the neutral colour.
ColorRange symmetricRangeFor(const float* values, qsizetype count);

// `range` under `choice`: Automatic leaves it as it is; Sequential and Gray keep its ends and
// change its kind; Diverging makes it symmetric, [-m, m] with m = max(|low|, |high|).
ColorRange applyColorMapChoice(ColorRange range, ColorMapChoice choice);

// The colour of `value` under `range`; values outside it are clamped.
QRgb colorFor(double value, const ColorRange& range, const QPalette& palette);

// rows x cols values (row-major, `stride` floats between rows) as an image of one pixel per value.
QImage matrixImage(const float* values, int rows, int cols, qsizetype stride, const ColorRange& range,
                   const QPalette& palette);

// The colour of input `slot` in the pipeline figures (Okabe-Ito: told apart also with a
// red-green colour vision deficiency); after the fourth the colours repeat.
QColor inputColour(int slot);
// `colour` laid over `paper` with the given opacity (0: paper, 1: colour): a light wash.
QColor wash(const QColor& colour, const QColor& paper, float amount);
