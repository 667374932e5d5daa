#pragma once
// Pages that a menu item opens beside the main window (Help > What is a MIMONet?, File > Model
// Card): one of each per window, made the first time, then shown and raised each time.
#include <QString>
#include <QWidget>

template <class Window, class Make>
Window* showSingleWindow(QWidget* owner, Make make)
{
    auto* window = owner->findChild<Window*>(QString(), Qt::FindDirectChildrenOnly);
    if (!window)
        window = make();
    window->show();
    window->raise();
    window->activateWindow();
    return window;
}
