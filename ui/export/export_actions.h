#pragma once
// What the export commands do once chosen (File menu, context menus): ask (dialog), draw on
// the GUI thread, hand the bytes to an ExportWriter, which writes them in its thread and
// reports through finished(written, errors). Nothing here waits for the disk.
#include "ui/export/export_item.h"
#include "ui/export/export_writer.h"

#include <QList>

class QWidget;

// ExportDialog over `items` (starting at `current`); false when cancelled, or when the view
// could not be drawn (a message box says why).
bool exportWithDialog(QWidget* parent, const QList<ExportItem>& items, int current = 0,
                      ExportWriter* writer = ExportWriter::shared());

// Asks for a folder (remembered) and exports every item, the window's screenshot (when
// `window` is given) and index.json into a new subfolder of it (exportAllFolderName()).
// False when cancelled or there is nothing to export (a message box says so).
bool exportAllWithDialog(QWidget* parent, const QList<ExportItem>& items, QWidget* window = nullptr,
                         ExportWriter* writer = ExportWriter::shared());

// Asks for a PNG file (remembered folder) and writes a screenshot of `window`; false when cancelled.
bool saveScreenshotWithDialog(QWidget* window, ExportWriter* writer = ExportWriter::shared());
