#include "ui/panels/slot_grid.h"

#include "ui/controller/explorer_controller.h"
#include "ui/controller/input_requests.h"
#include "ui/panels/slot_widget.h"
#include "ui/widgets/counted.h"

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace {
constexpr int kMinPreview = 40; // smaller previews no longer show what the input is
int columnsFor(int n) { return n <= 4 ? std::max(n, 1) : (n <= 8 ? 4 : 6); }
} // namespace

SlotGrid::SlotGrid(ExplorerController* controller, QWidget* parent) : QWidget(parent), controller_(controller)
{
    auto* layout = new QVBoxLayout(this);
    headline_ = new QLabel(this);
    headline_->setObjectName(QStringLiteral("headline"));
    headline_->setWordWrap(true);
    runState_ = new QLabel(this);
    runState_->setObjectName(QStringLiteral("runState"));
    runState_->setAlignment(Qt::AlignRight | Qt::AlignTop);
    runState_->setMinimumWidth(runState_->fontMetrics().horizontalAdvance(tr("in 88888 ms")) + 4);
    runState_->setToolTip(tr("How long the last run took: the superposition and every input alone"));
    auto* top = new QHBoxLayout;
    top->addWidget(headline_, 1);
    top->addWidget(runState_, 0, Qt::AlignTop);
    layout->addLayout(top);
    grid_ = new QGridLayout;
    layout->addLayout(grid_);
    layout->addStretch(1);
    connect(controller_, &ExplorerController::modelChanged, this, &SlotGrid::rebuild);
    connect(controller_, &ExplorerController::stateChanged, this, &SlotGrid::rebuild);
    connect(controller_, &ExplorerController::resultChanged, this, &SlotGrid::showResult);
    rebuild();
}

SlotWidget* SlotGrid::slotWidget(int slot) const
{
    return slot >= 0 && slot < slotCount() ? slotWidgets_[size_t(slot)] : nullptr;
}

void SlotGrid::setHeadline(const QString& text, const QString& runState)
{
    headline_->setText(text);
    headline_->setToolTip(text);
    runState_->setText(runState);
}

void SlotGrid::selectSlot(int slot)
{
    selected_ = std::clamp(slot, 0, std::max(0, slotCount() - 1));
    for (int i = 0; i < slotCount(); ++i)
        slotWidgets_[size_t(i)]->setSelected(i == selected_);
}

void SlotGrid::setPreviewSize(int pixels)
{
    previewSize_ = std::clamp(pixels, 48, 512);
    shownPreview_ = previewSize_;
    for (auto* slot : slotWidgets_)
        slot->setPreviewSize(shownPreview_);
    applyFit();
}

int SlotGrid::rowCount() const
{
    const int n = slotCount();
    return n == 0 ? 0 : (n + columnsFor(n) - 1) / columnsFor(n);
}

int SlotGrid::preferredHeight(int width) const
{
    const int now = layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width) : sizeHint().height();
    // Each row is as much taller as its previews would be at the chosen size.
    return now + rowCount() * (previewSize_ - shownPreview_);
}

void SlotGrid::fitHeight(int available)
{
    available_ = available;
    applyFit();
}

void SlotGrid::applyFit()
{
    fitQueued_ = false;
    const int preferred = preferredHeight(width());
    int fit = previewSize_;
    if (available_ > 0 && rowCount() > 0 && preferred > available_)
        fit = previewSize_ - (preferred - available_ + rowCount() - 1) / rowCount();
    fit = std::clamp(fit, std::min(kMinPreview, previewSize_), previewSize_);
    if (fit != shownPreview_) {
        shownPreview_ = fit;
        for (auto* slot : slotWidgets_)
            slot->setPreviewSize(shownPreview_);
        Q_EMIT previewsRefitted();
    }
    if (preferred != lastPreferred_) {
        lastPreferred_ = preferred;
        Q_EMIT preferredHeightChanged();
    }
}

bool SlotGrid::event(QEvent* event)
{
    const bool handled = QWidget::event(event);
    // Texts wrap into more lines, a slot appears, a message shows: refit once the layout settled.
    if (event->type() == QEvent::LayoutRequest && !fitQueued_) {
        fitQueued_ = true;
        QTimer::singleShot(0, this, &SlotGrid::applyFit);
    }
    return handled;
}

