#pragma once
// Local files and folders in drag-and-drop or clipboard data, in the order given: URLs, or text
// whose every line names one (an absolute path that exists, or a file:// URI), as a file
// manager's "Copy path" or a terminal gives them. Other text is not a path (a typed sequence).
#include <QStringList>

class QMimeData;

QStringList droppedPaths(const QMimeData* data);
// The paths `text` names, one per line; empty unless every non-blank line names an existing one.
QStringList pathsInText(const QString& text);
