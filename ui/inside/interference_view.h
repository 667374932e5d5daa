#pragma once
// Interference after unbinding, for the current inputs: per slot the cosine between the
// unbound feature in superposition and the same input's feature alone, and the change of its
// class probabilities; across layers how far the superposed computation is from the inputs'
// own; the N x N influence matrix (input j replaced by a neutral input, change of slot i);
// the input-level HRR interference of the keys in use against the theoretical curve over
// N = 1..16; for MIMOFormer, the query-key score interference against its bound.
#include "core/explore/inspection_types.h"
#include "ui/export/export_item.h"

#include <QWidget>

class MatrixHeatmapWidget;
class QCPBarsGroup;
class QCustomPlot;
class QLabel;
class QScrollArea;
class QTableWidget;

class InterferenceView : public QWidget {
    Q_OBJECT
public:
    explicit InterferenceView(QWidget* parent = nullptr);

    void setSummary(const mimo::InterferenceSummary& summary);
    void clear(const QString& message);
    const mimo::InterferenceSummary& summary() const { return summary_; }

    QCustomPlot* slotPlot() const { return slotPlot_; }   // cosine and probability change per slot
    QCustomPlot* layerPlot() const { return layerPlot_; } // gap per layer
    QCustomPlot* keyPlot() const { return keyPlot_; }     // theory curve and measured points over N
    MatrixHeatmapWidget* influenceView() const { return influence_; }
    QTableWidget* scoreTable() const { return scores_; }  // MIMOFormer score interference

    // The per-slot, per-layer and key plots and the influence matrix that are shown, each with
    // its numbers as CSV.
    QList<ExportItem> exportItems() const;

protected:
    void changeEvent(QEvent* event) override; // palette changes re-colour the plots
    bool eventFilter(QObject* watched, QEvent* event) override; // the plots follow the visible width

private:
    void redraw();                            // every part from summary_ (after a palette change too)
    void drawSlots();
    void drawLayers();
    void drawInfluence();
    void drawKeys();
    void fillScores();
    // The exports (interference_export.cpp).
    ExportItem slotItem() const;
    ExportItem layerItem() const;
    ExportItem influenceItem() const;
    ExportItem keyItem() const;
    ExportItem scoreItem() const;

    mimo::InterferenceSummary summary_;
    bool showing_ = false;                    // a summary is shown (not a message)
    QLabel* message_ = nullptr;
    QLabel* slotTitle_ = nullptr;
    QLabel* layerTitle_ = nullptr;
    QLabel* layerMeaning_ = nullptr;          // the gap's meaning when too long for the axis
    QLabel* influenceTitle_ = nullptr;
    QLabel* influenceCaption_ = nullptr;
    QLabel* keyTitle_ = nullptr;
    QLabel* keyCaption_ = nullptr;
    QLabel* scoresTitle_ = nullptr;
    QCPBarsGroup* slotGroup_ = nullptr;
    QCustomPlot* slotPlot_ = nullptr;
    QCustomPlot* layerPlot_ = nullptr;
    QCustomPlot* keyPlot_ = nullptr;
    MatrixHeatmapWidget* influence_ = nullptr;
    QTableWidget* scores_ = nullptr;
    QWidget* plotsArea_ = nullptr;           // the four parts above the table
    QScrollArea* scroll_ = nullptr;          // the tab's one scroll area
};
