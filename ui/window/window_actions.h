#pragma once
// The main window's own actions (names, shortcuts, status tips) and the menu bar that holds
// them beside the actions of the objects the window wires (inputs, sessions, undo history).
// Declarations only: what each action does is connected in main_window.cpp.
#include <QObject>

class EditHistory;
class InputActions;
class QAction;
class QMenu;
class QMenuBar;
class QWidget;
class SessionActions;

class WindowActions : public QObject {
    Q_OBJECT
public:
    explicit WindowActions(QWidget* window);

    // The actions of other objects that the menus list with these.
    struct Others {
        InputActions* inputs = nullptr;
        SessionActions* sessions = nullptr;
        EditHistory* history = nullptr;
    };
    // Fills the menu bar; returns the (empty) File > Open Recent menu for RecentFiles to fill.
    QMenu* fillMenuBar(QMenuBar* bar, const Others& others) const;

    QAction* open = nullptr;
    QAction* modelCard = nullptr; // File > Model Card
    QAction* screenshot = nullptr;
    QAction* exportView = nullptr;
    QAction* exportAll = nullptr;
    QAction* batch = nullptr;
    QAction* quit = nullptr;
    QAction* loadKeys = nullptr;
    QAction* saveKeys = nullptr;
    QAction* resetKeys = nullptr;
    QAction* tour = nullptr;
    QAction* present = nullptr;
    QAction* zoomIn = nullptr;
    QAction* zoomOut = nullptr;
    QAction* fullScreen = nullptr;
    QAction* primer = nullptr; // Help > What is a MIMONet?
    QAction* shortcutHelp = nullptr;
    QAction* about = nullptr;
    QAction* aboutQt = nullptr;
};
