#pragma once
// One exportable view (a plot or a heatmap), described so that it can be drawn into any painter
// (an image, a PDF page, an SVG document, the clipboard) at any size, with the data it shows.
#include <QColor>
#include <QRect>
#include <QSize>
#include <QString>

#include <functional>

class QCPPainter;
class QCustomPlot;
class QPainter;
class QWidget;

using ExportPaint = std::function<void(QCPPainter& painter, const QRect& target)>;

struct ExportItem {
    QString name;  // file-safe slug, unique among the items of one export: "throughput-accuracy"
    QString title; // for people: SVG and PDF title, the export index, the dialog
    QSize size;    // natural size in logical pixels (as on screen)
    QColor background; // filled behind the view; invalid: transparent
    // Draws the view filling `target` (logical pixels; the painter is already scaled to the
    // output). Always a QCPPainter, so QCustomPlot can draw itself as vectors (toPainter); any
    // other view uses it as a plain QPainter.
    ExportPaint paint;
    std::function<QString()> csv; // the data shown (export_csv.h); may be unset or return ""

    bool isValid() const { return paint && !name.isEmpty() && size.width() > 0 && size.height() > 0; }
    QString csvText() const { return csv ? csv() : QString(); }
};

// For views that draw with a plain QPainter (every one but QCustomPlot), which then need not
// know QCPPainter.
ExportPaint plainExportPaint(std::function<void(QPainter& painter, const QRect& target)> paint);
// The same for views that draw from (0, 0): the painter's origin is moved to the target's
// top-left corner for `paint`, and put back after.
ExportPaint originExportPaint(std::function<void(QPainter& painter, const QRect& target)> paint);

// A QCustomPlot as an item: drawn by the plot itself at the target size (re-laid out, vector
// text and lines), the natural size being the plot's size on screen.
ExportItem plotExportItem(QCustomPlot* plot, const QString& name, const QString& title,
                          std::function<QString()> csv = {});

// The size a widget has on screen (also in a tab hidden now), or `fallback` while it has never
// been laid out.
QSize naturalWidgetSize(const QWidget* widget, const QSize& fallback = QSize(640, 400));

// Lower-case letters, digits and '-' only: "Key similarity (N=4)" -> "key-similarity-n-4".
QString fileSafeName(const QString& text);
