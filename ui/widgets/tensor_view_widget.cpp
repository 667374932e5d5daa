#include "ui/widgets/tensor_view_widget.h"

#include "ui/export/export_csv.h"
#include "ui/widgets/color_bar.h"
#include "ui/widgets/colormap.h"
#include "ui/widgets/heatmap_drawing.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QPointer>
#include <QToolTip>

#include <algorithm>
#include <climits>
#include <cmath>

namespace {

constexpr double kTargetPanelWidth = 72.0; // H x W maps at zoom 1
constexpr double kMinStripHeight = 8.0;
constexpr double kMaxStripHeight = 12.0;
constexpr double kMaxMatrixCell = 24.0;
constexpr double kMaxMatrixHeight = 480.0;
constexpr double kPreferredStripWidth = 480.0;
constexpr int kMinimumWidth = 160;
constexpr int kHighlightWidth = 2;
// Filling rows shows more channels than maxChannels where the rows have room for them, up to this.
constexpr int kMostFittedChannels = 32;

} // namespace

TensorViewWidget::TensorViewWidget(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
}

void TensorViewWidget::setTensor(const mimo::TensorView& tensor)
{
    tensor_ = tensor;
    rebuild();
}

void TensorViewWidget::setMaxChannels(int channels)
{
    maxChannels_ = std::max(1, channels);
    rebuild();
}

void TensorViewWidget::setZoom(double zoom)
{
    zoom_ = std::isfinite(zoom) ? std::clamp(zoom, 0.25, 8.0) : 1.0;
    relayout(); // the images do not depend on the zoom, only their size does
    updateGeometry();
}

void TensorViewWidget::setFitToSize(bool fit)
{
    fit_ = fit;
    setSizePolicy(fit ? QSizePolicy::Expanding : QSizePolicy::Preferred, fit ? QSizePolicy::Expanding : QSizePolicy::Minimum);
    updateGeometry();
    fitZoom();
    relayout();
}

void TensorViewWidget::setChannelsFillRows(bool fill)
{
    if (fill == fillRows_) // the tour sets it with every style change; setFitToSize has laid out
        return;
    fillRows_ = fill;
    relayout();
}

void TensorViewWidget::fitZoom()
{
    // Channel maps: the zoom is found for maxChannels of them; filling rows, the rows' room left
    // then takes more of the channels (a projected slide should not be two thirds empty).
    const bool channelMaps = drawnShape_.size() >= 3;
    const int baseChannels = channelMaps ? int(std::min<qint64>(channelCount(), maxChannels_)) : 0;
    bool remade = channelMaps && shownChannels_ != baseChannels;
    if (remade)
        makePanels(baseChannels);
    sideways_ = 1;
    if (!fit_ || drawnShape_.isEmpty() || width() <= 0 || height() <= 0) {
        if (remade)
            recolour();
        return;
    }
    // The layout's height grows with the zoom (and panels only get wider): bisect for the
    // largest zoom at which it fits, and at which the widest panel fits the width too.
    const auto fits = [this](double zoom) {
        const double kept = zoom_;
        auto* self = const_cast<TensorViewWidget*>(this);
        self->zoom_ = zoom;
        QList<QRect> rects;
        QList<RowLabel> labels;
        bool ok = layoutPanels(width(), rects, labels) <= height();
        for (const QRect& rect : rects)
            ok = ok && rect.right() < width() - kMargin + 1;
        self->zoom_ = kept;
        return ok;
    };
    double low = 0.02, high = 16.0;
    if (fits(high)) {
        low = high;
    } else {
        for (int step = 0; step < 24; ++step) {
            const double middle = std::sqrt(low * high);
            (fits(middle) ? low : high) = middle;
        }
    }
    zoom_ = low;
    const int room = width() - 2 * kMargin - slotLabelWidth() + kGap;
    if (channelMaps && fillRows_) {
        const int perRow = std::max(1, room / (mapPanelSize().width() + kGap));
        const int rows = (baseChannels + perRow - 1) / perRow; // the grid keeps its rows: the zoom still fits
        const int most = int(std::min<qint64>(channelCount(), std::max(maxChannels_, kMostFittedChannels)));
        const int fitted = std::clamp(rows * perRow, baseChannels, most);
        if (fitted != shownChannels_) {
            makePanels(fitted);
            remade = true;
        }
    }
    // Tall maps (tokens x features) are matrices, not pictures: their cells may widen, up to
    // square panels, into the row's room, where a picture's cells stay square.
    const auto rank = drawnShape_.size();
    if (channelMaps && fillRows_ && drawnShape_[rank - 2] >= 4 * drawnShape_[rank - 1]) {
        const QSize panel = mapPanelSize();
        const int perRow = std::clamp(room / (panel.width() + kGap), 1, std::max(1, shownChannels_));
        const int rows = (shownChannels_ + perRow - 1) / perRow;
        const int across = (shownChannels_ + rows - 1) / rows; // as many per row, the rows as full
        const int widest = room / across - kGap;
        const int square = std::max(1, panel.height() / std::max(1, panel.width()));
        sideways_ = std::clamp(widest / std::max(1, panel.width()), 1, square);
    }
    if (remade) // new panels have no images yet
        recolour();
}

