#include "ui/window/recent_files.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

RecentFiles::RecentFiles(const QString& settingsKey, QMenu* menu, QObject* parent)
    : QObject(parent), key_(settingsKey), menu_(menu)
{
    rebuildMenu();
}

QStringList RecentFiles::files() const { return QSettings().value(key_).toStringList(); }

void RecentFiles::add(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList list = files();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > kMaximum)
        list.removeLast();
    QSettings().setValue(key_, list);
    rebuildMenu();
}

void RecentFiles::clear()
{
    QSettings().remove(key_);
    rebuildMenu();
}

void RecentFiles::rebuildMenu()
{
    menu_->clear();
    const QStringList list = files();
    for (int i = 0; i < list.size(); ++i) {
        const QString path = list[i];
        QAction* action = menu_->addAction(QStringLiteral("&%1 %2").arg((i + 1) % 10).arg(QFileInfo(path).fileName()));
        action->setToolTip(QDir::toNativeSeparators(path));
        action->setStatusTip(QDir::toNativeSeparators(path));
        action->setEnabled(QFileInfo::exists(path));
        connect(action, &QAction::triggered, this, [this, path] { Q_EMIT openRequested(path); });
    }
    if (!list.isEmpty())
        menu_->addSeparator();
    QAction* clearAction = menu_->addAction(tr("Clear the list"), this, &RecentFiles::clear);
    clearAction->setEnabled(!list.isEmpty());
    menu_->setEnabled(true);
}
