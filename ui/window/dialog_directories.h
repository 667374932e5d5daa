#pragma once
// The folder each kind of file dialog opened last ("models", "inputs", "keys", "export"),
// remembered in QSettings.
#include <QString>

QString dialogDirectory(const QString& key);
void rememberDirectory(const QString& key, const QString& file);
