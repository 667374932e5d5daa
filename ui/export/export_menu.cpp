#include "ui/export/export_menu.h"

#include "ui/export/export_actions.h"
#include "ui/export/export_rendering.h"

#include <QCoreApplication>
#include <QMenu>
#include <QWidget>

namespace {

QString tr(const char* text) { return QCoreApplication::translate("ExportMenu", text); }

} // namespace

QMenu* makeExportMenu(QWidget* parent, const ExportItem& item)
{
    auto* menu = new QMenu(parent);
    const bool valid = item.isValid();
    QAction* exportAction = menu->addAction(tr("Export…"));
    exportAction->setEnabled(valid);
    QObject::connect(exportAction, &QAction::triggered, parent, [parent, item] { exportWithDialog(parent, {item}); });
    QAction* copy = menu->addAction(tr("Copy to Clipboard"));
    copy->setEnabled(valid);
    QObject::connect(copy, &QAction::triggered, parent, [item] { copyToClipboard(item); });
    if (valid && item.csv) {
        const QString csv = item.csvText();
        if (!csv.isEmpty()) {
            QAction* copyData = menu->addAction(tr("Copy Data as CSV"));
            QObject::connect(copyData, &QAction::triggered, parent, [item] { copyCsvToClipboard(item); });
        }
    }
    return menu;
}

void installExportMenu(QWidget* widget, ExportItemProvider provider)
{
    widget->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(widget, &QWidget::customContextMenuRequested, widget,
                     [widget, provider = std::move(provider)](const QPoint& position) {
                         QMenu* menu = makeExportMenu(widget, provider());
                         // Deleted once back in this event loop: after the chosen action ran,
                         // even when it opened a modal dialog.
                         QObject::connect(menu, &QMenu::aboutToHide, menu, &QObject::deleteLater);
                         menu->popup(widget->mapToGlobal(position));
                     });
}
