#include "ui/window/tour_window.h"

#include <QCloseEvent>

#include "ui/widgets/colormap.h"
#include "ui/widgets/matrix_heatmap_widget.h"
#include "ui/widgets/pipeline_diagram.h"
#include "ui/widgets/tensor_view_widget.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalBlocker>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>

namespace {

// Presenting, text grows with the screen: 1.8x on 1080 lines, 1.2x on 720 (more would leave
// the figures too little of a small projector's height).
double presentationScale(int height) { return std::clamp(height / 600.0, 1.2, 1.8); }

QFont scaledFont(QFont font, double factor)
{
    if (font.pointSizeF() > 0)
        font.setPointSizeF(font.pointSizeF() * factor);
    else if (font.pixelSize() > 0)
        font.setPixelSize(std::max(1, int(font.pixelSize() * factor + 0.5)));
    return font;
}

} // namespace

TourWindow::TourWindow(QWidget* parent) : QWidget(parent, Qt::Window)
{
    setWindowTitle(tr("Guided tour"));
    resize(1000, 700);
    // The window keeps the keyboard focus so that the arrow keys always step through the tour;
    // the list and the buttons still work with the mouse.
    setFocusPolicy(Qt::StrongFocus);

    stepList_ = new QListWidget(this);
    stepList_->setFocusPolicy(Qt::NoFocus);
    connect(stepList_, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && row != current_)
            showStep(row);
    });

    title_ = new QLabel(this);
    title_->setTextFormat(Qt::PlainText);
    title_->setWordWrap(true);
    QFont titleFont = scaledFont(title_->font(), 1.8);
    titleFont.setBold(true);
    title_->setFont(titleFont);

    explanation_ = new QLabel(this);
    explanation_->setTextFormat(Qt::PlainText); // keeps the '\n' line breaks
    explanation_->setWordWrap(true);
    explanation_->setAlignment(Qt::AlignLeft | Qt::AlignTop);

    tensorsHost_ = new QWidget;
    tensorsLayout_ = new QGridLayout(tensorsHost_);
    scroll_ = new QScrollArea(this);
    scroll_->setObjectName(QStringLiteral("tourTensors"));
    scroll_->setWidgetResizable(true);
    scroll_->setFocusPolicy(Qt::NoFocus);
    scroll_->setBackgroundRole(QPalette::Base);
    scroll_->setWidget(tensorsHost_);

    pipeline_ = new PipelineDiagram;
    pipelineScroll_ = new QScrollArea(this);
    pipelineScroll_->setObjectName(QStringLiteral("tourPipeline"));
    pipelineScroll_->setWidgetResizable(true);
    pipelineScroll_->setFocusPolicy(Qt::NoFocus);
    pipelineScroll_->setBackgroundRole(QPalette::Base);
    pipelineScroll_->setWidget(pipeline_);

    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(title_);
    rightLayout->addWidget(explanation_);
    rightLayout->addWidget(scroll_, 1);
    rightLayout->addWidget(pipelineScroll_, 1);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(stepList_);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({220, 780});

    previousButton_ = new QPushButton(tr("Previous"), this);
    nextButton_ = new QPushButton(tr("Next"), this);
    presentButton_ = new QPushButton(tr("Presentation mode"), this);
    presentButton_->setCheckable(true);
    for (QPushButton* button : {previousButton_, nextButton_, presentButton_})
        button->setFocusPolicy(Qt::NoFocus);
    connect(previousButton_, &QPushButton::clicked, this, &TourWindow::previous);
    connect(nextButton_, &QPushButton::clicked, this, &TourWindow::next);
    connect(presentButton_, &QPushButton::toggled, this, &TourWindow::setPresenting);

    hint_ = new QLabel(tr("← → or Space to step, F5 or Esc leaves presentation mode; presenting, 1 2 4 set N and K "
                          "shuffles the keys"),
                       this);
    hint_->setWordWrap(true);
    hint_->setForegroundRole(QPalette::PlaceholderText);
    baseHintFont_ = scaledFont(hint_->font(), 0.85);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(previousButton_);
    buttons->addWidget(nextButton_);
    buttons->addSpacing(12);
    buttons->addWidget(hint_, 1);
    buttons->addWidget(presentButton_);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addLayout(buttons);

    baseTitleFont_ = title_->font();
    baseExplanationFont_ = explanation_->font();
    baseListFont_ = stepList_->font();
    baseNameFont_ = font();
    baseNameFont_.setBold(true);

    render();
}

