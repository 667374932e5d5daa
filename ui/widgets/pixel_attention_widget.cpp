#include "ui/widgets/pixel_attention_widget.h"

#include "ui/export/export_csv.h"
#include "ui/widgets/color_bar.h"
#include "ui/widgets/position_tooltip.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPointer>

#include <algorithm>
#include <cmath>

namespace {
constexpr int kMargin = 4;
constexpr int kGap = 6;
constexpr int kMinCell = 6;
constexpr int kMaxCell = 32;
constexpr int kPreferredCell = 16;
constexpr double kHeatOpacity = 0.75; // the image shows through a little: the shape stays in sight
} // namespace

PixelAttentionWidget::PixelAttentionWidget(QWidget* parent) : QWidget(parent)
{
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void PixelAttentionWidget::setImage(int height, int width, const std::vector<float>& pixels)
{
    const bool valid = height > 0 && width > 0 && height <= 1024 && width <= 1024 &&
                       pixels.size() == size_t(height) * size_t(width);
    height_ = valid ? height : 0;
    width_ = valid ? width : 0;
    pixels_ = valid ? pixels : std::vector<float>{};
    weights_.assign(pixels_.size(), std::nanf(""));
    if (query_ >= int(pixels_.size()))
        query_ = -1;
    updateGeometry();
    update();
}

void PixelAttentionWidget::setWeights(const std::vector<float>& weights, const ColorRange& range)
{
    range_ = range;
    weights_ = weights;
    weights_.resize(pixels_.size(), std::nanf(""));
    update();
}

void PixelAttentionWidget::setQuery(int pixel)
{
    query_ = pixel >= 0 && pixel < int(pixels_.size()) ? pixel : -1;
    update();
}

void PixelAttentionWidget::clear() { setImage(0, 0, {}); }

int PixelAttentionWidget::cellFor(const QSize& area) const
{
    if (width_ == 0)
        return kPreferredCell;
    const int across = (area.width() - 2 * kMargin) / width_;
    const int down = (area.height() - 2 * kMargin - kGap - colorbar::height(fontMetrics())) / height_;
    return std::clamp(std::min(across, down), 1, kMaxCell);
}

int PixelAttentionWidget::cellSize() const { return cellFor(size()); }

QPoint PixelAttentionWidget::originFor(const QSize& area) const
{
    const int cell = cellFor(area);
    return {std::max(kMargin, (area.width() - width_ * cell) / 2), kMargin};
}

QRect PixelAttentionWidget::pixelRect(int pixel) const
{
    if (pixel < 0 || pixel >= int(pixels_.size()))
        return {};
    const int cell = cellSize();
    const QPoint origin = originFor(size());
    return {origin.x() + (pixel % width_) * cell, origin.y() + (pixel / width_) * cell, cell, cell};
}

int PixelAttentionWidget::pixelAt(const QPoint& position) const
{
    if (width_ == 0)
        return -1;
    const int cell = cellSize();
    const QPoint offset = position - originFor(size());
    if (offset.x() < 0 || offset.y() < 0 || offset.x() >= width_ * cell || offset.y() >= height_ * cell)
        return -1;
    return (offset.y() / cell) * width_ + offset.x() / cell;
}

QRect PixelAttentionWidget::colorBarRect() const
{
    if (width_ == 0)
        return {};
    const int cell = cellSize();
    const QPoint origin = originFor(size());
    const int barWidth = std::min(width() - 2 * kMargin, std::max(width_ * cell, 150));
    return {std::max(kMargin, (width() - barWidth) / 2), origin.y() + height_ * cell + kGap, barWidth,
            colorbar::height(fontMetrics())};
}

QStringList PixelAttentionWidget::colorBarLabels() const
{
    return width_ > 0 ? colorbar::labels(range_) : QStringList();
}

QString PixelAttentionWidget::toolTipAt(const QPoint& position) const
{
    const int pixel = pixelAt(position);
    if (pixel < 0)
        return {};
    const QString where = tr("pixel (%1, %2)").arg(pixel / width_).arg(pixel % width_);
    const float weight = weights_[size_t(pixel)];
    if (std::isnan(weight))
        return where + tr(": after the sequence's last real token, not read");
    return where + tr(": %1").arg(double(weight), 0, 'g', 4) + (pixel == query_ ? tr(" (the query)") : QString());
}

QSize PixelAttentionWidget::sizeHint() const
{
    const int w = std::max(1, width_ == 0 ? 14 : width_), h = std::max(1, height_ == 0 ? 14 : height_);
    return {w * kPreferredCell + 2 * kMargin, h * kPreferredCell + 2 * kMargin + kGap + colorbar::height(fontMetrics())};
}

QSize PixelAttentionWidget::minimumSizeHint() const
{
    const int w = std::max(1, width_ == 0 ? 14 : width_), h = std::max(1, height_ == 0 ? 14 : height_);
    return {std::max(w * kMinCell, 150) + 2 * kMargin, h * kMinCell + 2 * kMargin + kGap + colorbar::height(fontMetrics())};
}

int PixelAttentionWidget::heightForWidth(int width) const
{
    const int w = std::max(1, width_ == 0 ? 14 : width_), h = std::max(1, height_ == 0 ? 14 : height_);
    const int cell = std::clamp((width - 2 * kMargin) / w, kMinCell, kMaxCell);
    return h * cell + 2 * kMargin + kGap + colorbar::height(fontMetrics());
}

void PixelAttentionWidget::paintEvent(QPaintEvent*)
{
    if (width_ == 0)
        return;
    QPainter painter(this);
    paintInto(painter, size());
}

void PixelAttentionWidget::paintInto(QPainter& painter, const QSize& area) const
{
    const int cell = cellFor(area);
    const QPoint origin = originFor(area);
    const QPalette& colors = palette();
    for (int pixel = 0; pixel < int(pixels_.size()); ++pixel) {
        const int gray = std::clamp(int(std::lround(pixels_[size_t(pixel)] * 255.0f)), 0, 255);
        QColor shown(gray, gray, gray);
        const float weight = weights_[size_t(pixel)];
        if (!std::isnan(weight)) {
            const QColor heat(colorFor(weight, range_, colors));
            const auto mix = [](float heatPart, float imagePart) {
                return float(kHeatOpacity) * heatPart + float(1.0 - kHeatOpacity) * imagePart;
            };
            shown = QColor::fromRgbF(mix(heat.redF(), shown.redF()), mix(heat.greenF(), shown.greenF()),
                                     mix(heat.blueF(), shown.blueF()));
        }
        painter.fillRect(QRect(origin.x() + (pixel % width_) * cell, origin.y() + (pixel / width_) * cell, cell, cell),
                         shown);
    }
    if (query_ >= 0) {
        const QRect target(origin.x() + (query_ % width_) * cell, origin.y() + (query_ / width_) * cell, cell, cell);
        // Two frames, so that the query shows on bright and on dark pixels alike.
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(Qt::black, 3));
        painter.drawRect(target.adjusted(-1, -1, 0, 0));
        painter.setPen(QPen(Qt::white, 1));
        painter.drawRect(target.adjusted(-1, -1, 0, 0));
    }
    const int barWidth = std::min(area.width() - 2 * kMargin, std::max(width_ * cell, 150));
    colorbar::paint(painter,
                    QRect(std::max(kMargin, (area.width() - barWidth) / 2), origin.y() + height_ * cell + kGap,
                          barWidth, colorbar::height(fontMetrics())),
                    range_, colors);
}

