#pragma once
// The side column (model, binding keys): it scrolls vertically when the window is short, never
// sideways; it is never narrower than its widest row needs, so nothing in it is cut on the
// right (long entries elide with a tooltip instead of widening it).
#include <QScrollArea>

#include <initializer_list>

class SidePanel : public QScrollArea {
    Q_OBJECT
public:
    SidePanel(std::initializer_list<QWidget*> parts, QWidget* parent = nullptr);

    // How wide to start in a window `windowWidth` wide: about a quarter, within what it needs
    // and what reads well.
    int preferredWidth(int windowWidth) const;

    QSize minimumSizeHint() const override; // the content's minimum width and the scroll bar
    QSize sizeHint() const override;
};