void TourWindow::setSteps(const std::vector<mimo::TourStep>& steps)
{
    const bool hadStep = current_ >= 0 && current_ < int(steps_.size());
    const std::string currentId = hadStep ? steps_[size_t(current_)].id : std::string();
    steps_ = steps;

    int index = std::clamp(current_, 0, std::max(0, int(steps_.size()) - 1));
    if (hadStep) {
        const auto found = std::find_if(steps_.begin(), steps_.end(),
                                        [&](const mimo::TourStep& step) { return step.id == currentId; });
        if (found != steps_.end())
            index = int(found - steps_.begin());
    }
    current_ = index;

    {
        const QSignalBlocker blocker(stepList_);
        if (stepList_->count() != int(steps_.size())) {
            stepList_->clear();
            for (const mimo::TourStep& step : steps_)
                stepList_->addItem(QString::fromStdString(step.title));
        } else {
            for (int i = 0; i < stepList_->count(); ++i)
                stepList_->item(i)->setText(QString::fromStdString(steps_[size_t(i)].title));
        }
    }
    render(); // keeps the scroll position: the same step with new values
}

void TourWindow::showStep(int index)
{
    if (steps_.empty())
        return;
    index = std::clamp(index, 0, int(steps_.size()) - 1);
    const bool changed = index != current_;
    current_ = index;
    render();
    if (changed)
        scroll_->verticalScrollBar()->setValue(0);
}

void TourWindow::next() { showStep(current_ + 1); }

void TourWindow::previous() { showStep(current_ - 1); }

void TourWindow::setPresenting(bool on)
{
    if (on == presenting_)
        return;
    presenting_ = on;
    {
        const QSignalBlocker blocker(presentButton_);
        presentButton_->setChecked(on);
    }
    if (on) {
        stateBeforePresenting_ = windowState() & ~Qt::WindowFullScreen;
        showFullScreen();
        raise();
        activateWindow();
    } else {
        setWindowState(stateBeforePresenting_);
        show();
    }
    applyPresentationStyle();
    setFocus();
    Q_EMIT presentingChanged(on);
}

void TourWindow::placeOnScreen(const QWidget* near)
{
    if (presenting_)
        return;
    QScreen* where = near && near->screen() ? near->screen() : screen();
    if (!where)
        return;
    // Room for the title bar and frame the window manager adds around the window.
    const QRect room = where->availableGeometry().adjusted(8, 32, -8, -8);
    const QSize size = QSize(1000, 700).boundedTo(room.size());
    QRect frame(QPoint(0, 0), size);
    frame.moveCenter(near ? near->geometry().center() : room.center());
    frame.moveLeft(std::clamp(frame.left(), room.left(), room.right() - size.width() + 1));
    frame.moveTop(std::clamp(frame.top(), room.top(), room.bottom() - size.height() + 1));
    setGeometry(frame);
}

void TourWindow::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Right: case Qt::Key_Down: case Qt::Key_PageDown: case Qt::Key_Space:
        next();
        break;
    case Qt::Key_Left: case Qt::Key_Up: case Qt::Key_PageUp: case Qt::Key_Backspace:
        previous();
        break;
    case Qt::Key_Home: showStep(0); break;
    case Qt::Key_End: showStep(int(steps_.size()) - 1); break;
    case Qt::Key_Escape:
        if (presenting_) {
            setPresenting(false);
            break;
        }
        [[fallthrough]];
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

void TourWindow::render()
{
    const bool hasSteps = !steps_.empty();
    if (!hasSteps) {
        title_->setText(tr("Guided tour"));
        explanation_->setText(tr("Load a model and fill the slots to follow the tour."));
        renderTensors({});
    } else {
        const mimo::TourStep& step = steps_[size_t(current_)];
        title_->setText(QString::fromStdString(step.title));
        explanation_->setText(QString::fromStdString(step.explanation));
        renderTensors(step.tensors);
        const QSignalBlocker blocker(stepList_);
        stepList_->setCurrentRow(current_);
    }
    const bool pipeline = showsPipeline();
    scroll_->setVisible(!pipeline);
    pipelineScroll_->setVisible(pipeline);
    if (pipeline) {
        fitPipeline();
        Q_EMIT pipelineShown();
    }
    previousButton_->setEnabled(hasSteps && current_ > 0);
    nextButton_->setEnabled(hasSteps && current_ + 1 < int(steps_.size()));
}

