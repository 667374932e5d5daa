#include "ui/export/export_rendering.h"

#include "ui/widgets/qcustomplot_no_keywords.h"

#include <QBuffer>
#include <QClipboard>
#include <QCoreApplication>
#include <QFileInfo>
#include <QGuiApplication>
#include <QMimeData>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QScreen>
#include <QSvgGenerator>

#include <algorithm>
#include <cmath>

namespace {

constexpr int kMaxSide = 20000;
constexpr qint64 kMaxPixels = 100'000'000; // 400 MB as an image
constexpr double kMinDpi = 10.0, kMaxDpi = 2400.0;
constexpr double kMetersPerInch = 0.0254;

int dotsPerMeter(double dpi) { return int(std::lround(dpi / kMetersPerInch)); }

// Scales the painter so that the item's natural size fits `device` (device units), fills the
// background and lets the item draw into the whole device, re-measured in logical pixels.
void paintScaled(QCPPainter& painter, const ExportItem& item, const QSizeF& device)
{
    if (item.background.isValid())
        painter.fillRect(QRectF(QPointF(0, 0), device), item.background);
    const double scale = std::min(device.width() / item.size.width(), device.height() / item.size.height());
    const QRect logical(0, 0, std::max(1, int(std::lround(device.width() / scale))),
                        std::max(1, int(std::lround(device.height() / scale))));
    painter.save();
    painter.scale(scale, scale);
    painter.setClipRect(logical);
    item.paint(painter, logical);
    painter.restore();
}

// Vector devices: no pixel caches, and no cosmetic (always one device pixel wide) pens, which
// would turn into hairlines when the page is zoomed or printed.
void setVectorModes(QCPPainter& painter)
{
    painter.setMode(QCPPainter::pmVectorized);
    painter.setMode(QCPPainter::pmNoCaching);
    painter.setMode(QCPPainter::pmNonCosmetic);
}

bool renderable(const ExportItem& item, const QSize& pixels, double dpi)
{
    return item.isValid() && exportSizeProblem(pixels, dpi).isEmpty();
}

} // namespace

QString exportFormatSuffix(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Pdf:
        return QStringLiteral("pdf");
    case ExportFormat::Svg:
        return QStringLiteral("svg");
    case ExportFormat::Png:
        break;
    }
    return QStringLiteral("png");
}

bool exportFormatForPath(const QString& path, ExportFormat* format)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    for (ExportFormat candidate : {ExportFormat::Png, ExportFormat::Pdf, ExportFormat::Svg}) {
        if (suffix == exportFormatSuffix(candidate)) {
            *format = candidate;
            return true;
        }
    }
    return false;
}

double screenDpi()
{
    const QScreen* screen = QGuiApplication::primaryScreen();
    const double dpi = screen ? screen->logicalDotsPerInchY() : 0.0;
    return dpi >= kMinDpi && dpi <= kMaxDpi ? dpi : 96.0;
}

QSize defaultExportPixels(const ExportItem& item) { return item.size * 2; }

QString exportSizeProblem(const QSize& pixels, double dpi)
{
    if (pixels.width() < 1 || pixels.height() < 1)
        return QCoreApplication::translate("Export", "The size %1 x %2 pixels is empty.")
            .arg(pixels.width())
            .arg(pixels.height());
    if (pixels.width() > kMaxSide || pixels.height() > kMaxSide || qint64(pixels.width()) * pixels.height() > kMaxPixels)
        return QCoreApplication::translate("Export", "The size %1 x %2 pixels is too large (at most %3 pixels a side "
                                                     "and %4 million pixels).")
            .arg(pixels.width())
            .arg(pixels.height())
            .arg(kMaxSide)
            .arg(kMaxPixels / 1'000'000);
    if (!(dpi >= kMinDpi && dpi <= kMaxDpi))
        return QCoreApplication::translate("Export", "The resolution %1 DPI is outside %2 to %3.")
            .arg(dpi)
            .arg(kMinDpi)
            .arg(kMaxDpi);
    return {};
}

QImage renderImage(const ExportItem& item, const QSize& pixels, double dpi)
{
    if (!renderable(item, pixels, dpi))
        return {};
    QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
    if (image.isNull())
        return {}; // out of memory
    image.fill(Qt::transparent);
    // Fonts are sized by the device's DPI: paint at the screen's, so text keeps its on-screen
    // size relative to the view, then record the DPI asked for.
    image.setDotsPerMeterX(dotsPerMeter(screenDpi()));
    image.setDotsPerMeterY(dotsPerMeter(screenDpi()));
    {
        QCPPainter painter(&image);
        painter.setMode(QCPPainter::pmNoCaching);
        paintScaled(painter, item, QSizeF(pixels));
    }
    image.setDotsPerMeterX(dotsPerMeter(dpi));
    image.setDotsPerMeterY(dotsPerMeter(dpi));
    return image;
}

