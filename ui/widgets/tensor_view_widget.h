#pragma once
// Draws one mimo::TensorView as heatmaps, whatever its rank:
//   rank 1 [D]          one strip of D cells
//   rank 2 [R, C]       one R x C heatmap (a row per slot for [N, D] keys or features)
//   rank 3 [C, H, W]    a grid of the first channels, each an H x W heatmap
//   rank 4 [N, C, H, W] one row per slot, the first channels of each
// Colours come from colormap.h, by default with one range for the whole tensor (symmetric
// around zero when it has both signs); see RangeMode for the others, and setColorMap() for
// choosing the colour map instead of letting the range pick it. Hovering shows the
// indices and the value under the cursor; a left click on a panel reports which one, and one
// panel can be framed as the selection. The caption and the shape are written above, a colour
// bar with the value range below (color_bar.h). Follows the palette (light/dark). In fit mode
// the cells shrink or grow so that everything shown fits the widget's size, never cut.
#include "core/explore/explorer_types.h"
#include "ui/export/export_item.h"
#include "ui/widgets/colormap.h"

#include <QWidget>

class TensorViewWidget : public QWidget {
    Q_OBJECT
public:
    // How values map to colours (colormap.h).
    enum class RangeMode {
        PerTensor, // one colorRangeFor() over the whole tensor (the default)
        PerPanel,  // each heatmap panel (channel) its own colorRangeFor()
        Symmetric, // one range for the whole tensor forced to [-m, m], m = max |value| (diverging)
    };

    explicit TensorViewWidget(QWidget* parent = nullptr);

    void setTensor(const mimo::TensorView& tensor);
    const mimo::TensorView& tensor() const { return tensor_; }
    // Channels shown per row for rank 3 and 4 (the rest are summarised in the caption).
    void setMaxChannels(int channels);
    int maxChannels() const { return maxChannels_; }
    // Scales every cell (presentation mode uses larger cells).
    void setZoom(double zoom);
    double zoom() const { return zoom_; }
    // On: the zoom follows the widget's size (the largest at which every panel, the caption and
    // the colour bar fit); the size hints then ask for little and the layout decides.
    void setFitToSize(bool fit);
    bool fitsToSize() const { return fit_; }
    // With fit to size: rows of channel maps with room left take more channels than
    // maxChannels (up to 32), and tall maps (height >= 4 x width: tokens x features) widen
    // their cells up to square panels, so that a projected figure fills its width.
    void setChannelsFillRows(bool fill);
    bool channelsFillRows() const { return fillRows_; }
    int shownChannels() const { return shownChannels_; } // per slot, rank 3 and 4
    void setRangeMode(RangeMode mode);
    RangeMode rangeMode() const { return rangeMode_; }
    // A range given from outside (several widgets sharing one), used for every panel instead
    // of the one the range mode computes, diverging when it spans both signs, else sequential;
    // the colour map choice still applies. low >= high (or a non-finite end) clears it.
    void setFixedRange(double low, double high);
    bool hasFixedRange() const { return hasFixedRange_; }
    double fixedLow() const { return fixedLow_; }
    double fixedHigh() const { return fixedHigh_; }
    // Applied to each panel's range after the range mode computed it (applyColorMapChoice());
    // Automatic (the default) keeps the map the range mode picked.
    void setColorMap(ColorMapChoice choice);
    ColorMapChoice colorMap() const { return colorMap_; }
    // Frames the panel of `slot` (rank 4; 0 otherwise) and `channel` (rank 3 and 4; 0 for the
    // one panel of rank 1 and 2) in the palette's Highlight colour; -1 for none.
    void setHighlightedPanel(int slot, int channel);
    int highlightedSlot() const { return highlightedSlot_; }
    int highlightedChannel() const { return highlightedChannel_; }

