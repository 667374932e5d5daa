#include "ui/window/field_undo.h"

#include "ui/controller/explorer_controller.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QKeyEvent>
#include <QLineEdit>
#include <QWidget>

namespace {

// The line edit that holds the typing of a focused field (a spin box types into its own).
QLineEdit* typingIn(QObject* object)
{
    if (auto* edit = qobject_cast<QLineEdit*>(object))
        return edit;
    if (auto* spin = qobject_cast<QAbstractSpinBox*>(object))
        return spin->findChild<QLineEdit*>();
    return nullptr;
}

} // namespace

FieldUndoRouting::FieldUndoRouting(QWidget* window, ExplorerController* controller) : QObject(window), window_(window)
{
    qApp->installEventFilter(this);
    // An edit for the history: whatever the fields held was applied.
    // Shown anew, it forgets the typing: its own undo cannot step back past the applied value.
    connect(controller, &ExplorerController::edited, this, [this] {
        for (QLineEdit* edit : window_->findChildren<QLineEdit*>()) {
            if (!edit->isModified())
                continue;
            const int cursor = edit->cursorPosition();
            edit->setText(edit->text()); // unmodified, its undo history cleared
            edit->setCursorPosition(cursor);
        }
    });
}

bool FieldUndoRouting::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() != QEvent::ShortcutOverride)
        return false;
    auto* key = static_cast<QKeyEvent*>(event);
    if (!key->matches(QKeySequence::Undo) && !key->matches(QKeySequence::Redo))
        return false;
    auto* widget = qobject_cast<QWidget*>(watched);
    QLineEdit* edit = typingIn(watched);
    if (!widget || !edit || widget->window() != window_ || edit->isModified())
        return false; // another window's field, or typing not applied yet: the field's own undo
    // Not claimed by the field: the window's Undo / Redo shortcut runs.
    key->ignore();
    return true;
}
