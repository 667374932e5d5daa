#include "ui/panels/slot_area.h"

#include "ui/panels/slot_grid.h"

#include <QCoreApplication>
#include <QResizeEvent>
#include <QScrollBar>

SlotArea::SlotArea(SlotGrid* grid, QWidget* parent) : QScrollArea(parent), grid_(grid)
{
    setObjectName(QStringLiteral("slotArea"));
    setWidget(grid_);
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    connect(grid_, &SlotGrid::preferredHeightChanged, this, &SlotArea::preferredHeightChanged);
    // Previews that shrank to fit leave a scroll bar that QScrollArea chose for the taller slots
    // (it decides on resizes and layout requests of its own): the bar took 14 px of the width,
    // the slots kept theirs and the right edge went out of sight. A layout request of the area
    // makes it decide again, once the previews have their new size.
    connect(grid_, &SlotGrid::previewsRefitted, this,
            [this] { QCoreApplication::postEvent(this, new QEvent(QEvent::LayoutRequest)); });
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
    // Another width wraps the texts differently: the height the slots need may have changed
    // without any layout request from inside the scroll area reaching the window.
    if (event->oldSize().width() != event->size().width())
        Q_EMIT preferredHeightChanged();
}
