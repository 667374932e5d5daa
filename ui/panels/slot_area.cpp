#include "ui/panels/slot_area.h"

#include "ui/panels/slot_grid.h"

#include <QCoreApplication>
#include <QResizeEvent>
#include <QScrollBar>

#include <algorithm>

SlotArea::SlotArea(SlotGrid* grid, QWidget* parent) : QScrollArea(parent), grid_(grid)
{
    setObjectName(QStringLiteral("slotArea"));
    setWidget(grid_);
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    connect(grid_, &SlotGrid::preferredHeightChanged, this, &SlotArea::preferredHeightChanged);
    // QScrollArea decides whether it needs a vertical bar at the width the slots have now: with
    // a bar shown, they are narrower, their texts wrap into more lines, they are taller and
    // the bar stays, although without it they would fit (the MIMOFormer at 1024x700 on some
    // inputs). Decided here at the width without the bar, whichever state the area is in; a
    // layout request then makes the area apply it, also once the previews have their new size.
    const auto decide = [this] {
        decideScrollBar();
        QCoreApplication::postEvent(this, new QEvent(QEvent::LayoutRequest));
    };
    connect(grid_, &SlotGrid::previewsRefitted, this, decide);
    connect(grid_, &SlotGrid::preferredHeightChanged, this, decide);
}

void SlotArea::decideScrollBar()
{
    const QSize room = maximumViewportSize(); // the viewport without scroll bars
    const int needed = std::max(grid_->minimumSizeHint().height(),
                                grid_->hasHeightForWidth() ? grid_->heightForWidth(room.width()) : grid_->sizeHint().height());
    setVerticalScrollBarPolicy(needed <= room.height() ? Qt::ScrollBarAlwaysOff : Qt::ScrollBarAsNeeded);
}

int SlotArea::preferredHeight() const
{
    // At the width the slots get once they have that height: without a vertical scroll bar. A
    // scroll bar shown while they were squeezed narrows them and wraps their texts into more
    // lines; measured then, the split kept that taller fit after the bar had gone.
    return grid_->preferredHeight(contentsRect().width()) + 2 * frameWidth();
}

void SlotArea::resizeEvent(QResizeEvent* event)
{
    QScrollArea::resizeEvent(event);
    grid_->fitHeight(viewport()->height());
    decideScrollBar();
    // Another width wraps the texts differently: the height the slots need may have changed
    // without any layout request from inside the scroll area reaching the window.
    if (event->oldSize().width() != event->size().width())
        Q_EMIT preferredHeightChanged();
}
