#include "ui/export/export_all.h"

#include "ui/export/export_rendering.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPixmap>
#include <QSet>
#include <QWidget>

#include <cmath>

namespace {

// "name", then "name-2", "name-3", ... for the names already taken.
QString uniqueName(const QString& name, QSet<QString>& taken)
{
    QString unique = name;
    for (int i = 2; taken.contains(unique); ++i)
        unique = name + QLatin1Char('-') + QString::number(i);
    taken.insert(unique);
    return unique;
}

} // namespace

QList<ExportFile> exportAllFiles(const QList<ExportItem>& items, const QString& folder, const QImage& window,
                                 QStringList* problems)
{
    const QDir dir(folder);
    QList<ExportFile> files;
    QStringList failed;
    QJsonArray index;
    QSet<QString> taken{QStringLiteral("window"), QStringLiteral("index")};
    for (const ExportItem& item : items) {
        if (!item.isValid())
            continue;
        const QString name = uniqueName(fileSafeName(item.name), taken);
        const QSize pixels = defaultExportPixels(item);
        QJsonArray written;
        const auto add = [&](const QString& suffix, ExportFile file, bool drawn) {
            if (!drawn) {
                failed << QCoreApplication::translate("Export", "%1: could not draw \"%2\" as %3 at %4 x %5 pixels")
                              .arg(QDir::toNativeSeparators(dir.filePath(name + QLatin1Char('.') + suffix)), item.title,
                                   suffix.toUpper())
                              .arg(pixels.width())
                              .arg(pixels.height());
                return;
            }
            file.path = dir.filePath(name + QLatin1Char('.') + suffix);
            written.append(QFileInfo(file.path).fileName());
            files << file;
        };
        const QImage image = renderImage(item, pixels, kDefaultExportDpi);
        add(QStringLiteral("png"), {{}, {}, image}, !image.isNull());
        const QByteArray svg = renderSvg(item, pixels);
        add(QStringLiteral("svg"), {{}, svg, {}}, !svg.isEmpty());
        const QByteArray pdf = renderPdf(item, pixels, kDefaultExportDpi);
        add(QStringLiteral("pdf"), {{}, pdf, {}}, !pdf.isEmpty());
        const QString csv = item.csvText();
        if (!csv.isEmpty())
            add(QStringLiteral("csv"), {{}, csv.toUtf8(), {}}, true);
        index.append(QJsonObject{{QStringLiteral("name"), name},
                                 {QStringLiteral("title"), item.title},
                                 {QStringLiteral("width"), pixels.width()},
                                 {QStringLiteral("height"), pixels.height()},
                                 {QStringLiteral("dpi"), kDefaultExportDpi},
                                 {QStringLiteral("files"), written}});
    }
    QJsonObject root{{QStringLiteral("application"), QCoreApplication::applicationName()},
                     {QStringLiteral("created"), QDateTime::currentDateTime().toString(Qt::ISODate)},
                     {QStringLiteral("views"), index}};
    if (!window.isNull()) {
        files << ExportFile{dir.filePath(QStringLiteral("window.png")), {}, window};
        root.insert(QStringLiteral("window"), QStringLiteral("window.png"));
    }
    if (!failed.isEmpty())
        root.insert(QStringLiteral("problems"), QJsonArray::fromStringList(failed));
    files << ExportFile{dir.filePath(QStringLiteral("index.json")), QJsonDocument(root).toJson(), {}};
    if (problems)
        *problems = failed;
    return files;
}

int exportAll(const QList<ExportItem>& items, const QString& folder, ExportWriter* writer, QWidget* window)
{
    QStringList problems;
    const QList<ExportFile> files = exportAllFiles(items, folder, window ? windowScreenshot(window) : QImage(), &problems);
    writer->write(files, folder, problems);
    return int(files.size());
}

QString exportAllFolderName(const QDateTime& when)
{
    return QStringLiteral("mimo-export-") + when.toString(QStringLiteral("yyyyMMdd-HHmmss"));
}

QImage windowScreenshot(QWidget* window)
{
    if (!window)
        return {};
    const QPixmap pixmap = window->grab();
    QImage image = pixmap.toImage();
    if (image.isNull())
        return {};
    const int dotsPerMeter = int(std::lround(screenDpi() * pixmap.devicePixelRatio() / 0.0254));
    image.setDotsPerMeterX(dotsPerMeter);
    image.setDotsPerMeterY(dotsPerMeter);
    return image;
}

QByteArray windowScreenshotPng(QWidget* window) { return encodePng(windowScreenshot(window)); }
