// The pipeline diagram as an export item: drawn as on screen at the export's width, and its
// stages as CSV.
#include "ui/widgets/pipeline_diagram.h"

#include "ui/export/export_csv.h"

#include <QPainter>
#include <QPointer>

ExportItem PipelineDiagram::exportItem() const
{
    ExportItem item;
    item.name = QStringLiteral("pipeline");
    item.title = tr("Pipeline: stages, shapes and time");
    if (report_.stages.empty())
        return item; // no size: not valid
    item.size = QSize(width(), layoutFor(width()).height);
    item.background = palette().color(QPalette::Base);
    const QPointer<const PipelineDiagram> self(this);
    item.paint = originExportPaint([self](QPainter& painter, const QRect& target) {
        if (self)
            self->paint(painter, self->layoutFor(target.width()));
    });
    item.csv = [self] {
        if (!self)
            return QString();
        const auto& report = self->report_;
        QString csv = csvLine({QStringLiteral("stage"), QStringLiteral("group"), QStringLiteral("title"),
                               QStringLiteral("copies"), QStringLiteral("shape"), QStringLiteral("milliseconds"),
                               QStringLiteral("share"), QStringLiteral("share_min"), QStringLiteral("share_max"),
                               QStringLiteral("timed_with")});
        for (const auto& stage : report.stages) {
            QStringList shape;
            for (int64_t size : stage.shape)
                shape << QString::number(size);
            QStringList fields{QString::fromStdString(stage.id), QString::fromStdString(stage.group),
                               QString::fromStdString(stage.title), QString::number(stage.copies),
                               shape.join(QLatin1Char('x'))};
            if (stage.timing >= 0 && stage.timing < int(report.timings.size())) {
                const auto& t = report.timings[size_t(stage.timing)];
                QStringList with;
                for (int s = t.firstStage; s <= t.lastStage; ++s)
                    with << QString::fromStdString(report.stages[size_t(s)].id);
                fields << csvNumber(t.milliseconds) << csvNumber(t.share) << csvNumber(t.shareLow)
                       << csvNumber(t.shareHigh) << with.join(QLatin1Char(' '));
            } else {
                fields << QString() << QString() << QString() << QString() << QString();
            }
            csv += csvLine(fields);
        }
        return csv;
    };
    return item;
}
