#pragma once
// Local files and folders in drag-and-drop or clipboard data, in the order given.
#include <QStringList>

class QMimeData;

QStringList droppedPaths(const QMimeData* data);
