#pragma once
// Undo / redo of N, key and input changes. The controller reports each edit with the states
// before and after it; undoing restores the earlier state (its inputs stay prepared, so nothing
// is read again). Loading another model or a session starts a new history.
#include <QObject>

class ExplorerController;
class QAction;
class QUndoStack;

class EditHistory : public QObject {
    Q_OBJECT
public:
    explicit EditHistory(ExplorerController* controller, QObject* parent = nullptr);

    QUndoStack* stack() const { return stack_; }
    QAction* undoAction() const { return undo_; }
    QAction* redoAction() const { return redo_; }

private:
    ExplorerController* controller_;
    QUndoStack* stack_;
    QAction* undo_;
    QAction* redo_;
};