QByteArray encodePng(const QImage& image)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    if (image.isNull() || !buffer.open(QIODevice::WriteOnly) || !image.save(&buffer, "PNG"))
        return {};
    return bytes;
}

QByteArray renderPng(const ExportItem& item, const QSize& pixels, double dpi)
{
    return encodePng(renderImage(item, pixels, dpi));
}

QByteArray renderPdf(const ExportItem& item, const QSize& pixels, double dpi)
{
    if (!renderable(item, pixels, dpi))
        return {};
    QByteArray bytes;
    QBuffer buffer(&bytes);
    if (!buffer.open(QIODevice::WriteOnly))
        return {};
    QPdfWriter writer(&buffer);
    writer.setTitle(item.title);
    writer.setCreator(QCoreApplication::applicationName());
    writer.setResolution(int(std::lround(screenDpi()))); // fonts as on screen (see renderImage)
    const double pointsPerPixel = 72.0 / dpi;
    const QPageSize page(QSizeF(pixels.width() * pointsPerPixel, pixels.height() * pointsPerPixel), QPageSize::Point,
                         item.title, QPageSize::ExactMatch);
    if (!writer.setPageLayout(QPageLayout(page, QPageLayout::Portrait, QMarginsF(0, 0, 0, 0))))
        return {};
    QCPPainter painter;
    if (!painter.begin(&writer))
        return {};
    setVectorModes(painter);
    paintScaled(painter, item, QSizeF(writer.width(), writer.height()));
    if (!painter.end())
        return {};
    return bytes;
}

QByteArray renderSvg(const ExportItem& item, const QSize& pixels)
{
    if (!renderable(item, pixels, kDefaultExportDpi))
        return {};
    QByteArray bytes;
    QBuffer buffer(&bytes);
    if (!buffer.open(QIODevice::WriteOnly))
        return {};
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(pixels);
    generator.setViewBox(QRect(QPoint(0, 0), pixels));
    generator.setResolution(int(std::lround(screenDpi()))); // fonts as on screen (see renderImage)
    generator.setTitle(item.title);
    generator.setDescription(QCoreApplication::translate("Export", "%1, exported from %2")
                                 .arg(item.title, QCoreApplication::applicationName()));
    QCPPainter painter;
    if (!painter.begin(&generator))
        return {};
    setVectorModes(painter);
    paintScaled(painter, item, QSizeF(pixels));
    if (!painter.end())
        return {};
    return bytes;
}

QByteArray renderExport(const ExportItem& item, ExportFormat format, const QSize& pixels, double dpi, QString* error)
{
    QString problem = item.isValid() ? exportSizeProblem(pixels, dpi)
                                     : QCoreApplication::translate("Export", "There is nothing to export in this view yet.");
    QByteArray bytes;
    if (problem.isEmpty()) {
        bytes = format == ExportFormat::Pdf   ? renderPdf(item, pixels, dpi)
                : format == ExportFormat::Svg ? renderSvg(item, pixels)
                                              : renderPng(item, pixels, dpi);
        if (bytes.isEmpty())
            problem = QCoreApplication::translate("Export", "Could not draw \"%1\" as %2 at %3 x %4 pixels (out of memory?).")
                          .arg(item.title, exportFormatSuffix(format).toUpper())
                          .arg(pixels.width())
                          .arg(pixels.height());
    }
    if (error)
        *error = problem;
    return bytes;
}

bool copyToClipboard(const ExportItem& item)
{
    const QImage image = renderImage(item, defaultExportPixels(item), 2.0 * screenDpi());
    if (image.isNull())
        return false;
    auto* data = new QMimeData;
    data->setImageData(image);
    // As text/csv only: a plain-text entry would make word processors paste numbers instead of
    // the picture. "Copy Data as CSV" puts the numbers there as plain text.
    const QString csv = item.csvText();
    if (!csv.isEmpty())
        data->setData(QStringLiteral("text/csv"), csv.toUtf8());
    QGuiApplication::clipboard()->setMimeData(data);
    return true;
}

bool copyCsvToClipboard(const ExportItem& item)
{
    const QString csv = item.csvText();
    if (csv.isEmpty())
        return false;
    QGuiApplication::clipboard()->setText(csv);
    return true;
}
