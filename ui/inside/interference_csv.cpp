#include "ui/inside/interference_csv.h"

#include "ui/export/export_csv.h"
#include "ui/inside/layer_names.h"

#include <algorithm>
#include <limits>

namespace interference_csv {
namespace {

double valueAt(const std::vector<double>& values, std::size_t index)
{
    return index < values.size() ? values[index] : std::numeric_limits<double>::quiet_NaN();
}

} // namespace

QString perSlot(const mimo::InterferenceSummary& summary)
{
    const std::size_t n = std::max(summary.featureCosine.size(), summary.probabilityChange.size());
    QString text = csvLine({QStringLiteral("slot"), QStringLiteral("cosine_to_alone"), QStringLiteral("probability_change")});
    for (std::size_t i = 0; i < n; ++i)
        text += csvLine({QString::number(i + 1), csvNumber(valueAt(summary.featureCosine, i)),
                         csvNumber(valueAt(summary.probabilityChange, i))});
    return text;
}

QString perLayer(const mimo::InterferenceSummary& summary)
{
    const std::size_t count = std::min(summary.layers.size(), summary.layerGap.size());
    const QString meaning = QString::fromStdString(summary.layerGapMeaning);
    QString text = csvLine({QStringLiteral("layer"), meaning.isEmpty() ? QStringLiteral("gap") : meaning});
    for (std::size_t i = 0; i < count; ++i)
        text += csvLine({layerTitle(summary.layers[i]), csvNumber(summary.layerGap[i])});
    return text;
}

QString keysOverN(const mimo::InterferenceSummary& summary)
{
    QString text = csvLine({QStringLiteral("series"), QStringLiteral("n"), QStringLiteral("cosine")});
    const QString expected = QStringLiteral("expected (%1 keys)").arg(QString::fromStdString(summary.theoryFamily));
    for (std::size_t i = 0; i < summary.curveN.size(); ++i)
        text += csvLine({expected, QString::number(summary.curveN[i]), csvNumber(valueAt(summary.theoryCosine, i))});
    for (std::size_t i = 0; i < summary.measuredN.size(); ++i)
        text += csvLine({QStringLiteral("measured"), QString::number(summary.measuredN[i]),
                         csvNumber(valueAt(summary.measuredCosine, i))});
    for (std::size_t i = 0; i < summary.slotCosine.size(); ++i)
        text += csvLine({QStringLiteral("slot %1").arg(i + 1), QString::number(summary.n), csvNumber(summary.slotCosine[i])});
    return text;
}

} // namespace interference_csv
