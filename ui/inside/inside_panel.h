#pragma once
// "Seeing inside": the tabs below the slots (pipeline, activations, interference, attention,
// accuracy and speed), kept in step with the controller. Only the tab on screen asks for its data, so a
// hidden view costs nothing; the accuracy-throughput evaluation runs as its own task.
#include "core/explore/pipeline_types.h"
#include "core/model/model_info.h"
#include "ui/export/export_item.h"

#include <QList>
#include <QTabWidget>

class ActivationsView;
class AttentionView;
class EvaluationTask;
class ExplorerController;
class InterferenceView;
class PipelineView;
class ThroughputView;

class InsidePanel : public QTabWidget {
    Q_OBJECT
public:
    explicit InsidePanel(ExplorerController* controller, QWidget* parent = nullptr);

    PipelineView* pipelineView() const { return pipeline_; }
    ActivationsView* activationsView() const { return activations_; }
    InterferenceView* interferenceView() const { return interference_; }
    AttentionView* attentionView() const { return attention_; }
    ThroughputView* throughputView() const { return throughput_; }
    EvaluationTask* evaluation() const { return evaluation_; }

    // Every plot and heatmap of every tab that holds data (tabs not on screen included), in
    // tab order; and where the tab on screen starts in that list (0 when it has none).
    QList<ExportItem> exportItems() const;
    int currentTabExportIndex() const;

    // Brings a tab on screen by name: pipeline, activations, interference, attention or
    // throughput; false for another name. The pipeline's stages, when current, are sent again.
    bool showView(const QString& name);

Q_SIGNALS:
    // The Pipeline tab shows stages for the current inputs, N and keys (the tour draws them too).
    void pipelineShown(const mimo::PipelineReport& report);

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void askForCurrentTab();
    // A stage of the pipeline asks for its tensor: "activations:<layer>[:<view>]",
    // "attention:<layer from 0>" or "interference".
    void openStage(const QString& where);
    void showInspection();
    void showModel();
    void syncAttentionChoices();
    void showTabsFor(mimo::ModelFamily family);

    ExplorerController* controller_;
    PipelineView* pipeline_ = nullptr;
    ActivationsView* activations_ = nullptr;
    InterferenceView* interference_ = nullptr;
    AttentionView* attention_ = nullptr;
    ThroughputView* throughput_ = nullptr;
    EvaluationTask* evaluation_ = nullptr;
};
