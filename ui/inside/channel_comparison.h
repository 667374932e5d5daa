#pragma once
// One channel of one MIMOConv layer side by side: the superposition, the same channel for each
// input computed alone, each slot's path alone in the superposition, and the difference
// (superposed minus the sum of the individually bound), as a row of small labelled heatmaps
// that share one colour range (one colour bar under them), so equal colours mean equal values
// across panels. The panels wrap into rows as the width needs, so sixteen inputs (34 panels)
// still fit, each whole. Only selects and copies values to draw: nothing is computed here
// beyond the shared range.
#include "core/explore/inspection_types.h"
#include "ui/export/export_item.h"
#include "ui/widgets/colormap.h"

#include <QStringList>
#include <QWidget>

#include <vector>

class ColorBarWidget;
class QGridLayout;
class QLabel;
class TensorViewWidget;

class ChannelComparison : public QWidget {
    Q_OBJECT
public:
    explicit ChannelComparison(QWidget* parent = nullptr);

    // `channel` counts from 0 and is clamped to the layer's channels. Tensors whose shape does
    // not match the superposition's [C, H, W] are left out; without a usable superposition
    // nothing is shown.
    void setLayer(const mimo::LayerActivations& layer, int channel);
    void clear();

    // Applied to every panel (the shared range stays shared).
    void setColorMap(ColorMapChoice choice);
    ColorMapChoice colorMap() const { return colorMap_; }

    // For tests: the captions in order ("superposition", "input 1 alone", ...,
    // "slot 1 in the superposition", ..., "difference"), the panel heatmaps ([H, W] each),
    // the channel shown (from 0; -1 when nothing is) and the shared range (low >= high: none).
    QStringList panelLabels() const;
    int panelCount() const { return int(columns_.size()); }
    TensorViewWidget* panelView(int index) const;
    ColorBarWidget* colorBar() const { return colorBar_; } // the range every panel shares
    int channel() const { return channel_; }
    double rangeLow() const { return rangeLow_; }
    double rangeHigh() const { return rangeHigh_; }

    // The title, the panels in one row and the colour bar, the values
    // as CSV (one line per position, one column per panel); not valid while nothing is shown.
    ExportItem exportItem(const QString& name, const QString& title) const;

protected:
    void changeEvent(QEvent* event) override; // font changes resize the panels
    void resizeEvent(QResizeEvent* event) override; // the panels wrap to the width

private:
    struct Column {
        QWidget* widget = nullptr;
        QLabel* caption = nullptr;
        TensorViewWidget* view = nullptr;
    };
    struct Slice {
        QString label;
        mimo::TensorView values; // [H, W]
    };
    void showSlices(std::vector<Slice> slices, const QString& layerName);
    void resizePanels(); // every caption and heatmap to the same size, then reflow()
    void reflow();       // as many panels per row as the width holds, and the strip's height
    void paintContent(QPainter& painter, const QRect& target) const;
    int titleHeight(int width) const;
    QString valuesCsv() const;

    QLabel* title_ = nullptr;
    QWidget* strip_ = nullptr;
    QGridLayout* stripLayout_ = nullptr;
    ColorBarWidget* colorBar_ = nullptr;
    int perRow_ = 0;
    std::vector<Column> columns_;
    ColorMapChoice colorMap_ = ColorMapChoice::Automatic;
    int channel_ = -1;
    int64_t mapHeight_ = 0, mapWidth_ = 0;
    double rangeLow_ = 0.0, rangeHigh_ = 0.0;
};
