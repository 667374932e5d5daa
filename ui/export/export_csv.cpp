#include "ui/export/export_csv.h"

#include <QTableWidget>

#include <algorithm>
#include <climits>
#include <cmath>

namespace {

// The shape with dimensions beyond the fourth merged into the first, or empty when the values
// do not fill it (then nothing is drawn, and nothing is exported).
std::vector<int64_t> filledShape(const mimo::TensorView& tensor)
{
    if (tensor.shape.empty() || tensor.values.empty())
        return {};
    int64_t count = 1;
    for (int64_t size : tensor.shape) {
        if (size <= 0 || size > INT_MAX || count > int64_t(tensor.values.size()) / size)
            return {};
        count *= size;
    }
    if (count != int64_t(tensor.values.size()))
        return {};
    std::vector<int64_t> shape = tensor.shape;
    while (shape.size() > 4) {
        shape[1] *= shape[0];
        shape.erase(shape.begin());
    }
    return shape;
}

} // namespace

QString csvField(const QString& text)
{
    static const QString special = QStringLiteral(",\"\r\n");
    if (std::none_of(text.begin(), text.end(), [](QChar c) { return special.contains(c); }))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString csvNumber(double value)
{
    return std::isfinite(value) ? QString::number(value, 'g', 9) : QString();
}

QString csvLine(const QStringList& fields)
{
    QStringList quoted;
    quoted.reserve(fields.size());
    for (const QString& field : fields)
        quoted << csvField(field);
    return quoted.join(QLatin1Char(',')) + QLatin1Char('\n');
}

QString matrixCsv(const mimo::TensorView& matrix, const QStringList& rowLabels, const QStringList& columnLabels,
                  const QString& corner)
{
    const std::vector<int64_t> shape = filledShape(matrix);
    if (shape.empty() || shape.size() > 2)
        return {};
    const int64_t rows = shape.size() == 2 ? shape[0] : 1, columns = shape.back();
    QStringList header{corner};
    for (int64_t column = 0; column < columns; ++column)
        header << columnLabels.value(int(column), QString::number(column + 1));
    QString text = csvLine(header);
    for (int64_t row = 0; row < rows; ++row) {
        QStringList fields{rowLabels.value(int(row), QString::number(row + 1))};
        for (int64_t column = 0; column < columns; ++column)
            fields << csvNumber(matrix.values[size_t(row * columns + column)]);
        text += csvLine(fields);
    }
    return text;
}

QString tensorCsv(const mimo::TensorView& tensor, int maxChannels)
{
    const std::vector<int64_t> shape = filledShape(tensor);
    if (shape.size() <= 2)
        return shape.empty() ? QString() : matrixCsv(tensor);
    const bool slotted = shape.size() == 4;
    const int64_t slotCount = slotted ? shape[0] : 1, channels = shape[shape.size() - 3];
    const int64_t height = shape[shape.size() - 2], width = shape.back();
    const int64_t shown = std::min<int64_t>(channels, std::max(1, maxChannels));
    QStringList header;
    if (slotted)
        header << QStringLiteral("slot");
    header << QStringLiteral("channel") << QStringLiteral("row") << QStringLiteral("column") << QStringLiteral("value");
    QString text = csvLine(header);
    for (int64_t slot = 0; slot < slotCount; ++slot) {
        for (int64_t channel = 0; channel < shown; ++channel) {
            const int64_t first = (slot * channels + channel) * height * width;
            for (int64_t y = 0; y < height; ++y) {
                for (int64_t x = 0; x < width; ++x) {
                    QStringList fields;
                    if (slotted)
                        fields << QString::number(slot + 1);
                    fields << QString::number(channel + 1) << QString::number(y + 1) << QString::number(x + 1)
                           << csvNumber(tensor.values[size_t(first + y * width + x)]);
                    text += csvLine(fields);
                }
            }
        }
    }
    return text;
}

QString tableCsv(const QTableWidget& table)
{
    QStringList header;
    for (int c = 0; c < table.columnCount(); ++c)
        header << (table.horizontalHeaderItem(c) ? table.horizontalHeaderItem(c)->text().replace('\n', ' ') : QString());
    QString text = csvLine(header);
    for (int r = 0; r < table.rowCount(); ++r) {
        QStringList fields;
        for (int c = 0; c < table.columnCount(); ++c)
            fields << (table.item(r, c) ? table.item(r, c)->text() : QString());
        text += csvLine(fields);
    }
    return text;
}
