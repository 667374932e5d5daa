#include "ui/window/center_splitter.h"

#include <QEvent>
#include <QTimer>

#include <algorithm>

namespace {
// The tabs keep at least this share of the height: below it they are too short to read, and
// the slots' previews shrink a little instead (SlotGrid::fitHeight).
constexpr double kBottomShare = 0.3;
} // namespace

CenterSplitter::CenterSplitter(QWidget* top, QWidget* bottom, std::function<int()> topHeight, QWidget* parent)
    : QSplitter(Qt::Vertical, parent), topHeight_(std::move(topHeight))
{
    setObjectName(QStringLiteral("centerSplitter"));
    addWidget(top);
    addWidget(bottom);
    setChildrenCollapsible(false); // a collapsed pane is easy to lose and hard to find again
    // A taller window gives its height to the tabs: the slots already have what they need.
    setStretchFactor(0, 0);
    setStretchFactor(1, 1);
    top->installEventFilter(this);
    connect(this, &QSplitter::splitterMoved, this, [this] { sizedByUser_ = true; });
}

void CenterSplitter::fitTop()
{
    if (queued_)
        return;
    queued_ = true;
    QTimer::singleShot(0, this, &CenterSplitter::applyFit);
}

void CenterSplitter::resizeEvent(QResizeEvent* event)
{
    QSplitter::resizeEvent(event);
    applyFit();
}

bool CenterSplitter::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::LayoutRequest && count() > 0 && watched == widget(0))
        fitTop();
    return QSplitter::eventFilter(watched, event);
}

int CenterSplitter::fittedTop() const
{
    const int total = height() - handleWidth();
    if (count() != 2 || total <= 0)
        return sizes().value(0);
    const int topMinimum = widget(0)->minimumSizeHint().height();
    const int bottomMinimum =
        std::max({widget(1)->minimumSizeHint().height(), widget(1)->minimumHeight(), int(kBottomShare * total)});
    // The slots first: the tabs keep their minimum only where the slots can spare it.
    return std::max(std::min(topHeight_(), total - bottomMinimum), std::min(topMinimum, total));
}

void CenterSplitter::applyFit()
{
    queued_ = false;
    if (sizedByUser_ || count() != 2)
        return;
    const int total = height() - handleWidth();
    if (total <= 0)
        return;
    const int top = fittedTop();
    if (sizes().value(0) != top)
        setSizes({top, total - top});
}