namespace {

// A rank-2 tensor whose rows and columns have names: drawn with them (and its values) as a
// labelled matrix rather than as anonymous cells.
bool isLabelledMatrix(const mimo::TensorView& tensor)
{
    return tensor.shape.size() == 2 && !tensor.rowLabels.empty() && !tensor.columnLabels.empty();
}

QStringList labels(const std::vector<std::string>& names)
{
    QStringList list;
    for (const std::string& name : names)
        list << QString::fromStdString(name);
    return list;
}

} // namespace

void TourWindow::renderTensors(const std::vector<mimo::TensorView>& tensors)
{
    // Updating the widgets in place avoids the flicker of deleting and recreating them each
    // time the main window sends new values for the same steps.
    tensorsHost_->setUpdatesEnabled(false);
    bool same = tensorViews_.size() == tensors.size();
    for (size_t i = 0; same && i < tensors.size(); ++i)
        same = (tensorMatrices_[i] != nullptr) == isLabelledMatrix(tensors[i]);
    if (!same) {
        qDeleteAll(tensorNames_); // deleted widgets leave the layout by themselves
        qDeleteAll(tensorViews_);
        qDeleteAll(tensorMatrices_);
        tensorNames_.clear();
        tensorViews_.clear();
        tensorMatrices_.clear();
        for (const mimo::TensorView& tensor : tensors) {
            auto* name = new QLabel(tensorsHost_);
            name->setTextFormat(Qt::PlainText);
            QWidget* view = nullptr;
            if (isLabelledMatrix(tensor)) {
                auto* matrix = new MatrixHeatmapWidget(tensorsHost_);
                tensorMatrices_.push_back(matrix);
                tensorViews_.push_back(nullptr);
                view = matrix;
            } else {
                auto* heatmap = new TensorViewWidget(tensorsHost_);
                tensorViews_.push_back(heatmap);
                tensorMatrices_.push_back(nullptr);
                view = heatmap;
            }
            Q_UNUSED(view);
            tensorNames_.push_back(name);
        }
    }
    for (size_t i = 0; i < tensors.size(); ++i) {
        tensorNames_[i]->setText(QString::fromStdString(tensors[i].name));
        if (tensorViews_[i]) {
            tensorViews_[i]->setTensor(tensors[i]);
            continue;
        }
        const ColorRange range = colorRangeFor(tensors[i].values.data(), qsizetype(tensors[i].values.size()));
        // Probabilities (all in [0, 1]) keep the whole [0, 1] scale, so steps compare.
        const bool probabilities = range.low >= 0.0 && range.high <= 1.0;
        tensorMatrices_[i]->setRange(probabilities ? 0.0 : range.low, probabilities ? 1.0 : range.high);
        tensorMatrices_[i]->setMatrix(tensors[i], labels(tensors[i].rowLabels), labels(tensors[i].columnLabels));
        tensorMatrices_[i]->setToolTip(QString::fromStdString(tensors[i].caption));
    }
    // Placed once their shapes are known: the shapes choose between side by side and stacked.
    if (!same)
        applyPresentationStyle();
    else if (columnsForTensors() != arrangedColumns_)
        arrangeTensors();
    tensorsHost_->setUpdatesEnabled(true);
}

bool TourWindow::showsPipeline() const
{
    return current_ >= 0 && current_ < int(steps_.size()) && steps_[size_t(current_)].id == "pipeline";
}

void TourWindow::setPipeline(const mimo::PipelineReport& report)
{
    pipeline_->setReport(report);
    fitPipeline();
}

void TourWindow::fitPipeline()
{
    // In a window the diagram keeps the window's font and scrolls; presenting, it fills the room:
    // the largest text (up to twice the presentation's) at which every stage fits without scrolling.
    const double scale = presenting_ ? 2.0 * presentationScale(height()) : 1.0;
    pipelineScroll_->setVerticalScrollBarPolicy(presenting_ ? Qt::ScrollBarAlwaysOff : Qt::ScrollBarAsNeeded);
    double chosen = scale;
    const int room = pipelineScroll_->viewport()->height(), width = pipelineScroll_->viewport()->width();
    for (; presenting_ && chosen > 0.6; chosen -= 0.1) // measured in each trial font, applied once
        if (pipeline_->heightForWidth(width, scaledFont(font(), chosen)) <= room)
            break;
    const QFont fitting = scaledFont(font(), std::max(chosen, 0.6));
    if (pipeline_->font() != fitting)
        pipeline_->setFont(fitting);
}

QList<QWidget*> TourWindow::tensorWidgets() const
{
    QList<QWidget*> widgets;
    for (size_t i = 0; i < tensorViews_.size(); ++i)
        widgets << (tensorViews_[i] ? static_cast<QWidget*>(tensorViews_[i]) : tensorMatrices_[i]);
    return widgets;
}

