#pragma once
// The right-click menu of every plot and heatmap: "Export…", "Copy to Clipboard" and, when the
// view has data, "Copy Data as CSV". The provider is asked when the menu opens, so the menu
// always offers what the view shows then (disabled while it shows nothing).
#include "ui/export/export_item.h"

#include <functional>

class QMenu;
class QWidget;

using ExportItemProvider = std::function<ExportItem()>;

// Sets a custom context menu on `widget` (mouse presses are left to the widget). Export goes
// through ExportWriter::shared().
void installExportMenu(QWidget* widget, ExportItemProvider provider);

// The menu itself, for `item` (owned by `parent`; tests trigger its actions).
QMenu* makeExportMenu(QWidget* parent, const ExportItem& item);
