#pragma once
// Ctrl+Z / Ctrl+Shift+Z from a focused line edit or spin box of the window reach the
// application's history (Edit > Undo "Keys: …") once the field's edit was applied: a field
// claims those keys for its own undo only while it holds typed text that is not applied yet.
// A field's edit counts as applied when the controller reports an edit for the history (every
// modified line edit of the window is then shown anew, unmodified and with its own undo history
// cleared), or when it is shown anew anyway (setText, setValue).
#include <QObject>

class ExplorerController;
class QWidget;

class FieldUndoRouting : public QObject {
    Q_OBJECT
public:
    FieldUndoRouting(QWidget* window, ExplorerController* controller);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* window_;
};