void SlotGrid::rebuild()
{
    const int n = controller_->hasModel() ? controller_->n() : 0;
    while (slotCount() > n) {
        delete slotWidgets_.back();
        slotWidgets_.pop_back();
    }
    while (slotCount() < n) {
        auto* slot = new SlotWidget(slotCount(), this);
        slot->setPreviewSize(shownPreview_);
        connect(slot, &SlotWidget::filesDropped, controller_,
                [this](int index, const QStringList& paths) { controller_->inputs().openPaths(paths, index); });
        connect(slot, &SlotWidget::activated, this, &SlotGrid::selectSlot);
        connect(slot, &SlotWidget::menuRequested, this, &SlotGrid::menuRequested);
        slotWidgets_.push_back(slot);
    }
    const int columns = columnsFor(n);
    for (int i = 0; i < n; ++i)
        grid_->addWidget(slotWidgets_[size_t(i)], i / columns, i % columns);
    selectSlot(selected_);
    showInputs();
    showResult();
}

void SlotGrid::showInputs()
{
    if (!controller_->hasModel()) {
        setHeadline(tr("No model loaded. Open a model file (File > Open model) or drop one here."));
        return;
    }
    QStringList classes;
    for (const auto& name : controller_->model().info.card.classNames)
        classes << QString::fromStdString(name);
    const auto inputs = controller_->slotInputs();
    for (int i = 0; i < slotCount() && size_t(i) < inputs.size(); ++i)
        slotWidgets_[size_t(i)]->setInput(inputs[size_t(i)], classes);
}

void SlotGrid::showResult()
{
    const auto* result = controller_->result();
    const bool current = controller_->resultIsCurrent();
    const int empty = controller_->hasModel() ? controller_->emptySlots() : 0;
    // An out-of-date result is still shown (dimmed) while its successor computes, but only if
    // it was computed for the same N: slot i of another N is another computation.
    const bool usable = result && result->n == controller_->n() && empty == 0;
    for (int i = 0; i < slotCount(); ++i)
        slotWidgets_[size_t(i)]->setPrediction(usable ? &result->predictions[size_t(i)] : nullptr, controller_->n(),
                                               current);
    if (!controller_->hasModel())
        return;
    if (!controller_->runError().isEmpty()) {
        setHeadline(tr("The run failed: %1").arg(controller_->runError()));
    } else if (empty > 0) {
        setHeadline(counted(empty,
                                   tr("1 slot is empty: drop an image or a sequence on it, paste one (Ctrl+V) or "
                                      "pick a dataset sample (Inputs menu)."),
                                   tr("%1 slots are empty: drop images or sequences on them, paste one (Ctrl+V) or "
                                      "pick dataset samples (Inputs menu).")));
    } else if (usable) {
        int disagreements = 0, correctSuperposed = 0, correctAlone = 0, labelled = 0;
        for (size_t i = 0; i < result->predictions.size(); ++i) {
            const auto& p = result->predictions[i];
            disagreements += p.disagree ? 1 : 0;
            if (result->labels[i] >= 0) {
                ++labelled;
                correctSuperposed += p.superposed.front().index == result->labels[i] ? 1 : 0;
                correctAlone += p.alone.front().index == result->labels[i] ? 1 : 0;
            }
        }
        QString text = tr("%1 computed in one superposition (%2, %3), beside each alone. ")
                           .arg(counted(result->n, tr("1 input"), tr("%1 inputs")),
                                QString::fromStdString(result->grid), QString::fromStdString(result->keys));
        text += disagreements ? counted(disagreements, tr("1 slot answers differently in superposition."),
                                        tr("%1 slots answer differently in superposition."))
                              : tr("Every slot gives the same answer as alone.");
        if (labelled)
            text += tr(" Correct: %1 of %2 in superposition, %3 of %2 alone.")
                        .arg(correctSuperposed)
                        .arg(labelled)
                        .arg(correctAlone);
        setHeadline(text, current ? tr("in %1 ms").arg(result->milliseconds, 0, 'f', 0) : tr("updating…"));
    } else {
        setHeadline(tr("Computing…"));
    }
}