ExportItem PixelAttentionWidget::exportItem(const QString& name, const QString& title) const
{
    ExportItem item;
    item.name = name;
    item.title = title;
    if (width_ == 0)
        return item;
    item.size = naturalWidgetSize(this, sizeHint());
    item.background = palette().color(QPalette::Window);
    const QPointer<const PixelAttentionWidget> self(this);
    item.paint = originExportPaint([self](QPainter& painter, const QRect& target) {
        if (!self)
            return;
        painter.setFont(self->font());
        self->paintInto(painter, target.size());
    });
    item.csv = [self] {
        if (!self)
            return QString();
        mimo::TensorView weights;
        weights.shape = {self->height_, self->width_};
        weights.values = self->weights_;
        QStringList rows, columns;
        for (int r = 0; r < self->height_; ++r)
            rows << QStringLiteral("row %1").arg(r);
        for (int c = 0; c < self->width_; ++c)
            columns << QStringLiteral("column %1").arg(c);
        return matrixCsv(weights, rows, columns);
    };
    return item;
}

bool PixelAttentionWidget::event(QEvent* event)
{
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    return showPositionToolTip(this, event, [this](const QPoint& at) { return toolTipAt(at); });
}

void PixelAttentionWidget::mousePressEvent(QMouseEvent* event)
{
    const int pixel = pixelAt(event->position().toPoint());
    if (event->button() == Qt::LeftButton && pixel >= 0) {
        Q_EMIT pixelClicked(pixel);
        event->accept();
        return;
    }
    QWidget::mousePressEvent(event);
}

void PixelAttentionWidget::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        update();
}
