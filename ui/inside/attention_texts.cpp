// What the Attention tab says (the summary, the query) and exports (the maps shown, or the
// query's pictures, each with its data).
#include "ui/inside/attention_view.h"

#include "ui/widgets/pixel_attention_widget.h"
#include "ui/widgets/token_map_widget.h"

#include <QLabel>

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
        where + tr(", query pixel (%1): %2").arg(tokenName(query_), parts[part]));
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

QString AttentionView::summaryText() const
{
    if (maps_.length == 0)
        return {};
    return tr("Sequence %1, layer %2, head %3: %4 real tokens. Mean total variation between the two: %5 (0 = "
              "identical, 1 = disjoint). Padding keys, not shown, get %6 % of the attention in superposition and "
              "%7 % alone.")
        .arg(maps_.slot + 1)
        .arg(maps_.layer + 1)
        .arg(maps_.head + 1)
        .arg(maps_.length)
        .arg(maps_.meanTotalVariation, 0, 'f', 3)
        .arg(100.0 * maps_.paddingShareSuperposed, 0, 'f', 1)
        .arg(100.0 * maps_.paddingShareAlone, 0, 'f', 1);
}

QString AttentionView::queryText() const
{
    if (query_ < 0 || query_ >= maps_.length)
        return {};
    const QString token = tokenName(query_);
    if (display() == Display::OnTheImage)
        return tr("Query: pixel (%1), token %2 of %3. Click any pixel of the sequence to choose another; hover for "
                  "the weights.")
            .arg(token)
            .arg(query_ + 1)
            .arg(maps_.length);
    const int step = superposedMap_->labelStep();
    const QString named = step > 1 ? tr(" At this size every %1th token is named; + or Fit off names them all.").arg(step)
                                   : QString();
    return tr("Query: token %1 \u201c%2\u201d, framed in each map (rows: query tokens, columns: key tokens). Click a "
              "row to choose another; Ctrl+wheel or \u2212 / + zooms, the scroll bars pan.")
               .arg(query_ + 1)
               .arg(token) +
           named;
}

QString AttentionView::tokenName(int token) const
{
    return token >= 0 && size_t(token) < maps_.tokens.size() ? QString::fromStdString(maps_.tokens[size_t(token)])
                                                               : QString::number(token + 1);
}
