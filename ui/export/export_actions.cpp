#include "ui/export/export_actions.h"

#include "ui/export/export_all.h"
#include "ui/export/export_dialog.h"
#include "ui/export/export_rendering.h"
#include "ui/window/dialog_directories.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QWidget>

#include <algorithm>

namespace {

QString tr(const char* text) { return QCoreApplication::translate("ExportActions", text); }

QList<ExportItem> validItems(const QList<ExportItem>& items)
{
    QList<ExportItem> valid;
    std::copy_if(items.begin(), items.end(), std::back_inserter(valid), [](const ExportItem& item) { return item.isValid(); });
    return valid;
}

} // namespace

bool exportWithDialog(QWidget* parent, const QList<ExportItem>& items, int current, ExportWriter* writer)
{
    // Only the views that hold something can be chosen; `current` keeps pointing at its view.
    QList<ExportItem> offered;
    int chosen = 0;
    for (int i = 0; i < items.size(); ++i) {
        if (!items[i].isValid())
            continue;
        if (i <= current)
            chosen = int(offered.size());
        offered << items[i];
    }
    if (offered.isEmpty()) {
        QMessageBox::information(parent, tr("Export View"), tr("There is nothing to export yet: the views are empty."));
        return false;
    }
    ExportDialog dialog(offered, chosen, parent);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    ExportFile file{dialog.path(), {}, {}};
    QString error;
    if (dialog.format() == ExportFormat::Png) {
        file.image = renderImage(dialog.item(), dialog.pixels(), dialog.dpi()); // encoded by the writer
        if (file.image.isNull())
            renderExport(dialog.item(), ExportFormat::Png, dialog.pixels(), dialog.dpi(), &error);
    } else {
        file.bytes = renderExport(dialog.item(), dialog.format(), dialog.pixels(), dialog.dpi(), &error);
    }
    if (file.image.isNull() && file.bytes.isEmpty()) {
        QMessageBox::warning(parent, tr("Export View"),
                             tr("%1: %2").arg(QDir::toNativeSeparators(file.path),
                                              error.isEmpty() ? tr("the view could not be drawn") : error));
        return false;
    }
    writer->write({file});
    return true;
}

bool exportAllWithDialog(QWidget* parent, const QList<ExportItem>& items, QWidget* window, ExportWriter* writer)
{
    const QList<ExportItem> valid = validItems(items);
    if (valid.isEmpty() && !window) {
        QMessageBox::information(parent, tr("Export All Views"), tr("There is nothing to export yet: the views are empty."));
        return false;
    }
    const QString parentFolder = QFileDialog::getExistingDirectory(
        parent, tr("Export All Views into a New Folder in…"), dialogDirectory(QStringLiteral("export")));
    if (parentFolder.isEmpty())
        return false;
    // rememberDirectory() keeps the folder of the path it is given: the chosen folder itself.
    rememberDirectory(QStringLiteral("export"), QDir(parentFolder).filePath(QStringLiteral("index.json")));
    exportAll(valid, QDir(parentFolder).filePath(exportAllFolderName()), writer, window);
    return true;
}

bool saveScreenshotWithDialog(QWidget* window, ExportWriter* writer)
{
    QString path = QFileDialog::getSaveFileName(window, tr("Save Screenshot"),
                                                QDir(dialogDirectory(QStringLiteral("export")))
                                                    .filePath(QStringLiteral("mimo-explorer.png")),
                                                tr("PNG images (*.png)"));
    if (path.isEmpty())
        return false;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".png");
    rememberDirectory(QStringLiteral("export"), path);
    writer->write({ExportFile{path, {}, windowScreenshot(window)}});
    return true;
}
