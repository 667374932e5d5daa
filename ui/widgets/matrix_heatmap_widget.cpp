#include "ui/widgets/matrix_heatmap_widget.h"

#include "ui/export/export_csv.h"
#include "ui/widgets/color_bar.h"
#include "ui/widgets/colormap.h"

#include <QHelpEvent>
#include <QPainter>
#include <QPointer>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>

namespace {

constexpr int kMargin = 4;
constexpr int kLabelGap = 6;
constexpr int kMinCell = 18;
constexpr int kMaxCell = 48;
constexpr int kPreferredCell = 36;
constexpr int kValueTextCell = 30; // smaller cells cannot hold "-0.00" legibly
constexpr int kTextPadding = 4;

QColor contrastingText(QRgb cell, const QPalette& palette)
{
    const QColor text = palette.color(QPalette::Text), base = palette.color(QPalette::Base);
    const int cellGray = qGray(cell);
    return std::abs(qGray(text.rgb()) - cellGray) >= std::abs(qGray(base.rgb()) - cellGray) ? text : base;
}

} // namespace

MatrixHeatmapWidget::MatrixHeatmapWidget(QWidget* parent) : QWidget(parent) {}

void MatrixHeatmapWidget::setMatrix(const mimo::TensorView& matrix, const QStringList& rowLabels,
                                    const QStringList& columnLabels)
{
    matrix_ = matrix;
    rowLabels_ = rowLabels;
    columnLabels_ = columnLabels;
    if (rowCount() > 0) {
        hintRows_ = rowCount();
        hintColumns_ = columnCount();
    }
    updateGeometry();
    update();
}

void MatrixHeatmapWidget::setRange(double low, double high)
{
    if (!std::isfinite(low) || !std::isfinite(high))
        return;
    if (low > high)
        std::swap(low, high);
    if (!(low < high)) // a single value: give it room so it still gets the middle colour
        high = std::nextafter(low, std::numeric_limits<double>::infinity());
    low_ = low;
    high_ = high;
    update();
}

void MatrixHeatmapWidget::clear()
{
    matrix_ = {}; // the labels stay: they size the empty widget like the last matrix
    update();
}

int MatrixHeatmapWidget::rowCount() const
{
    const auto& shape = matrix_.shape;
    const bool valid = shape.size() == 2 && shape[0] > 0 && shape[1] > 0 && shape[0] <= 4096 && shape[1] <= 4096
                       && int64_t(matrix_.values.size()) == shape[0] * shape[1];
    return valid ? int(shape[0]) : 0;
}

int MatrixHeatmapWidget::columnCount() const { return rowCount() > 0 ? int(matrix_.shape[1]) : 0; }

QString MatrixHeatmapWidget::rowLabel(int row) const
{
    return row < rowLabels_.size() ? rowLabels_[row] : QString::number(row + 1);
}

QString MatrixHeatmapWidget::columnLabel(int column) const
{
    return column < columnLabels_.size() ? columnLabels_[column] : QString::number(column + 1);
}

int MatrixHeatmapWidget::widestColumnLabel() const
{
    int widest = 0;
    for (int column = 0, columns = rowCount() > 0 ? columnCount() : hintColumns_; column < columns; ++column)
        widest = std::max(widest, fontMetrics().horizontalAdvance(columnLabel(column)));
    return widest;
}

QPoint MatrixHeatmapWidget::cellsOrigin(bool rotated) const
{
    const QFontMetrics metrics = fontMetrics();
    int labelWidth = 0;
    for (int row = 0, rows = rowCount() > 0 ? rowCount() : hintRows_; row < rows; ++row)
        labelWidth = std::max(labelWidth, metrics.horizontalAdvance(rowLabel(row)));
    // Column labels wider than a cell (class names) stand upright above their column.
    return {kMargin + labelWidth + kLabelGap, kMargin + (rotated ? widestColumnLabel() : metrics.height()) + kLabelGap / 2};
}

int MatrixHeatmapWidget::fittingCell(const QSize& area, bool rotated) const
{
    const int rows = std::max(1, rowCount()), columns = std::max(1, columnCount());
    const QPoint origin = cellsOrigin(rotated);
    const int bar = kLabelGap + colorbar::height(fontMetrics());
    const int fitting =
        std::min((area.width() - origin.x() - kMargin) / columns, (area.height() - origin.y() - bar - kMargin) / rows);
    return std::clamp(fitting, kMinCell, kMaxCell);
}