void TensorViewWidget::setHighlightedPanel(int slot, int channel)
{
    if (slot < 0 || channel < 0)
        slot = channel = -1;
    if (slot == highlightedSlot_ && channel == highlightedChannel_)
        return;
    highlightedSlot_ = slot;
    highlightedChannel_ = channel;
    update();
}

int TensorViewWidget::panelCount() const { return int(panels_.size()); }

int TensorViewWidget::heightAtWidth(int width) const
{
    QList<QRect> rects;
    QList<RowLabel> labels;
    return layoutPanels(width, rects, labels);
}

void TensorViewWidget::rebuild()
{
    drawnShape_ = drawableShape(tensor_);
    makePanels(drawnShape_.size() >= 3 ? int(std::min<qint64>(channelCount(), maxChannels_)) : 0);
    recolour();
    relayout();
    updateGeometry();
}

qint64 TensorViewWidget::channelCount() const
{
    const auto rank = drawnShape_.size();
    return rank >= 3 ? drawnShape_[rank - 3] : 1;
}

void TensorViewWidget::makePanels(int shownChannels)
{
    panels_.clear();
    const auto rank = drawnShape_.size();
    const int mapRows = rank >= 2 ? int(drawnShape_[rank - 2]) : 1;
    const int mapCols = rank >= 1 ? int(drawnShape_.last()) : 0;
    const qint64 slotCount = rank == 4 ? drawnShape_[0] : 1;
    const qint64 channels = channelCount();
    shownChannels_ = shownChannels;
    if (rank == 1 || rank == 2)
        panels_.append({{}, 0, mapRows, mapCols, {}, {}});
    for (int slot = 0; slot < slotCount && rank >= 3; ++slot) {
        for (int channel = 0; channel < shownChannels_; ++channel) {
            const QString label = rank == 4 ? tr("slot %1, channel %2").arg(slot + 1).arg(channel + 1)
                                            : tr("channel %1").arg(channel + 1);
            const qint64 offset = (slot * channels + channel) * mapRows * mapCols;
            panels_.append({{}, offset, mapRows, mapCols, label, {}, slot, channel});
        }
    }
}

QList<QRect> TensorViewWidget::panelRects() const
{
    QList<QRect> rects;
    for (const Panel& panel : panels_)
        rects << panel.rect;
    return rects;
}

void TensorViewWidget::relayout()
{
    fitZoom();
    QList<QRect> rects;
    const int previousHeight = contentHeight_;
    contentHeight_ = layoutPanels(width(), rects, rowLabels_);
    for (qsizetype i = 0; i < panels_.size(); ++i)
        panels_[i].rect = rects.value(i);
    if (contentHeight_ != previousHeight)
        updateGeometry();
    update();
}

QSize TensorViewWidget::mapPanelSize() const
{
    const auto rank = drawnShape_.size();
    const qint64 mapHeight = drawnShape_[rank - 2], mapWidth = drawnShape_[rank - 1];
    const auto cell = std::max<qint64>(1, std::lround(kTargetPanelWidth * zoom_ / double(std::max(mapHeight, mapWidth))));
    const auto pixels = [cell](qint64 cells) { return int(std::min<qint64>(cells * cell, INT_MAX / 4)); };
    return {int(std::min<qint64>(qint64(pixels(mapWidth)) * sideways_, INT_MAX / 4)), pixels(mapHeight)};
}

