#include "ui/widgets/token_map_widget.h"

#include "ui/export/export_csv.h"
#include "ui/widgets/color_bar.h"
#include "ui/widgets/position_tooltip.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPointer>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <limits>

namespace {
constexpr int kMargin = 4;
constexpr int kLabelGap = 4;
constexpr int kMinBarWidth = 150; // room for the three numbers under the bar
constexpr int kMaxCell = 64;
} // namespace

TokenMapWidget::TokenMapWidget(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(false);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

int TokenMapWidget::length() const
{
    const auto& shape = matrix_.shape;
    const bool square = shape.size() == 2 && shape[0] == shape[1] && shape[0] > 0 && shape[0] <= 4096 &&
                        int64_t(matrix_.values.size()) == shape[0] * shape[1];
    return square ? int(shape[0]) : 0;
}

void TokenMapWidget::setMap(const mimo::TensorView& matrix, const QStringList& tokens)
{
    matrix_ = matrix;
    tokens_ = tokens;
    measureLabels();
    image_ = QImage(); // coloured when drawn: a new map usually comes with a new range
    const int l = length();
    if (query_ >= l)
        query_ = -1;
    resize(sizeForCell(cell_));
    updateGeometry();
    update();
}

void TokenMapWidget::setColorRange(const ColorRange& range)
{
    range_ = range;
    image_ = QImage();
    update();
}

void TokenMapWidget::clear() { setMap({}, {}); }

QString TokenMapWidget::tokenLabel(int index) const
{
    return index < tokens_.size() ? tokens_[index] : QString::number(index + 1);
}

int TokenMapWidget::rowLabelWidth() const { return labelWidth_; }

void TokenMapWidget::measureLabels()
{
    // Once per map or font: every layout question (paint, hover, click) asks for it.
    int widest = 0;
    for (int i = 0; i < length(); ++i)
        widest = std::max(widest, fontMetrics().horizontalAdvance(tokenLabel(i)));
    labelWidth_ = widest;
}

int TokenMapWidget::columnLabelHeight() const { return rowLabelWidth(); } // the same labels, upright

QPoint TokenMapWidget::cellsOrigin() const
{
    return {kMargin + rowLabelWidth() + kLabelGap, kMargin + columnLabelHeight() + kLabelGap};
}

QSize TokenMapWidget::sizeForCell(int cell) const
{
    const int l = std::max(1, length());
    const QPoint origin = cellsOrigin();
    const int width = std::max(l * cell, kMinBarWidth);
    return {origin.x() + width + kMargin,
            origin.y() + l * cell + kLabelGap + colorbar::height(fontMetrics()) + kMargin};
}

int TokenMapWidget::cellToFit(const QSize& area) const
{
    const int l = std::max(1, length());
    const QPoint origin = cellsOrigin();
    const int across = (area.width() - origin.x() - kMargin) / l;
    const int down = (area.height() - origin.y() - kLabelGap - colorbar::height(fontMetrics()) - kMargin) / l;
    return std::clamp(std::min(across, down), 1, kMaxCell);
}

void TokenMapWidget::setCellSize(int pixels)
{
    cell_ = std::clamp(pixels, 1, kMaxCell);
    resize(sizeForCell(cell_));
    updateGeometry();
    update();
}

int TokenMapWidget::stepFor(int cell) const
{
    // A label needs a line of text: at smaller cells every k-th is written.
    const int line = fontMetrics().height();
    return std::max(1, (line + cell - 1) / std::max(1, cell));
}

int TokenMapWidget::labelStep() const { return stepFor(cell_); }

void TokenMapWidget::setQuery(int row)
{
    query_ = row >= 0 && row < length() ? row : -1;
    update();
}

QRect TokenMapWidget::cellRect(int row, int column) const
{
    const QPoint origin = cellsOrigin();
    return {origin.x() + column * cell_, origin.y() + row * cell_, cell_, cell_};
}

QRect TokenMapWidget::colorBarRect() const
{
    if (length() == 0)
        return {};
    const QPoint origin = cellsOrigin();
    return {origin.x(), origin.y() + length() * cell_ + kLabelGap, std::max(length() * cell_, kMinBarWidth),
            colorbar::height(fontMetrics())};
}

QStringList TokenMapWidget::colorBarLabels() const { return length() > 0 ? colorbar::labels(range_) : QStringList(); }

double TokenMapWidget::valueAt(const QPoint& position) const
{
    const QPoint offset = position - cellsOrigin();
    const int l = length();
    if (l == 0 || offset.x() < 0 || offset.y() < 0)
        return std::numeric_limits<double>::quiet_NaN();
    const int row = offset.y() / cell_, column = offset.x() / cell_;
    if (row >= l || column >= l)
        return std::numeric_limits<double>::quiet_NaN();
    return matrix_.values[size_t(row) * size_t(l) + size_t(column)];
}

QString TokenMapWidget::toolTipAt(const QPoint& position) const
{
    const double value = valueAt(position);
    if (std::isnan(value))
        return {};
    const QPoint offset = position - cellsOrigin();
    const int row = offset.y() / cell_, column = offset.x() / cell_;
    return tr("query %1 \u201c%2\u201d \u2192 key %3 \u201c%4\u201d: %5")
        .arg(row + 1)
        .arg(tokenLabel(row))
        .arg(column + 1)
        .arg(tokenLabel(column))
        .arg(value, 0, 'g', 4);
}

QSize TokenMapWidget::sizeHint() const { return sizeForCell(cell_); }
QSize TokenMapWidget::minimumSizeHint() const { return sizeForCell(cell_); }

void TokenMapWidget::paintEvent(QPaintEvent*)
{
    if (length() == 0)
        return;
    QPainter painter(this);
    paintMap(painter);
}

void TokenMapWidget::paintMap(QPainter& painter) const
{
    const int l = length();
    const QPoint origin = cellsOrigin();
    const QPalette& colors = palette();
    const QFontMetrics metrics = fontMetrics();
    painter.setFont(font());
    // Cells drawn as one scaled image: sharp at any zoom, one pixel per value.
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    if (image_.isNull())
        image_ = matrixImage(matrix_.values.data(), l, l, l, range_, palette());
    painter.drawImage(QRect(origin, QSize(l * cell_, l * cell_)), image_);
    const int step = labelStep();
    painter.setPen(colors.color(QPalette::WindowText));
    for (int i = 0; i < l; i += step) {
        const QRect row = cellRect(i, 0);
        const QRect rowText(kMargin, row.center().y() - metrics.height() / 2, origin.x() - kLabelGap - kMargin,
                            metrics.height());
        const bool query = i == query_;
        QFont bold = font();
        bold.setBold(query);
        painter.setFont(bold);
        painter.drawText(rowText, Qt::AlignRight | Qt::AlignVCenter, tokenLabel(i));
        painter.setFont(font());
        // Upright above its column, read from the bottom up.
        painter.save();
        const QRect column = cellRect(0, i);
        painter.translate(column.center().x(), origin.y() - kLabelGap);
        painter.rotate(-90.0);
        painter.drawText(QRect(0, -metrics.height() / 2, origin.y() - kLabelGap - kMargin, metrics.height()),
                         Qt::AlignLeft | Qt::AlignVCenter, tokenLabel(i));
        painter.restore();
    }
    if (query_ >= 0) {
        QPen pen(colors.color(QPalette::Highlight));
        pen.setWidth(2);
        painter.setPen(pen);
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(QRect(cellRect(query_, 0).topLeft(), QSize(l * cell_, cell_)).adjusted(-1, -1, 0, 0));
    }
    colorbar::paint(painter, colorBarRect(), range_, colors);
}

ExportItem TokenMapWidget::exportItem(const QString& name, const QString& title) const
{
    ExportItem item;
    item.name = name;
    item.title = title;
    if (length() == 0)
        return item; // no size: not valid
    // As on screen, but never a picture of more than kMaxExportSide per side (a 4096-token map
    // zoomed in would ask for gigabytes).
    constexpr int kMaxExportSide = 8000;
    const QSize natural = sizeForCell(cell_);
    if (natural.width() > kMaxExportSide || natural.height() > kMaxExportSide)
        return item; // not valid: the export says there is nothing to export at this zoom
    item.size = natural;
    item.background = palette().color(QPalette::Window);
    const QPointer<const TokenMapWidget> self(this);
    item.paint = originExportPaint([self](QPainter& painter, const QRect&) {
        if (self)
            self->paintMap(painter);
    });
    item.csv = [self] {
        if (!self)
            return QString();
        QStringList labels;
        for (int i = 0; i < self->length(); ++i)
            labels << self->tokenLabel(i);
        return matrixCsv(self->matrix_, labels, labels);
    };
    return item;
}

bool TokenMapWidget::event(QEvent* event)
{
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    return showPositionToolTip(this, event, [this](const QPoint& at) { return toolTipAt(at); });
}

void TokenMapWidget::mousePressEvent(QMouseEvent* event)
{
    const QPoint offset = event->position().toPoint() - cellsOrigin();
    const int l = length();
    if (event->button() == Qt::LeftButton && l > 0 && offset.x() >= 0 && offset.y() >= 0 && offset.y() / cell_ < l &&
        offset.x() / cell_ < l) {
        Q_EMIT queryClicked(offset.y() / cell_);
        event->accept();
        return;
    }
    QWidget::mousePressEvent(event);
}

void TokenMapWidget::wheelEvent(QWheelEvent* event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        const int steps = event->angleDelta().y() / 120;
        if (steps != 0)
            Q_EMIT zoomRequested(steps);
        event->accept();
        return;
    }
    QWidget::wheelEvent(event); // the scroll area pans
}

void TokenMapWidget::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        setColorRange(range_);
    if (event->type() == QEvent::FontChange) {
        measureLabels();
        resize(sizeForCell(cell_));
        updateGeometry();
    }
}
