#pragma once
// The tooltip of a widget that names what is under the pointer (a cell, a pixel): shown with
// the text for the event's position, hidden where that text is empty. For event() overrides.
#include <QHelpEvent>
#include <QToolTip>
#include <QWidget>

template <typename TextAt>
bool showPositionToolTip(QWidget* widget, QEvent* event, TextAt textAt)
{
    const auto* help = static_cast<QHelpEvent*>(event);
    const QString text = textAt(help->pos());
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(help->globalPos(), text, widget);
    return true;
}