QString TensorViewWidget::slotLabel(int slot) const
{
    // The tensor's own row names where it has one per row ("slot 2: shoe.png"), else the slot.
    if (tensor_.rowLabels.size() == size_t(drawnShape_.value(0)) && slot >= 0 && size_t(slot) < tensor_.rowLabels.size())
        return QString::fromStdString(tensor_.rowLabels[size_t(slot)]);
    return tr("slot %1").arg(slot + 1);
}

int TensorViewWidget::slotLabelWidth() const
{
    const auto rank = drawnShape_.size();
    const bool namedRows = rank == 2 && tensor_.rowLabels.size() == size_t(drawnShape_[0]);
    if (rank != 4 && !namedRows)
        return 0;
    int widest = 0;
    for (int slot = 0; slot < int(drawnShape_[0]); ++slot)
        widest = std::max(widest, fontMetrics().horizontalAdvance(slotLabel(slot)));
    return widest + kGap;
}

int TensorViewWidget::layoutPanels(int width, QList<QRect>& rects, QList<RowLabel>& labels) const
{
    rects.clear();
    labels.clear();
    const int top = kMargin + fontMetrics().height() + kGap;
    const int contentWidth = std::max(1, width - 2 * kMargin);
    const auto rank = drawnShape_.size();
    int height = 2 * fontMetrics().height(); // the "No data" line
    if (rank == 1 || rank == 2) {
        const int labelWidth = slotLabelWidth(); // named rows of a matrix
        const double cols = double(drawnShape_.last()), rows = double(drawnShape_[0]);
        const double fullWidthCell = std::max(1, contentWidth - labelWidth) / cols;
        double cellWidth = fullWidthCell;
        if (rank == 1) {
            height = int(std::lround(std::clamp(fullWidthCell, kMinStripHeight * zoom_, kMaxStripHeight * zoom_)));
        } else {
            cellWidth = std::min(fullWidthCell, kMaxMatrixCell * zoom_);
            // Square cells where they fit; wide [N, D] matrices keep rows tall enough to point at.
            double cellHeight = std::clamp(cellWidth, kMinStripHeight * zoom_, kMaxMatrixCell * zoom_);
            cellHeight = std::max(1.0, std::min(cellHeight, kMaxMatrixHeight * zoom_ / rows));
            // Named rows: each tall enough for its name.
            if (labelWidth > 0)
                cellHeight = std::max(cellHeight, double(fontMetrics().height()));
            height = std::max(1, int(std::lround(cellHeight * rows)));
            for (int row = 0; row < int(rows) && labelWidth > 0; ++row)
                labels.append({QRect(kMargin, top + int(std::lround(row * cellHeight)), labelWidth - kGap,
                                     int(std::lround(cellHeight))),
                               slotLabel(row)});
        }
        rects.append(QRect(kMargin + labelWidth, top, std::max(1, int(std::lround(cellWidth * cols))), height));
    } else if (rank >= 3) {
        const QSize panel = mapPanelSize();
        const int labelWidth = slotLabelWidth();
        const int slotCount = rank == 4 ? int(drawnShape_[0]) : 1;
        const int perRow = std::clamp((contentWidth - labelWidth + kGap) / (panel.width() + kGap), 1,
                                      std::max(1, shownChannels_));
        // An extra gap between slots so each slot's channels read as one group.
        const int slotHeight = (shownChannels_ + perRow - 1) / perRow * (panel.height() + kGap) + kGap;
        for (const Panel& p : panels_) {
            rects.append(QRect(kMargin + labelWidth + (p.channel % perRow) * (panel.width() + kGap),
                               top + p.slot * slotHeight + (p.channel / perRow) * (panel.height() + kGap),
                               panel.width(), panel.height()));
        }
        for (int slot = 0; slot < slotCount && rank == 4; ++slot)
            labels.append({QRect(kMargin, top + slot * slotHeight, labelWidth - kGap, panel.height()),
                           slotLabel(slot)});
        height = slotCount * slotHeight - 2 * kGap;
    }
    if (!drawnShape_.isEmpty() && colorBarShown_)
        height += kGap + colorbar::height(fontMetrics());
    return top + height + kMargin;
}

