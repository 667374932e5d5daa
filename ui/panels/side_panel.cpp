#include "ui/panels/side_panel.h"

#include <QScrollBar>
#include <QVBoxLayout>

#include <algorithm>

namespace {
constexpr double kShareOfWindow = 0.27;
constexpr int kWidest = 380; // wider only stretches the text lines
} // namespace

SidePanel::SidePanel(std::initializer_list<QWidget*> parts, QWidget* parent) : QScrollArea(parent)
{
    setObjectName(QStringLiteral("sidePanel"));
    auto* content = new QWidget(this);
    auto* layout = new QVBoxLayout(content);
    for (QWidget* part : parts)
        layout->addWidget(part);
    layout->addStretch(1);
    setWidget(content);
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
}

QSize SidePanel::minimumSizeHint() const
{
    // Room for the vertical scroll bar too: when it appears, the content must not get narrower
    // than it can be.
    const int width = widget()->minimumSizeHint().width() + verticalScrollBar()->sizeHint().width() + 2 * frameWidth();
    return {width, QScrollArea::minimumSizeHint().height()};
}

QSize SidePanel::sizeHint() const
{
    return {std::max(minimumSizeHint().width(), kWidest), QScrollArea::sizeHint().height()};
}

int SidePanel::preferredWidth(int windowWidth) const
{
    return std::max(minimumSizeHint().width(), std::min(kWidest, int(windowWidth * kShareOfWindow)));
}
