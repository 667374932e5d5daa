#pragma once
// The guided tour for teaching: bind -> superpose -> process -> unbind -> classify, one step
// at a time, each with a short explanation and the tensors of the current inputs at that
// step (TensorViewWidget; a matrix whose rows and columns have names, such as the class
// probabilities of each slot, as a labelled MatrixHeatmapWidget). A presentation mode shows it full screen with large fonts for
// lecture halls. It draws what it is given; the main window feeds it each new run's steps.
#include "core/explore/explorer_types.h"
#include "core/explore/pipeline_types.h"

#include <QFont>
#include <QWidget>

#include <vector>

class MatrixHeatmapWidget;
class QLabel;
class QListWidget;
class QPushButton;
class QScrollArea;
class QGridLayout;
class PipelineDiagram;
class TensorViewWidget;

class TourWindow : public QWidget {
    Q_OBJECT
public:
    explicit TourWindow(QWidget* parent = nullptr);

    // New steps keep the current step (by id) so that changing N or an input updates the view
    // in place during a lecture.
    void setSteps(const std::vector<mimo::TourStep>& steps);
    const std::vector<mimo::TourStep>& steps() const { return steps_; }
    int currentStep() const { return current_; }
    void showStep(int index);
    // Sized to the screen of `near` (at most its preferred size) and placed over it, wholly on
    // that screen's available area: on a 1024x700 screen the tour opened partly below its edge.
    void placeOnScreen(const QWidget* near);
    bool presenting() const { return presenting_; }
    // The heatmap of each tensor of the step shown: a TensorViewWidget or, for a labelled
    // matrix, a MatrixHeatmapWidget.
    QList<QWidget*> tensorWidgets() const;
    // The pipeline step draws the model's stages for the current inputs; the main window
    // computes them (its Pipeline tab) and passes them on.
    void setPipeline(const mimo::PipelineReport& report);
    PipelineDiagram* pipelineDiagram() const { return pipeline_; }
    bool showsPipeline() const; // the step on screen is the pipeline step

public Q_SLOTS:
    void next();
    void previous();
    void setPresenting(bool on); // full screen, large fonts, larger heatmaps

Q_SIGNALS:
    void presentingChanged(bool on);
    void pipelineShown(); // the pipeline step came on screen: its stages are wanted

protected:
    void keyPressEvent(QKeyEvent* event) override; // arrows/PageUp/PageDown/Space step, Esc leaves presenting
    void closeEvent(QCloseEvent* event) override;  // a closed tour reopens as a window, not full screen
    void resizeEvent(QResizeEvent* event) override; // presenting, the text follows the screen's size

private:
    void render();
    void renderTensors(const std::vector<mimo::TensorView>& tensors);
    void applyPresentationStyle(); // fonts and zoom for the current mode
    void arrangeTensors();         // one scrolling column, or presenting a grid that fits
    int columnsForTensors() const; // the grid's columns for the tensors shown (1 in a window)
    void fitPipeline();            // presenting, the diagram's text as large as fits the room


    std::vector<mimo::TourStep> steps_;
    int current_ = 0;
    bool presenting_ = false;
    QListWidget* stepList_ = nullptr;
    QLabel* title_ = nullptr;
    QLabel* explanation_ = nullptr;
    QScrollArea* scroll_ = nullptr;
    PipelineDiagram* pipeline_ = nullptr;
    QScrollArea* pipelineScroll_ = nullptr;
    QWidget* tensorsHost_ = nullptr;
    QGridLayout* tensorsLayout_ = nullptr;
    QPushButton* previousButton_ = nullptr;
    QPushButton* nextButton_ = nullptr;
    QPushButton* presentButton_ = nullptr;
    QLabel* hint_ = nullptr;
    std::vector<QLabel*> tensorNames_;          // one bold name label per tensor widget
    std::vector<TensorViewWidget*> tensorViews_;     // null where the tensor is a labelled matrix
    std::vector<MatrixHeatmapWidget*> tensorMatrices_; // null where it is not
    QFont baseHintFont_;
    QFont baseTitleFont_, baseExplanationFont_, baseListFont_, baseNameFont_;
    double appliedScale_ = 1.0;
    int arrangedColumns_ = 0; // of the last arrangeTensors(): a step with other shapes re-arranges
    Qt::WindowStates stateBeforePresenting_ = Qt::WindowNoState;
};
