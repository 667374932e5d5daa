#pragma once
// The slots' scroll area, which tells how tall it wants to be: the slots at the preview size
// people chose, so the window can give the slots exactly that and the views below the rest
// (no blank band under the slots, no "Alone" block out of sight). Given less, the previews
// shrink first (SlotGrid::fitHeight); only beyond that does the area scroll.
#include <QScrollArea>

class SlotGrid;

class SlotArea : public QScrollArea {
    Q_OBJECT
public:
    explicit SlotArea(SlotGrid* grid, QWidget* parent = nullptr);

    // The height that shows every row of slots whole at the chosen preview size.
    int preferredHeight() const;

Q_SIGNALS:
    void preferredHeightChanged();

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    // A vertical bar only where the slots do not fit at the width they have without one.
    void decideScrollBar();

    SlotGrid* grid_;
};
