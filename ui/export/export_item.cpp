#include "ui/export/export_item.h"

#include "ui/widgets/qcustomplot_no_keywords.h"

#include <QPointer>
#include <QRegularExpression>

ExportPaint plainExportPaint(std::function<void(QPainter& painter, const QRect& target)> paint)
{
    return [paint = std::move(paint)](QCPPainter& painter, const QRect& target) { paint(painter, target); };
}

ExportPaint originExportPaint(std::function<void(QPainter& painter, const QRect& target)> paint)
{
    return [paint = std::move(paint)](QCPPainter& painter, const QRect& target) {
        painter.save();
        painter.translate(target.topLeft());
        paint(painter, target);
        painter.restore();
    };
}

ExportItem plotExportItem(QCustomPlot* plot, const QString& name, const QString& title, std::function<QString()> csv)
{
    ExportItem item;
    item.name = name;
    item.title = title;
    item.size = naturalWidgetSize(plot);
    item.background = plot->palette().color(QPalette::Window);
    item.csv = std::move(csv);
    item.paint = [plot = QPointer<QCustomPlot>(plot)](QCPPainter& painter, const QRect& target) {
        if (!plot)
            return;
        painter.save();
        painter.translate(target.topLeft());
        plot->toPainter(&painter, target.width(), target.height());
        painter.restore();
        // toPainter laid the plot out at the export size; the screen (and the mouse read-outs,
        // which map pixels to coordinates) needs its own layout back.
        plot->replot(QCustomPlot::rpQueuedReplot);
    };
    return item;
}

QSize naturalWidgetSize(const QWidget* widget, const QSize& fallback)
{
    // Laid out at least once (perhaps in a tab hidden now): as it was on screen. Before that a
    // child widget has Qt's placeholder geometry (100 x 30), which says nothing.
    if (widget && widget->testAttribute(Qt::WA_WState_Polished) && widget->width() >= 48 && widget->height() >= 48)
        return widget->size();
    return fallback;
}

QString fileSafeName(const QString& text)
{
    QString slug = text.normalized(QString::NormalizationForm_KD).toLower();
    slug.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
    slug.remove(QRegularExpression(QStringLiteral("^-+|-+$")));
    return slug.isEmpty() ? QStringLiteral("view") : slug;
}