    // Panels drawn (heatmaps), and the text the tooltip shows at a widget position
    // ("" outside every panel): for tests and for the status bar.
    int panelCount() const;
    QString valueTextAt(const QPoint& position) const;
    // The colour bar: drawn whenever panels are, unless turned off for heatmaps that share one
    // bar drawn elsewhere (ColorBarWidget); its range (for per-panel ranges: the shape of
    // the map only), the texts under it and where it is in the widget.
    void setColorBarShown(bool shown);
    bool hasColorBar() const { return colorBarShown_ && !panels_.isEmpty(); }
    ColorRange colorBarRange() const;
    QStringList colorBarLabels() const;
    QRect colorBarRect() const;
    // Where each panel is drawn (tests: inside the widget, whole).
    QList<QRect> panelRects() const;
    // The height the caption and panels need when the widget is `width` wide (for giving it a
    // fixed size before it is shown).
    int heightAtWidth(int width) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // Draws what the widget shows, laid out for `target`'s width, from its top left (export:
    // any painter, any scale). As an export item: its size on screen (or preferred size), the
    // values of the shown channels as CSV; not valid while there is nothing to draw.
    void paintContent(QPainter& painter, const QRect& target) const;
    ExportItem exportItem(const QString& name, const QString& title) const;

Q_SIGNALS:
    // A left click on a panel: slot = its row for rank 4 (0 otherwise), channel = its index
    // within the row (0 for the one panel of rank 1 and 2).
    void panelClicked(int slot, int channel);

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override; // tooltips
    void changeEvent(QEvent* event) override; // palette changes re-colour
    void resizeEvent(QResizeEvent* event) override; // panels wrap to the width
    void mousePressEvent(QMouseEvent* event) override; // panelClicked

private:
    static constexpr int kMargin = 6; // around everything drawn
    static constexpr int kGap = 6;    // between panels, the caption and the colour bar
    struct Panel {
        QRect rect;        // where it is drawn
        qsizetype offset;  // first value in tensor_.values
        int rows, cols;
        QString label;     // "slot 2, channel 5"
        QImage image;
        int slot = 0, channel = 0; // rank 3 and 4: its place in the grid
    };
    struct RowLabel {
        QRect rect;
        QString text;      // "slot 1"
    };
    void rebuild();
    void makePanels(int shownChannels); // panels_ for the drawn shape, with this many channels per slot
    qint64 channelCount() const;        // of the drawn shape: C of [N, C, H, W] or [C, H, W], else 1
    void fitZoom(); // fit mode: the largest zoom whose layout fits the widget
    bool perPanelColours() const;
    ColorRange wholeRange() const; // the range every panel shares (not per panel)
    QRect barRect(const QList<QRect>& panelRects, int width) const;
    void paintLayout(QPainter& painter, int width, const QList<QRect>& panelRects, const QList<RowLabel>& rowLabels,
                     const QRect& exposed) const;
    void recolour(); // the panels' images, for the range mode, the colour map and the palette
    const Panel* panelAt(const QPoint& position) const;
    void relayout();
    // Places the panels (panelRects follows panels_) and row labels for a widget `width` wide;
    // returns the height they need.
    int layoutPanels(int width, QList<QRect>& panelRects, QList<RowLabel>& rowLabels) const;
    int preferredWidth() const;
    QSize mapPanelSize() const; // rank 3 and 4: one H x W map
    int slotLabelWidth() const; // rank 4 and named rows of rank 2: the label column, with its gap
    QString slotLabel(int slot) const; // the tensor's row name, or "slot n"
    QString shapeText() const;

    mimo::TensorView tensor_;
    int maxChannels_ = 8;
    double zoom_ = 1.0;
    bool fit_ = false;
    bool fillRows_ = false;
    int sideways_ = 1; // filling rows: how many times wider than square a tall map's cells are
    bool colorBarShown_ = true;
    RangeMode rangeMode_ = RangeMode::PerTensor;
    ColorMapChoice colorMap_ = ColorMapChoice::Automatic;
    bool hasFixedRange_ = false;
    double fixedLow_ = 0.0, fixedHigh_ = 0.0;
    int highlightedSlot_ = -1, highlightedChannel_ = -1;
    QList<Panel> panels_;
    QList<qint64> drawnShape_;  // rank 1..4 after merging leading dims; empty: nothing to draw
    int shownChannels_ = 0;     // rank 3 and 4
    QList<RowLabel> rowLabels_;
    int contentHeight_ = 0;     // at the current width
};