int TensorViewWidget::preferredWidth() const
{
    const auto rank = drawnShape_.size();
    double width = 2 * kMinimumWidth;
    if (rank == 1 || rank == 2) {
        const double cellsWidth = rank == 1 ? kPreferredStripWidth : double(drawnShape_[1]) * kMaxMatrixCell;
        width = zoom_ * std::min(kPreferredStripWidth, cellsWidth) + slotLabelWidth();
    } else if (rank >= 3)
        width = slotLabelWidth() + double(shownChannels_) * (mapPanelSize().width() + kGap) - kGap;
    return int(std::clamp(std::lround(width) + 2 * kMargin, long(kMinimumWidth), 4096L));
}

QString TensorViewWidget::shapeText() const
{
    if (tensor_.shape.empty())
        return {};
    QStringList sizes;
    for (int64_t size : tensor_.shape)
        sizes << QString::number(size);
    QString text = QStringLiteral("[%1]").arg(sizes.join(QStringLiteral(" x ")));
    const auto rank = drawnShape_.size();
    if (rank >= 3 && shownChannels_ < drawnShape_[rank - 3])
        text += QStringLiteral(", ") + tr("first %1 of %2 channels").arg(shownChannels_).arg(drawnShape_[rank - 3]);
    return text;
}

const TensorViewWidget::Panel* TensorViewWidget::panelAt(const QPoint& position) const
{
    const auto panel = std::find_if(panels_.begin(), panels_.end(),
                                    [&](const Panel& candidate) { return candidate.rect.contains(position); });
    return panel == panels_.end() ? nullptr : &*panel;
}

QString TensorViewWidget::valueTextAt(const QPoint& position) const
{
    const Panel* panel = panelAt(position);
    if (!panel)
        return {};
    const int row = int(qint64(position.y() - panel->rect.top()) * panel->rows / panel->rect.height());
    const int col = int(qint64(position.x() - panel->rect.left()) * panel->cols / panel->rect.width());
    const float value = tensor_.values[size_t(panel->offset + qint64(row) * panel->cols + col)];
    // People count from 1, as the "slot 1" row labels and the channel summary do.
    QString where;
    if (drawnShape_.size() == 1)
        where = tr("index %1").arg(col + 1);
    else if (drawnShape_.size() == 2)
        where = tr("row %1, column %2").arg(row + 1).arg(col + 1);
    else
        where = tr("%1, (y %2, x %3)").arg(panel->label).arg(row + 1).arg(col + 1);
    return tr("%1: %2").arg(where, QString::number(double(value), 'g', 4));
}

QSize TensorViewWidget::sizeHint() const
{
    if (fit_) // it takes the room it is given: asks for its minimum, grows into the rest
        return minimumSizeHint().expandedTo(minimumSize());
    // Before the widget is shown its width is arbitrary: measure at the width it asks for.
    QList<QRect> rects;
    QList<RowLabel> labels;
    const int width = preferredWidth();
    return {width, isVisible() ? contentHeight_ : layoutPanels(width, rects, labels)};
}

QSize TensorViewWidget::minimumSizeHint() const
{
    return {kMinimumWidth, kMargin + fontMetrics().height() + kGap + 16 + kMargin};
}

void TensorViewWidget::paintEvent(QPaintEvent* event)
{
    QPainter painter(this);
    paintLayout(painter, width(), panelRects(), rowLabels_, event->rect());
}

void TensorViewWidget::paintContent(QPainter& painter, const QRect& target) const
{
    QList<QRect> rects;
    QList<RowLabel> labels;
    const int height = layoutPanels(target.width(), rects, labels);
    painter.save();
    painter.translate(target.topLeft());
    painter.setFont(font());
    paintLayout(painter, target.width(), rects, labels, QRect(0, 0, target.width(), height));
    painter.restore();
}

ExportItem TensorViewWidget::exportItem(const QString& name, const QString& title) const
{
    ExportItem item;
    item.name = name;
    item.title = title;
    if (drawnShape_.isEmpty())
        return item; // no size: not valid
    const int width = naturalWidgetSize(this, QSize(preferredWidth(), 0)).width();
    item.size = QSize(width, heightAtWidth(width));
    item.background = palette().color(QPalette::Window);
    const QPointer<const TensorViewWidget> self(this);
    item.paint = plainExportPaint([self](QPainter& painter, const QRect& target) {
        if (self)
            self->paintContent(painter, target);
    });
    item.csv = [self] { return self ? tensorCsv(self->tensor_, self->maxChannels_) : QString(); };
    return item;
}

