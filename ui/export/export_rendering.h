#pragma once
// Renders an ExportItem to the bytes of a file (PNG, PDF, SVG) or to the clipboard. Views are
// painted on the GUI thread (widgets live there); writing the bytes is export_writer.h's job.
//
// Size and resolution: the view is scaled uniformly until it fills the chosen pixel size (a
// plot re-lays itself out to the exact aspect, a heatmap gets room along one side), with text
// as large relative to the view as on screen. The DPI is recorded in the PNG and sets the PDF
// page's physical size (pixels / DPI inches); it does not change what is drawn.
#include "ui/export/export_item.h"

#include <QByteArray>
#include <QImage>
#include <QSize>
#include <QString>

enum class ExportFormat { Png, Pdf, Svg };

constexpr double kDefaultExportDpi = 144.0;

QString exportFormatSuffix(ExportFormat format); // "png", "pdf", "svg"
// The format a file name asks for by its suffix (case ignored); false for any other suffix.
bool exportFormatForPath(const QString& path, ExportFormat* format);

// The logical DPI views are drawn at on screen (the primary screen's, else 96).
double screenDpi();
// Twice the natural size: sharp on high-density screens and in print.
QSize defaultExportPixels(const ExportItem& item);
// Why this size or DPI cannot be rendered (empty, too large for memory, DPI out of range), or "".
QString exportSizeProblem(const QSize& pixels, double dpi);

// A null image / empty bytes when the item is not valid or exportSizeProblem() objects.
QImage renderImage(const ExportItem& item, const QSize& pixels, double dpi);
QByteArray encodePng(const QImage& image); // thread-safe: the writer encodes in its thread
QByteArray renderPng(const ExportItem& item, const QSize& pixels, double dpi);
QByteArray renderPdf(const ExportItem& item, const QSize& pixels, double dpi);
QByteArray renderSvg(const ExportItem& item, const QSize& pixels);
// Any format; on failure empty bytes and `error` (for people) says why.
QByteArray renderExport(const ExportItem& item, ExportFormat format, const QSize& pixels, double dpi,
                        QString* error = nullptr);

// The view as an image (twice its natural size, at twice the screen's DPI so that it pastes at
// its on-screen size) and, when it has data, the CSV as text too. False when the item is not valid.
bool copyToClipboard(const ExportItem& item);
bool copyCsvToClipboard(const ExportItem& item); // false when it has no data
