#include "ui/panels/slot_area.h"

#include "ui/panels/slot_grid.h"

#include <QResizeEvent>
#include <QScrollBar>

SlotArea::SlotArea(SlotGrid* grid, QWidget* parent) : QScrollArea(parent), grid_(grid)
{
    setObjectName(QStringLiteral("slotArea"));
    setWidget(grid_);
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    connect(grid_, &SlotGrid::preferredHeightChanged, this, &SlotArea::preferredHeightChanged);
}

int SlotArea::preferredHeight() const
{
    return grid_->preferredHeight(viewport()->width()) + 2 * frameWidth();
}

void SlotArea::resizeEvent(QResizeEvent* event)
{
    QScrollArea::resizeEvent(event);
    grid_->fitHeight(viewport()->height());
}
