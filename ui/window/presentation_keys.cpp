#include "ui/window/presentation_keys.h"

#include <QAction>
#include <QWidget>

PresentationKeys::PresentationKeys(QWidget* window) : QObject(window)
{
    connect(add(window, {QKeySequence(Qt::Key_Right), QKeySequence(Qt::Key_PageDown), QKeySequence(Qt::Key_Space)},
                tr("Next step")),
            &QAction::triggered, this, [this] { Q_EMIT stepRequested(+1); });
    connect(add(window, {QKeySequence(Qt::Key_Left), QKeySequence(Qt::Key_PageUp)}, tr("Previous step")),
            &QAction::triggered, this, [this] { Q_EMIT stepRequested(-1); });
    connect(add(window, {QKeySequence(Qt::Key_Escape)}, tr("Leave presentation mode")), &QAction::triggered, this,
            &PresentationKeys::leaveRequested);
    connect(add(window, {QKeySequence(Qt::Key_K)}, tr("Shuffle the keys")), &QAction::triggered, this,
            &PresentationKeys::shuffleKeysRequested);
    for (int n = 1; n <= 9; ++n)
        connect(add(window, {QKeySequence(Qt::Key_0 + n)}, tr("N = %1").arg(n)), &QAction::triggered, this,
                [this, n] { Q_EMIT nRequested(n); });
    setPresenting(false);
}

QAction* PresentationKeys::add(QWidget* window, const QList<QKeySequence>& keys, const QString& text)
{
    auto* action = new QAction(text, this);
    action->setShortcuts(keys);
    action->setShortcutContext(Qt::ApplicationShortcut);
    window->addAction(action);
    actions_ << action;
    return action;
}

void PresentationKeys::setPresenting(bool on)
{
    presenting_ = on;
    for (QAction* action : actions_)
        action->setEnabled(on);
}
