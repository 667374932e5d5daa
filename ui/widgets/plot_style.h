#pragma once
// Shared QCustomPlot styling: colours from the widget palette (so plots follow light/dark
// themes), a qualitative series palette that reads on either, log/linear axis switching and
// range margins. Re-apply applyPalette() on QEvent::PaletteChange.
#include <QColor>
#include <QPalette>
#include <QRectF>
#include <Qt>
#include <QString>
#include <QVector>

class QCPAxis;
class QCPErrorBars;
class QCPItemText;
class QCPItemTracer;
class QCustomPlot;
class QWidget;

namespace plotstyle {

// A plot with axis labels, a visible legend under the axis rect (two entries a row) and mouse
// tracking on (for read-outs); style it with applyPalette().
QCustomPlot* makePlot(const QString& xLabel, const QString& yLabel, QWidget* parent = nullptr);
// Shows the legend only while it has entries (an empty one is a stray little box).
void showLegendWhenFilled(QCustomPlot* plot);

// True when the plot background (QPalette::Base) is dark.
bool isDark(const QPalette& palette);

// Colour of series `index`: the palette's highlight for 0 (made readable on Base), then fixed
// hues that stay clear of it, lighter on dark themes; cycles with a lightness shift.
QColor seriesColor(const QPalette& palette, int index);

// Backgrounds (Window, axis rect Base), axes, tick labels and labels (WindowText), grid (Mid)
// and legend (Window background, Mid border, WindowText text) of every axis rect.
void applyPalette(QCustomPlot* plot, const QPalette& palette);

// Linear or logarithmic (QCPAxisTickerLog with `logBase`) scale. Linear axes get a plain ticker,
// or with linearStep > 0 one whose ticks are multiples of that step (integer axes: 1).
void setLogScale(QCPAxis* axis, bool log, double logBase = 10.0, double linearStep = 0.0);

// Widens the axis range by a fraction of its span at either end (in log space for log axes).
void addMargin(QCPAxis* axis, double lowFraction, double highFraction);

// Vertical error bars (value - minus .. value + plus) at the given points, in any order: they are
// held by an invisible QCPGraph (QCPErrorBars needs 1D data), sorted by key together with the
// errors so both line up. Neither appears in the legend.
QCPErrorBars* addValueErrorBars(QCPAxis* keyAxis, QCPAxis* valueAxis, const QVector<double>& keys,
                                const QVector<double>& values, const QVector<double>& minus,
                                const QVector<double>& plus, const QColor& colour);

// Horizontal error bars (key - minus .. key + plus), held the same way.
QCPErrorBars* addKeyErrorBars(QCPAxis* keyAxis, QCPAxis* valueAxis, const QVector<double>& keys,
                              const QVector<double>& values, const QVector<double>& minus,
                              const QVector<double>& plus, const QColor& colour);

// A small text beside a data point (above right of it), e.g. "N=4", in the series colour.
QCPItemText* addPointLabel(QCustomPlot* plot, double x, double y, const QString& text, const QColor& colour);

// Crosshair read-out: a tracer circle on a point and a text box beside it, both on the plot's
// "overlay" layer (so hovering replots that layer only). Items die with plot->clearItems().
struct Readout {
    QCPItemTracer* tracer = nullptr;
    QCPItemText* text = nullptr;
};
Readout addReadout(QCustomPlot* plot, const QPalette& palette); // hidden until shown
// At the point (plot coordinates), the box beside it towards the middle, moved back inside the
// plot where it would run past an edge.
void showReadout(const Readout& readout, double x, double y, const QString& text);
void hideReadout(const Readout& readout);
// Where the read-out's box is, in the plot's pixels; empty while hidden.
QRectF readoutRect(const Readout& readout);

} // namespace plotstyle
