// The exports of the interference view: each part shown, with the numbers it shows as CSV.
#include "ui/inside/interference_view.h"

#include "ui/export/export_csv.h"
#include "ui/inside/interference_csv.h"
#include "ui/widgets/matrix_heatmap_widget.h"
#include "ui/widgets/qcustomplot_no_keywords.h"

#include <QLabel>
#include <QPainter>
#include <QPointer>
#include <QTableWidget>

namespace {

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
                                    [self] { return self ? interference_csv::perSlot(self->summary_) : QString(); }),
                     slotPlot_);
}

ExportItem InterferenceView::layerItem() const
{
    const QPointer<const InterferenceView> self(this);
    return shownOnly(plotExportItem(layerPlot_, QStringLiteral("interference-layers"), layerTitle_->text(),
                                    [self] { return self ? interference_csv::perLayer(self->summary_) : QString(); }),
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
                                    [self] { return self ? interference_csv::keysOverN(self->summary_) : QString(); }),
                     keyPlot_);
}

// The MIMOFormer score table: drawn as the table on screen (text stays text in PDF and SVG).
ExportItem InterferenceView::scoreItem() const
{
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
    item.csv = [table] { return table ? tableCsv(*table) : QString(); };
    return shownOnly(item, scores_);
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
