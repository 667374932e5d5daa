#pragma once
// The colour bar under a heatmap: the colours of its range from low (left) to high (right),
// with the values at the ends (and 0 where a diverging range is centred on it) written below,
// so a colour can be read as a number without hovering. Heatmaps whose panels each have their
// own range (per channel) say so instead of giving one.
#include "ui/widgets/colormap.h"

#include <QRect>
#include <QStringList>
#include <QWidget>

class QFontMetrics;
class QPainter;
class QPalette;

namespace colorbar {

constexpr int kBarHeight = 8;
constexpr int kLabelGap = 2;
constexpr int kPreferredWidth = 240;

// The height the bar and its labels take.
int height(const QFontMetrics& metrics);
// The texts written under the bar, left to right: the low end, 0 when the range is diverging
// and centred on it, the high end; for per-panel ranges a note that each panel has its own.
QStringList labels(const ColorRange& range, bool perPanel = false);
// Draws the bar into the top of `rect` and the labels under it.
void paint(QPainter& painter, const QRect& rect, const ColorRange& range, const QPalette& palette,
           bool perPanel = false);

} // namespace colorbar

// A colour bar on its own, for several heatmaps that share one range (a strip of panels).
class ColorBarWidget : public QWidget {
    Q_OBJECT
public:
    explicit ColorBarWidget(QWidget* parent = nullptr);

    void setRange(const ColorRange& range);
    const ColorRange& range() const { return range_; }
    QStringList labels() const { return colorbar::labels(range_); }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    ColorRange range_;
};
