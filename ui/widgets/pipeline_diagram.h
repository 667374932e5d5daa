#pragma once
// The pipeline view's drawing: one card per stage of the model, left to right as a forward
// pass runs them, wrapping into rows (a MIMOFormer's layer starts a row, under its name). A
// card names the stage and the shape of what it hands on; under it a bar gives its share of
// the forward time, with the lowest and highest round as a whisker. A stage that keeps the
// inputs apart is a stack of cards, one per input in its slot's colour (up to four, then
// "x n"); a stage on the superposition is one grey card (or a grey stack of bundles), so the
// view shows where the inputs merge and where they part. Stages timed as one step (a MIMOConv
// binds and sums in one product) share one bar under a bracket. Hovering names what a stage
// computes (stageHovered); a click asks to open its tensor (stageClicked).
#include "core/explore/pipeline_types.h"
#include "ui/export/export_item.h"

#include <QRect>
#include <QStringList>
#include <QWidget>

#include <vector>

class PipelineDiagram : public QWidget {
    Q_OBJECT
public:
    explicit PipelineDiagram(QWidget* parent = nullptr);

    void setReport(const mimo::PipelineReport& report);
    void clear();
    const mimo::PipelineReport& report() const { return report_; }

    // Where stage i's card (the front card of a stack) and timing span t's bar are drawn.
    QRect stageRect(int stage) const;
    QRect timingRect(int timing) const;
    // The texts drawn in the stage's row: title, shape, share (for tests).
    QStringList rowTexts(int stage) const;
    // Texts that do not fit their place at the current width (titles, shapes, shares); empty
    // when all fit.
    QStringList cutTexts() const;
    int stageAt(const QPoint& position) const; // -1 outside every card
    QString toolTipAt(const QPoint& position) const;

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    // The height it would need in `font`, without taking that font (to choose a font that fits).
    int heightForWidth(int width, const QFont& font) const;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // Drawn as on screen at its current width; CSV: one line per stage.
    ExportItem exportItem() const;

Q_SIGNALS:
    void stageClicked(int stage);
    void stageHovered(int stage); // -1 when the pointer leaves the cards

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override; // tooltips
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct Row {
        QRect card;      // the front card
        QRect stack;     // every card of the stack
        QRect title, shape;
        QString shapeText, operationText;
        int row = 0;     // the diagram's row (stages wrap left to right)
    };
    struct Bar {
        QRect bracket, bar, label;
        QString text;
    };
    struct Group {
        QRect bracket, label;
        QString text;
    };
    struct Layout {
        std::vector<Row> rows;
        std::vector<Bar> bars;
        std::vector<Group> groups;
        int height = 0;
    };
    Layout layoutFor(int width) const;
    Layout layoutFor(int width, const QFont& font) const;
    void relayout();
    void paint(QPainter& painter, const Layout& layout) const;
    int stackDepth(const mimo::PipelineStage& stage) const; // cards drawn
    QString shapeText(const mimo::PipelineStage& stage) const;
    QString shareText(const mimo::PipelineTiming& timing) const;
    int unit() const; // a line of text
    int stackOffset() const;
    QFont boldFont() const;
    QString titleText(const mimo::PipelineStage& stage) const; // "× n" added beyond four cards

    mimo::PipelineReport report_;
    Layout layout_;
    int hovered_ = -1;
};
