#pragma once
// "Seeing inside": the tabs below the slots (activations, interference, attention, accuracy
// and speed), kept in step with the controller. Only the tab on screen asks for its data, so a
// hidden view costs nothing; the accuracy-throughput evaluation runs as its own task.
#include "core/model/model_info.h"
#include "ui/export/export_item.h"

#include <QList>
#include <QTabWidget>

class ActivationsView;
class AttentionView;
class EvaluationTask;
class ExplorerController;
class InterferenceView;
class ThroughputView;

class InsidePanel : public QTabWidget {
    Q_OBJECT
public:
    explicit InsidePanel(ExplorerController* controller, QWidget* parent = nullptr);

    ActivationsView* activationsView() const { return activations_; }
    InterferenceView* interferenceView() const { return interference_; }
    AttentionView* attentionView() const { return attention_; }
    ThroughputView* throughputView() const { return throughput_; }
    EvaluationTask* evaluation() const { return evaluation_; }

    // Every plot and heatmap of every tab that holds data (tabs not on screen included), in
    // tab order; and where the tab on screen starts in that list (0 when it has none).
    QList<ExportItem> exportItems() const;
    int currentTabExportIndex() const;

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void askForCurrentTab();
    void showInspection();
    void showModel();
    void syncAttentionChoices();
    void showTabsFor(mimo::ModelFamily family);

    ExplorerController* controller_;
    ActivationsView* activations_ = nullptr;
    InterferenceView* interference_ = nullptr;
    AttentionView* attention_ = nullptr;
    ThroughputView* throughput_ = nullptr;
    EvaluationTask* evaluation_ = nullptr;
};