int TourWindow::columnsForTensors() const
{
    // Wide figures (slot rows of channel maps, a feature vector, rows of features) compare best
    // one above the other, each with the whole width: side by side their maps would shrink to a
    // strip and leave the lower half of the screen empty. Other pairs (tall bundles, matrices)
    // sit side by side.
    const auto wide = [](const TensorViewWidget* view) {
        if (!view)
            return false;
        const std::vector<int64_t>& shape = view->tensor().shape;
        return shape.size() == 4 || shape.size() == 1 || (shape.size() == 2 && shape[1] >= 4 * shape[0]);
    };
    const int count = int(tensorWidgets().size());
    if (!presenting_ || count <= 1)
        return 1;
    if (count > 2)
        return 2;
    return std::all_of(tensorViews_.begin(), tensorViews_.end(), wide) ? 1 : count;
}

void TourWindow::arrangeTensors()
{
    // In a window: one column that scrolls. Presenting: a grid (two columns from three tensors
    // on, else one) in which every heatmap fits its cell, so a step needs no scrolling at 1280x720.
    const QList<QWidget*> views = tensorWidgets();
    for (int i = tensorsLayout_->count() - 1; i >= 0; --i)
        delete tensorsLayout_->takeAt(i); // the items, not the widgets
    for (int r = 0; r < tensorsLayout_->rowCount(); ++r)
        tensorsLayout_->setRowStretch(r, 0);
    for (int c = 0; c < tensorsLayout_->columnCount(); ++c)
        tensorsLayout_->setColumnStretch(c, 0);
    const int columns = columnsForTensors();
    arrangedColumns_ = columns;
    for (int i = 0; i < int(views.size()); ++i) {
        const int row = 2 * (i / std::max(1, columns)), column = i % std::max(1, columns);
        tensorsLayout_->addWidget(tensorNames_[size_t(i)], row, column);
        // A labelled matrix keeps its cells' size (left-aligned) in a window; a tensor view takes the width.
        const bool left = !presenting_ && tensorMatrices_[size_t(i)];
        tensorsLayout_->addWidget(views[i], row + 1, column, left ? Qt::AlignLeft : Qt::Alignment());
        if (presenting_)
            tensorsLayout_->setRowStretch(row + 1, 1);
        tensorsLayout_->setColumnStretch(column, 1);
    }
    if (!presenting_) // the tensors at the top, the room below
        tensorsLayout_->setRowStretch(2 * int(views.size()), 1);
    scroll_->setVerticalScrollBarPolicy(presenting_ ? Qt::ScrollBarAlwaysOff : Qt::ScrollBarAsNeeded);
    scroll_->setHorizontalScrollBarPolicy(presenting_ ? Qt::ScrollBarAlwaysOff : Qt::ScrollBarAsNeeded);
}

void TourWindow::applyPresentationStyle()
{
    const double scale = presenting_ ? presentationScale(height()) : 1.0;
    appliedScale_ = scale;
    stepList_->setVisible(!presenting_); // the title names the step; the room goes to the figures
    hint_->setFont(scaledFont(baseHintFont_, scale));
    for (QPushButton* button : {previousButton_, nextButton_, presentButton_})
        button->setFont(scaledFont(font(), presenting_ ? 0.8 * scale : 1.0));
    title_->setFont(scaledFont(baseTitleFont_, scale));
    explanation_->setFont(scaledFont(baseExplanationFont_, scale));
    stepList_->setFont(scaledFont(baseListFont_, scale));
    const QFont nameFont = scaledFont(baseNameFont_, scale);
    for (QLabel* label : tensorNames_)
        label->setFont(nameFont);
    // Figures scale too: presenting, each fills its cell of the grid, with larger text.
    for (TensorViewWidget* view : tensorViews_)
        if (view) {
            view->setFont(scaledFont(font(), presenting_ ? 0.8 * scale : 1.0));
            view->setZoom(1.0);
            view->setFitToSize(presenting_);
            view->setChannelsFillRows(presenting_);
        }
    for (MatrixHeatmapWidget* matrix : tensorMatrices_)
        if (matrix)
            matrix->setFont(scaledFont(font(), scale));
    arrangeTensors();
    fitPipeline();
}

void TourWindow::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    if (presenting_ && std::abs(presentationScale(height()) - appliedScale_) > 0.01)
        applyPresentationStyle();
    if (showsPipeline())
        fitPipeline();
}

void TourWindow::closeEvent(QCloseEvent* event)
{
    setPresenting(false);
    QWidget::closeEvent(event);
}