MatrixHeatmapWidget::Geometry MatrixHeatmapWidget::geometryFor(const QSize& area) const
{
    const bool rotated = widestColumnLabel() > fittingCell(area, false);
    return {cellsOrigin(rotated), fittingCell(area, rotated), rotated};
}

int MatrixHeatmapWidget::cellSize() const { return geometryFor(size()).cell; }

bool MatrixHeatmapWidget::columnLabelsUpright() const { return geometryFor(size()).rotated; }

QRect MatrixHeatmapWidget::cellRect(int row, int column) const { return cellRect(row, column, geometryFor(size())); }

QRect MatrixHeatmapWidget::cellRect(int row, int column, const Geometry& geometry)
{
    const int cell = geometry.cell;
    return {geometry.origin.x() + column * cell, geometry.origin.y() + row * cell, cell, cell};
}

bool MatrixHeatmapWidget::cellAt(const QPoint& position, int* row, int* column) const
{
    const Geometry geometry = geometryFor(size());
    const QPoint offset = position - geometry.origin;
    if (rowCount() == 0 || offset.x() < 0 || offset.y() < 0)
        return false;
    *row = offset.y() / geometry.cell;
    *column = offset.x() / geometry.cell;
    return *row < rowCount() && *column < columnCount();
}

double MatrixHeatmapWidget::valueAt(const QPoint& position) const
{
    int row = 0, column = 0;
    if (!cellAt(position, &row, &column))
        return std::numeric_limits<double>::quiet_NaN();
    return matrix_.values[size_t(row) * size_t(columnCount()) + size_t(column)];
}

QSize MatrixHeatmapWidget::sizeHint() const
{
    const QPoint origin = cellsOrigin(widestColumnLabel() > kPreferredCell);
    const int rows = rowCount() > 0 ? rowCount() : hintRows_;
    const int columns = rowCount() > 0 ? columnCount() : hintColumns_;
    return {origin.x() + columns * kPreferredCell + kMargin,
            origin.y() + rows * kPreferredCell + kLabelGap + colorbar::height(fontMetrics()) + kMargin};
}

ColorRange MatrixHeatmapWidget::colorRange() const
{
    return {low_, high_, low_ < 0.0 && high_ > 0.0 ? ColorMapKind::Diverging : ColorMapKind::Sequential};
}

QStringList MatrixHeatmapWidget::colorBarLabels() const
{
    return hasColorBar() ? colorbar::labels(colorRange()) : QStringList();
}

QRect MatrixHeatmapWidget::colorBarRect() const { return hasColorBar() ? colorBarRect(size()) : QRect(); }

QRect MatrixHeatmapWidget::colorBarRect(const QSize& area) const
{
    // Under the cells, as wide as they are but wide enough for its numbers.
    const Geometry geometry = geometryFor(area);
    const int room = std::max(1, area.width() - geometry.origin.x() - kMargin);
    const int wanted =
        std::max(columnCount() * geometry.cell, 3 * fontMetrics().horizontalAdvance(QStringLiteral("-0.00")));
    return {geometry.origin.x(), geometry.origin.y() + rowCount() * geometry.cell + kLabelGap, std::min(room, wanted),
            colorbar::height(fontMetrics())};
}

void MatrixHeatmapWidget::paintEvent(QPaintEvent*)
{
    if (rowCount() == 0)
        return;
    QPainter painter(this);
    paintCells(painter, size());
}

void MatrixHeatmapWidget::paintContent(QPainter& painter, const QRect& target) const
{
    if (rowCount() == 0)
        return;
    painter.save();
    painter.translate(target.topLeft());
    painter.setFont(font());
    paintCells(painter, target.size());
    painter.restore();
}

