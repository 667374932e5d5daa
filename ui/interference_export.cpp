// The Interference tab's exports: each plot, the influence matrix and the MIMOFormer score
// table as an ExportItem with the data it shows as CSV.
#include "ui/interference_view.h"

#include "ui/export_csv.h"
#include "ui/matrix_heatmap_widget.h"

#include <qcustomplot.h>

#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QTableWidget>

#include <cmath>
#include <limits>

namespace {

double valueAt(const std::vector<double>& values, std::size_t index)
{
    return index < values.size() ? values[index] : std::numeric_limits<double>::quiet_NaN();
}

// An item for a part that is hidden (nothing measured for it) is not valid.
ExportItem shownOnly(ExportItem item, const QWidget* part)
{
    if (part->isHidden())
        item.size = QSize();
    return item;
}

} // namespace

ExportItem InterferenceView::slotItem() const
{
    const QPointer<const InterferenceView> self(this);
    return shownOnly(plotExportItem(slotPlot_, QStringLiteral("interference-slots"), slotTitle_->text(),
                                    [self] { return self ? self->slotCsv() : QString(); }),
                     slotPlot_);
}

ExportItem InterferenceView::layerItem() const
{
    const QPointer<const InterferenceView> self(this);
    return shownOnly(plotExportItem(layerPlot_, QStringLiteral("interference-layers"), layerTitle_->text(),
                                    [self] { return self ? self->layerCsv() : QString(); }),
                     layerPlot_);
}

ExportItem InterferenceView::influenceItem() const
{
    return shownOnly(influence_->exportItem(QStringLiteral("interference-influence"), influenceTitle_->text()), influence_);
}

ExportItem InterferenceView::keyItem() const
{
    const QPointer<const InterferenceView> self(this);
    return shownOnly(plotExportItem(keyPlot_, QStringLiteral("interference-keys"), keyTitle_->text(),
                                    [self] { return self ? self->keyCsv() : QString(); }),
                     keyPlot_);
}

// The MIMOFormer score table: drawn as the table on screen (text stays text in PDF and SVG).
ExportItem InterferenceView::scoreItem() const
{
    const QPointer<const InterferenceView> self(this);
    const QPointer<QTableWidget> table(scores_);
    ExportItem item;
    item.name = QStringLiteral("interference-scores");
    item.title = scoresTitle_->text();
    item.size = scores_->size();
    item.background = palette().color(QPalette::Base);
    item.paint = plainExportPaint([table](QPainter& painter, const QRect& target) {
        if (!table || table->width() <= 0 || table->height() <= 0)
            return;
        painter.save();
        painter.translate(target.topLeft());
        painter.scale(double(target.width()) / table->width(), double(target.height()) / table->height());
        table->render(&painter, QPoint(), QRegion(), QWidget::DrawChildren);
        painter.restore();
    });
    item.csv = [self] { return self ? self->scoreCsv() : QString(); };
    return shownOnly(item, scores_);
}

QString InterferenceView::scoreCsv() const
{
    QStringList header;
    for (int c = 0; c < scores_->columnCount(); ++c)
        header << (scores_->horizontalHeaderItem(c) ? scores_->horizontalHeaderItem(c)->text().replace('\n', ' ') : QString());
    QString text = csvLine(header);
    for (int r = 0; r < scores_->rowCount(); ++r) {
        QStringList fields;
        for (int c = 0; c < scores_->columnCount(); ++c)
            fields << (scores_->item(r, c) ? scores_->item(r, c)->text() : QString());
        text += csvLine(fields);
    }
    return text;
}

QList<ExportItem> InterferenceView::exportItems() const
{
    QList<ExportItem> items;
    if (!showing_)
        return items;
    for (const ExportItem& item : {slotItem(), layerItem(), influenceItem(), keyItem(), scoreItem()})
        if (item.isValid())
            items << item;
    return items;
}

QString InterferenceView::slotCsv() const
{
    const std::size_t n = std::max(summary_.featureCosine.size(), summary_.probabilityChange.size());
    QString text = csvLine({QStringLiteral("slot"), QStringLiteral("cosine_to_alone"), QStringLiteral("probability_change")});
    for (std::size_t i = 0; i < n; ++i)
        text += csvLine({QString::number(i + 1), csvNumber(valueAt(summary_.featureCosine, i)),
                         csvNumber(valueAt(summary_.probabilityChange, i))});
    return text;
}

QString InterferenceView::layerCsv() const
{
    const std::size_t count = std::min(summary_.layers.size(), summary_.layerGap.size());
    const QString meaning = QString::fromStdString(summary_.layerGapMeaning);
    QString text = csvLine({QStringLiteral("layer"), meaning.isEmpty() ? QStringLiteral("gap") : meaning});
    for (std::size_t i = 0; i < count; ++i)
        text += csvLine({QString::fromStdString(summary_.layers[i]), csvNumber(summary_.layerGap[i])});
    return text;
}

QString InterferenceView::keyCsv() const
{
    QString text = csvLine({QStringLiteral("series"), QStringLiteral("n"), QStringLiteral("cosine")});
    const QString expected = QStringLiteral("expected (%1 keys)").arg(QString::fromStdString(summary_.theoryFamily));
    for (std::size_t i = 0; i < summary_.curveN.size(); ++i)
        text += csvLine({expected, QString::number(summary_.curveN[i]), csvNumber(valueAt(summary_.theoryCosine, i))});
    for (std::size_t i = 0; i < summary_.measuredN.size(); ++i)
        text += csvLine({QStringLiteral("measured"), QString::number(summary_.measuredN[i]),
                         csvNumber(valueAt(summary_.measuredCosine, i))});
    for (std::size_t i = 0; i < summary_.slotCosine.size(); ++i)
        text += csvLine({QStringLiteral("slot %1").arg(i + 1), QString::number(summary_.n), csvNumber(summary_.slotCosine[i])});
    return text;
}
