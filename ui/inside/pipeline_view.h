#pragma once
// The Pipeline tab: the loaded model as its stages (PipelineDiagram) under a line that says
// what was measured: the model, N and keys, the device, and one forward pass's median time
// with its spread. A click on a stage asks to open its tensor in another tab.
#include "core/explore/pipeline_types.h"
#include "ui/export/export_item.h"

#include <QList>
#include <QWidget>

class FittingLabel;
class PipelineDiagram;
class QLabel;
class QScrollArea;

class PipelineView : public QWidget {
    Q_OBJECT
public:
    explicit PipelineView(QWidget* parent = nullptr);

    void setReport(const mimo::PipelineReport& report);
    void clear(const QString& message);

    PipelineDiagram* diagram() const { return diagram_; }
    QScrollArea* diagramArea() const { return scroll_; }
    QString summaryText() const;
    QString detailText() const; // what the stage under the pointer computes
    QList<ExportItem> exportItems() const; // none while nothing is shown

Q_SIGNALS:
    // "activations:<layer>[:<view>]", "attention:<layer from 0>" or "interference".
    void openRequested(const QString& where);

private:
    void showDetail(int stage);

    FittingLabel* summary_ = nullptr;
    FittingLabel* detail_ = nullptr;
    QLabel* message_ = nullptr;
    QScrollArea* scroll_ = nullptr;
    PipelineDiagram* diagram_ = nullptr;
};