ExportItem MatrixHeatmapWidget::exportItem(const QString& name, const QString& title) const
{
    ExportItem item;
    item.name = name;
    item.title = title;
    const int rows = rowCount(), columns = columnCount();
    if (rows == 0)
        return item; // no size: not valid
    // The cells as large as on screen (or as the size hint has them before the widget is laid
    // out), without the room the layout gives beyond them.
    const QSize area = naturalWidgetSize(this, sizeHint());
    const Geometry geometry = geometryFor(area);
    const QRect bar = colorBarRect(area);
    item.size = QSize(std::max(geometry.origin.x() + columns * geometry.cell, bar.right() + 1) + kMargin,
                      bar.bottom() + 1 + kMargin);
    item.background = palette().color(QPalette::Window);
    const QPointer<const MatrixHeatmapWidget> self(this);
    item.paint = plainExportPaint([self](QPainter& painter, const QRect& target) {
        if (self)
            self->paintContent(painter, target);
    });
    item.csv = [self] {
        if (!self)
            return QString();
        QStringList rowLabels, columnLabels;
        for (int row = 0; row < self->rowCount(); ++row)
            rowLabels << self->rowLabel(row);
        for (int column = 0; column < self->columnCount(); ++column)
            columnLabels << self->columnLabel(column);
        return matrixCsv(self->matrix_, rowLabels, columnLabels);
    };
    return item;
}

void MatrixHeatmapWidget::paintCells(QPainter& painter, const QSize& area) const
{
    const int rows = rowCount(), columns = columnCount();
    const QPalette& colors = palette();
    const ColorRange range = colorRange();
    const QFontMetrics metrics = fontMetrics();
    const Geometry geometry = geometryFor(area);
    const int cell = geometry.cell;
    colorbar::paint(painter, colorBarRect(area), range, colors);

    painter.setPen(colors.color(QPalette::WindowText));
    for (int row = 0; row < rows; ++row) {
        const QRect target = cellRect(row, 0, geometry);
        painter.drawText(QRect(kMargin, target.top(), target.left() - kLabelGap - kMargin, cell),
                         Qt::AlignRight | Qt::AlignVCenter, rowLabel(row));
    }
    for (int column = 0; column < columns; ++column) {
        const QRect target = cellRect(0, column, geometry);
        if (!geometry.rotated) {
            painter.drawText(QRect(target.left(), kMargin, cell, metrics.height()), Qt::AlignHCenter | Qt::AlignBottom,
                             columnLabel(column));
            continue;
        }
        // Upright, read from the bottom up, ending just above the column.
        painter.save();
        painter.translate(target.left() + cell / 2, target.top() - kLabelGap / 2);
        painter.rotate(-90.0);
        painter.drawText(QRect(0, -metrics.height() / 2, geometry.origin.y() - kMargin, metrics.height()),
                         Qt::AlignLeft | Qt::AlignVCenter, columnLabel(column));
        painter.restore();
    }

    QStringList texts;
    QFont valueFont = font();
    if (cell >= kValueTextCell) {
        int widest = 0;
        for (float value : matrix_.values) {
            texts << QString::number(double(value), 'f', 2);
            widest = std::max(widest, metrics.horizontalAdvance(texts.last()));
        }
        // Shrink the font rather than let long values ("-12.34") spill into the next cell.
        if (widest > cell - kTextPadding) {
            const double scale = double(cell - kTextPadding) / widest;
            if (valueFont.pointSizeF() > 0)
                valueFont.setPointSizeF(std::max(1.0, valueFont.pointSizeF() * scale));
            else
                valueFont.setPixelSize(std::max(1, int(valueFont.pixelSize() * scale)));
        }
        painter.setFont(valueFont);
    }
    for (int row = 0; row < rows; ++row) {
        for (int column = 0; column < columns; ++column) {
            const int index = row * columns + column;
            const QRgb color = colorFor(matrix_.values[size_t(index)], range, colors);
            const QRect target = cellRect(row, column, geometry).adjusted(0, 0, -1, -1); // a hairline between cells
            painter.fillRect(target, QColor(color));
            if (texts.isEmpty())
                continue;
            painter.setPen(contrastingText(color, colors));
            painter.drawText(target, Qt::AlignCenter, texts[index]);
        }
    }
}

bool MatrixHeatmapWidget::event(QEvent* event)
{
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    const auto* help = static_cast<QHelpEvent*>(event);
    int row = 0, column = 0;
    if (cellAt(help->pos(), &row, &column)) {
        const double value = matrix_.values[size_t(row) * size_t(columnCount()) + size_t(column)];
        QToolTip::showText(help->globalPos(),
                           tr("row %1, column %2: %3").arg(row + 1).arg(column + 1).arg(value, 0, 'f', 3), this,
                           cellRect(row, column));
    } else {
        QToolTip::hideText();
    }
    return true;
}

void MatrixHeatmapWidget::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        updateGeometry();
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        update();
}