void TensorViewWidget::paintLayout(QPainter& painter, int width, const QList<QRect>& panelRects,
                                   const QList<RowLabel>& rowLabels, const QRect& exposed) const
{
    const QPalette& colors = palette();
    const QFontMetrics metrics = fontMetrics();
    const QRect captionRect(kMargin, kMargin, std::max(1, width - 2 * kMargin), metrics.height());
    const QString caption = QString::fromStdString(tensor_.caption.empty() ? tensor_.name : tensor_.caption);
    const QString shape = shapeText();
    const int shapeWidth = shape.isEmpty() ? 0 : metrics.horizontalAdvance(QLatin1Char(' ') + shape);
    const QString shownCaption =
        metrics.elidedText(caption, Qt::ElideRight, std::max(0, captionRect.width() - shapeWidth));
    painter.setPen(colors.color(QPalette::WindowText));
    painter.drawText(captionRect, Qt::AlignLeft | Qt::AlignVCenter, shownCaption);
    painter.setPen(colors.color(QPalette::PlaceholderText));
    const int shapeLeft = shownCaption.isEmpty() ? 0 : metrics.horizontalAdvance(shownCaption + QLatin1Char(' '));
    painter.drawText(captionRect.adjusted(shapeLeft, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                     metrics.elidedText(shape, Qt::ElideRight, captionRect.width() - shapeLeft));
    if (drawnShape_.isEmpty()) {
        painter.drawText(QRect(kMargin, captionRect.bottom() + kGap, captionRect.width(), 2 * metrics.height()),
                         Qt::AlignCenter, tr("No data"));
        return;
    }
    painter.setPen(colors.color(QPalette::WindowText));
    for (const RowLabel& label : rowLabels)
        painter.drawText(label.rect, Qt::AlignLeft | Qt::AlignVCenter, label.text);
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false); // every cell keeps its own colour
    painter.setPen(colors.color(QPalette::Mid));
    for (qsizetype i = 0; i < panels_.size() && i < panelRects.size(); ++i) {
        const QRect& rect = panelRects[i];
        if (!rect.intersects(exposed.adjusted(-1, -1, 1, 1)))
            continue;
        drawCellImage(painter, rect, panels_[i].image);
        painter.drawRect(rect.adjusted(-1, -1, 0, 0));
    }
    if (colorBarShown_)
        colorbar::paint(painter, barRect(panelRects, width), colorBarRange(), colors, perPanelColours());
    for (qsizetype i = 0; i < panels_.size() && i < panelRects.size(); ++i) {
        if (panels_[i].slot != highlightedSlot_ || panels_[i].channel != highlightedChannel_)
            continue;
        // Outside the panel's own frame, within half the gap to its neighbours.
        const double outside = 1.0 + kHighlightWidth / 2.0;
        painter.setPen(QPen(colors.color(QPalette::Highlight), kHighlightWidth));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(QRectF(panelRects[i]).adjusted(-outside, -outside, outside, outside));
        break;
    }
}

bool TensorViewWidget::event(QEvent* event)
{
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    auto* help = static_cast<QHelpEvent*>(event);
    QString text = valueTextAt(help->pos());
    // Over the caption line: the caption and shape whole (a narrow widget elides them).
    if (text.isEmpty() && help->pos().y() < kMargin + fontMetrics().height() + kGap)
        text = QString::fromStdString(tensor_.caption.empty() ? tensor_.name : tensor_.caption) + QLatin1Char(' ') + shapeText();
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(help->globalPos(), text, this);
    return true;
}

void TensorViewWidget::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        rebuild();
    else if (event->type() == QEvent::FontChange)
        relayout();
}

void TensorViewWidget::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    relayout();
}

void TensorViewWidget::mousePressEvent(QMouseEvent* event)
{
    const Panel* panel = event->button() == Qt::LeftButton ? panelAt(event->position().toPoint()) : nullptr;
    if (!panel) {
        QWidget::mousePressEvent(event);
        return;
    }
    event->accept();
    Q_EMIT panelClicked(panel->slot, panel->channel);
}
