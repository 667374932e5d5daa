// What the Attention tab exports: the maps shown, or the query's pictures, each with its data.
#include "ui/inside/attention_view.h"

#include "ui/widgets/pixel_attention_widget.h"
#include "ui/widgets/token_map_widget.h"

ExportItem AttentionView::mapItem(int part, bool onImage) const
{
    if (maps_.length == 0 || part < 0 || part > 2)
        return {};
    const QString where =
        tr("Attention, sequence %1, layer %2, head %3").arg(maps_.slot + 1).arg(maps_.layer + 1).arg(maps_.head + 1);
    const QString names[] = {QStringLiteral("attention-superposed"), QStringLiteral("attention-alone"),
                             QStringLiteral("attention-difference")};
    const QString parts[] = {tr("in superposition"), tr("alone"), tr("difference")};
    if (!onImage)
        return tokenMaps()[part]->exportItem(names[part], where + QStringLiteral(": ") + parts[part]);
    if (query_ < 0)
        return {};
    return imageViews()[part]->exportItem(
        names[part] + QStringLiteral("-query-%1").arg(query_ + 1),
        where + tr(", query pixel (%1): %2").arg(QString::fromStdString(maps_.tokens.at(size_t(query_))), parts[part]));
}

QList<ExportItem> AttentionView::exportItems() const
{
    QList<ExportItem> items;
    const Display single[] = {Display::Superposed, Display::Alone, Display::Difference};
    const Display shown = display();
    for (int i = 0; i < 3; ++i) {
        if (shown != Display::OnTheImage && shown != Display::AllMaps && shown != single[i])
            continue;
        const ExportItem item = mapItem(i, shown == Display::OnTheImage);
        if (item.isValid())
            items << item;
    }
    return items;
}
