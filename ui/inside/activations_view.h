#pragma once
// Superposed activations of a MIMOConv for the current inputs: pick a layer, see the
// superposition as a grid of channel heatmaps beside the same layer for each input computed
// alone, each slot's path alone in the superposition, or the difference (superposed minus the
// sum of the individually bound); click a channel to enlarge it; hover to read values; colour
// range per layer, per channel or symmetric around zero, and a colour map (automatic,
// sequential, diverging or grey) for the grid and the enlarged channel; statistics and a histogram of the
// layer; below the grid, the selected channel side by side in the superposition, for each input
// alone, for each slot alone in the superposition and in the difference, in one colour range
// (channel_comparison.h). The "Binding step" entry shows each input's stem output, its key,
// the bound result and the superposition, for teaching what binding does.
#include "core/explore/inspection_types.h"
#include "ui/export/export_item.h"
#include "ui/widgets/colormap.h"

#include <QWidget>

class ChannelComparison;
class HistogramPlot;
class QComboBox;
class QCustomPlot;
class QLabel;
class QSpinBox;
class TensorViewWidget;

class ActivationsView : public QWidget {
    Q_OBJECT
public:
    explicit ActivationsView(QWidget* parent = nullptr);

    // A new report keeps the chosen layer, view and channel where they still exist.
    void setReport(const mimo::ActivationReport& report);
    void clear(const QString& message);

    // For tests and for export: what is on screen now.
    QString currentLayer() const;     // "Binding step", "superposed", "layer1", ...
    QString currentView() const;      // "Superposition", "Each input alone", "Each slot alone in the superposition", "Difference"
                                      // (binding step: "Stem outputs", "Keys", "Bound inputs", "Superposition")
    void selectLayer(const QString& layer);
    void selectView(const QString& view);
    // Channels count from 0 here (the spin box and the panel labels show them from 1). For the
    // Keys view ([n, D], no channels) the spin box chooses the slot whose key is enlarged.
    int selectedChannel() const;
    void selectChannel(int channel);
    const mimo::TensorView& shownTensor() const;   // the tensor the channel grid draws
    const mimo::TensorView& enlargedChannel() const; // [H, W] of the selected channel
    QString statisticsText() const;
    QCustomPlot* histogram() const;
    // The colour map of the grid and the enlarged channel, kept across reports.
    void selectColorMap(ColorMapChoice choice);
    ColorMapChoice colorMap() const;
    // The selected channel side by side (hidden for the binding step).
    ChannelComparison* comparison() const;

    // The channel grid (values of the shown channels as CSV), the enlarged channel, the
    // histogram (bins) and the channel side by side, as far as they show something.
    QList<ExportItem> exportItems() const;

private:
    void refresh();          // shown_ from the layer and view: grid, statistics, histogram
    void refreshSelection(); // enlarged_, the grid's frame and the spin box from channel and slot
    void fillViews();        // the view combo for the current layer, keeping wantedView_
    const mimo::LayerActivations* currentLayerActivations() const; // null for the binding step
    int shownRank() const;   // of shown_, 0 when its values do not fill its shape
    int channelCount() const; // of shown_: rank 3 and 4, else 0
    int slotCount() const;    // of shown_: rank 4 and 2 (rows), else 1
    int selectedSlot() const; // selectedSlot_ clamped to slotCount()
    QString exportTitle(const QString& part) const; // "Activations, layer1, Superposition: part"
    ExportItem gridItem() const;
    ExportItem channelItem() const;
    ExportItem histogramItem() const;
    ExportItem comparisonItem() const;

    mimo::ActivationReport report_;
    mimo::TensorView shown_, enlarged_;
    // What people chose, kept across reports and layers where the choice does not exist.
    QString wantedLayer_, wantedView_;
    int wantedChannel_ = 0;
    int selectedSlot_ = 0;   // the slot of the clicked panel (rank 4), or of the key (Keys)
    QWidget* controls_ = nullptr;
    QWidget* content_ = nullptr;
    QLabel* channelLabel_ = nullptr;
    QComboBox* layer_ = nullptr;
    QComboBox* view_ = nullptr;
    QComboBox* range_ = nullptr;
    QComboBox* colorMap_ = nullptr;
    QSpinBox* channel_ = nullptr;
    QLabel* message_ = nullptr;
    QLabel* statistics_ = nullptr;
    TensorViewWidget* grid_ = nullptr;
    TensorViewWidget* enlargedView_ = nullptr;
    HistogramPlot* histogram_ = nullptr;
    ChannelComparison* comparison_ = nullptr;
};
