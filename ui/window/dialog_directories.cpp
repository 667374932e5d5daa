#include "ui/window/dialog_directories.h"

#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

QString dialogDirectory(const QString& key)
{
    const QString fallback = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    return QSettings().value(QStringLiteral("directories/") + key, fallback).toString();
}

void rememberDirectory(const QString& key, const QString& file)
{
    QSettings().setValue(QStringLiteral("directories/") + key, QFileInfo(file).absolutePath());
}
