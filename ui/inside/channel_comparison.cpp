#include "ui/inside/channel_comparison.h"

#include "ui/export/export_csv.h"
#include "ui/widgets/color_bar.h"
#include "ui/widgets/tensor_view_widget.h"

#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QPainter>
#include <QPointer>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <cmath>

namespace {

constexpr double kMapPixels = 96.0;   // the longer side of each heatmap, for small maps
constexpr double kMinCell = 2.0, kMaxCell = 12.0;
constexpr int kViewMargins = 12;      // TensorViewWidget's margin on both sides together
constexpr int kCaptionSpacing = 2;    // between a caption and its heatmap
constexpr int kStripMargin = 4;
constexpr int kColumnSpacing = 8;
constexpr int kTitleGap = 4;         // between the title and the panels in an export

// Whether the values fill the shape exactly, which must be `rank` long with sizes in int range.
bool fills(const mimo::TensorView& tensor, size_t rank)
{
    if (tensor.shape.size() != rank || tensor.values.empty())
        return false;
    int64_t count = 1;
    for (int64_t size : tensor.shape) {
        if (size <= 0 || size > INT_MAX || count > int64_t(tensor.values.size()) / size)
            return false;
        count *= size;
    }
    return count == int64_t(tensor.values.size());
}

// The last three sizes equal [C, H, W].
bool sameMaps(const mimo::TensorView& tensor, const std::vector<int64_t>& maps)
{
    return tensor.shape.size() >= 3 && std::equal(maps.begin(), maps.end(), tensor.shape.end() - 3);
}

// Copies the [H, W] map that starts at `first` (an index into the values).
mimo::TensorView mapAt(const mimo::TensorView& tensor, int64_t first, int64_t height, int64_t width)
{
    mimo::TensorView map;
    map.shape = {height, width};
    map.values.assign(tensor.values.begin() + first, tensor.values.begin() + first + height * width);
    return map;
}

} // namespace

ChannelComparison::ChannelComparison(QWidget* parent) : QWidget(parent)
{
    title_ = new QLabel(this);
    title_->setWordWrap(true);
    title_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // The panels wrap into as many rows as the width needs (reflow()): every panel whole, and
    // no scroll area of its own inside the tab's.
    strip_ = new QWidget(this);
    stripLayout_ = new QGridLayout(strip_);
    stripLayout_->setContentsMargins(kStripMargin, kStripMargin, kStripMargin, kStripMargin);
    stripLayout_->setSpacing(kColumnSpacing);
    stripLayout_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    colorBar_ = new ColorBarWidget(this);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(title_);
    layout->addWidget(strip_);
    layout->addWidget(colorBar_);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    clear();
}

void ChannelComparison::setLayer(const mimo::LayerActivations& layer, int channel)
{
    const mimo::TensorView& superposed = layer.superposed;
    if (!fills(superposed, 3)) {
        clear();
        return;
    }
    const std::vector<int64_t> maps = superposed.shape; // [C, H, W]
    const int64_t channels = maps[0], height = maps[1], width = maps[2], mapSize = height * width;
    const int64_t shown = std::clamp<int64_t>(channel, 0, channels - 1);

    std::vector<Slice> slices;
    slices.push_back({tr("superposition"), mapAt(superposed, shown * mapSize, height, width)});
    const auto addSlots = [&](const mimo::TensorView& perSlot, const char* label) {
        if (!fills(perSlot, 4) || !sameMaps(perSlot, maps))
            return;
        for (int64_t slot = 0; slot < perSlot.shape[0]; ++slot)
            slices.push_back({tr(label).arg(slot + 1), mapAt(perSlot, (slot * channels + shown) * mapSize, height, width)});
    };
    addSlots(layer.alone, QT_TR_NOOP("input %1 alone"));
    addSlots(layer.individuallyBound, QT_TR_NOOP("slot %1 in the superposition"));
    if (fills(layer.difference, 3) && sameMaps(layer.difference, maps))
        slices.push_back({tr("difference"), mapAt(layer.difference, shown * mapSize, height, width)});

    channel_ = int(shown);
    mapHeight_ = height;
    mapWidth_ = width;
    showSlices(std::move(slices), QString::fromStdString(layer.layer));
    title_->setText(tr("Selected channel side by side: %1, channel %2 of %3, all panels in one colour range (%4 to %5)")
                        .arg(QString::fromStdString(layer.layer))
                        .arg(shown + 1)
                        .arg(channels)
                        .arg(QString::number(rangeLow_, 'g', 4), QString::number(rangeHigh_, 'g', 4)));
    strip_->show();
    colorBar_->show();
}

void ChannelComparison::clear()
{
    showSlices({}, {});
    channel_ = -1;
    mapHeight_ = mapWidth_ = 0;
    rangeLow_ = rangeHigh_ = 0.0;
    title_->setText(tr("Selected channel side by side: no channel to compare."));
    strip_->hide();
    colorBar_->hide();
}

void ChannelComparison::setColorMap(ColorMapChoice choice)
{
    colorMap_ = choice;
    for (const Column& column : columns_)
        column.view->setColorMap(choice);
    colorBar_->setRange(columns_.empty() ? ColorRange{} : columns_.front().view->colorBarRange());
}

QStringList ChannelComparison::panelLabels() const
{
    QStringList labels;
    for (const Column& column : columns_)
        labels << column.caption->text();
    return labels;
}

TensorViewWidget* ChannelComparison::panelView(int index) const
{
    return index >= 0 && index < panelCount() ? columns_[size_t(index)].view : nullptr;
}

void ChannelComparison::showSlices(std::vector<Slice> slices, const QString& layerName)
{
    while (columns_.size() > slices.size()) {
        delete columns_.back().widget;
        columns_.pop_back();
    }
    while (columns_.size() < slices.size()) {
        Column column;
        column.widget = new QWidget(strip_);
        auto* layout = new QVBoxLayout(column.widget);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(kCaptionSpacing);
        column.caption = new QLabel(column.widget);
        column.caption->setWordWrap(true);
        column.caption->setAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        column.view = new TensorViewWidget(column.widget);
        column.view->setColorMap(colorMap_);
        column.view->setColorBarShown(false); // one bar under the strip: the panels share its range
        layout->addWidget(column.caption);
        layout->addWidget(column.view, 0, Qt::AlignHCenter);
        layout->addStretch(1);
        columns_.push_back(column);
    }

    // One range over every panel's values, so equal colours mean equal values.
    std::vector<float> all;
    for (const Slice& slice : slices)
        all.insert(all.end(), slice.values.values.begin(), slice.values.values.end());
    const ColorRange range = colorRangeFor(all.data(), qsizetype(all.size()));
    rangeLow_ = slices.empty() ? 0.0 : range.low;
    rangeHigh_ = slices.empty() ? 0.0 : range.high;
    colorBar_->setRange(applyColorMapChoice({rangeLow_, rangeHigh_, range.kind}, colorMap_));

    for (size_t i = 0; i < slices.size(); ++i) {
        const Column& column = columns_[i];
        column.caption->setText(slices[i].label);
        column.view->setFixedRange(rangeLow_, rangeHigh_);
        column.view->setTensor(slices[i].values);
        column.view->setAccessibleName(tr("%1, %2").arg(layerName, slices[i].label));
    }
    resizePanels();
}

void ChannelComparison::resizePanels()
{
    if (columns_.empty() || mapHeight_ <= 0 || mapWidth_ <= 0) {
        strip_->setFixedHeight(0);
        return;
    }
    // Square cells, the longer side about kMapPixels: a 32 x 32 map gets 3-pixel cells.
    const double cell = std::clamp(kMapPixels / double(std::max(mapHeight_, mapWidth_)), kMinCell, kMaxCell);
    // TensorViewWidget keeps matrix cells between 8 and 24 times its zoom high.
    const double zoom = cell / 8.0;
    const int viewWidth = int(std::min<double>(double(std::lround(cell * double(mapWidth_))), INT_MAX / 4)) + kViewMargins;
    const QFontMetrics metrics = fontMetrics();
    const int columnWidth =
        std::max(viewWidth, metrics.horizontalAdvance(tr("superposition")) + 2 * metrics.averageCharWidth());
    int captionHeight = 0;
    for (const Column& column : columns_)
        captionHeight = std::max(captionHeight, column.caption->heightForWidth(columnWidth));
    int viewHeight = 0;
    for (const Column& column : columns_) {
        column.view->setZoom(zoom);
        viewHeight = std::max(viewHeight, column.view->heightAtWidth(viewWidth));
    }
    for (const Column& column : columns_) {
        // Every caption as tall as the tallest, so the heatmaps line up.
        column.caption->setFixedSize(columnWidth, captionHeight);
        column.view->setFixedSize(viewWidth, viewHeight);
        column.widget->setFixedSize(columnWidth, captionHeight + kCaptionSpacing + viewHeight);
    }
    perRow_ = 0; // lay the panels out again
    reflow();
}

void ChannelComparison::reflow()
{
    if (columns_.empty())
        return;
    const int columnWidth = columns_.front().widget->width();
    const int perRow = std::max(1, (width() - 2 * kStripMargin + kColumnSpacing) / (columnWidth + kColumnSpacing));
    if (perRow != perRow_) {
        perRow_ = perRow;
        for (size_t i = 0; i < columns_.size(); ++i)
            stripLayout_->addWidget(columns_[i].widget, int(i) / perRow, int(i) % perRow);
    }
    const int rows = (int(columns_.size()) + perRow - 1) / perRow;
    strip_->setFixedHeight(2 * kStripMargin + rows * columns_.front().widget->height() + (rows - 1) * kColumnSpacing);
}

void ChannelComparison::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    reflow();
}

void ChannelComparison::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        resizePanels();
}

int ChannelComparison::titleHeight(int width) const
{
    return fontMetrics().boundingRect(QRect(0, 0, std::max(1, width), 100000), Qt::TextWordWrap, title_->text()).height();
}

ExportItem ChannelComparison::exportItem(const QString& name, const QString& title) const
{
    ExportItem item;
    item.name = name;
    item.title = title;
    if (columns_.empty() || channel_ < 0)
        return item; // no size: not valid
    const int count = int(columns_.size());
    const int width = 2 * kStripMargin + count * columns_.front().widget->width() + (count - 1) * kColumnSpacing;
    const int strip = 2 * kStripMargin + columns_.front().caption->height() + kCaptionSpacing + columns_.front().view->height();
    item.size = QSize(width, titleHeight(width) + kTitleGap + strip + kTitleGap + colorbar::height(fontMetrics()));
    item.background = palette().color(QPalette::Window);
    const QPointer<const ChannelComparison> self(this);
    item.paint = plainExportPaint([self](QPainter& painter, const QRect& target) {
        if (self)
            self->paintContent(painter, target);
    });
    item.csv = [self] { return self ? self->valuesCsv() : QString(); };
    return item;
}

void ChannelComparison::paintContent(QPainter& painter, const QRect& target) const
{
    painter.save();
    painter.translate(target.topLeft());
    painter.setFont(font());
    painter.setPen(palette().color(QPalette::WindowText));
    const int top = titleHeight(target.width());
    painter.drawText(QRect(0, 0, target.width(), top), Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, title_->text());
    int x = kStripMargin;
    const int y = top + kTitleGap + kStripMargin;
    for (const Column& column : columns_) {
        const QSize caption = column.caption->size(), view = column.view->size();
        const int columnWidth = column.widget->width();
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(QRect(x, y, columnWidth, caption.height()), Qt::TextWordWrap | Qt::AlignHCenter | Qt::AlignBottom,
                         column.caption->text());
        column.view->paintContent(
            painter, QRect(x + (columnWidth - view.width()) / 2, y + caption.height() + kCaptionSpacing, view.width(),
                           view.height()));
        x += columnWidth + kColumnSpacing;
    }
    if (!columns_.empty()) {
        const Column& first = columns_.front();
        const int below = y + first.caption->height() + kCaptionSpacing + first.view->height() + kStripMargin + kTitleGap;
        colorbar::paint(painter, QRect(kStripMargin, below, std::min(target.width() - 2 * kStripMargin, colorbar::kPreferredWidth),
                                       colorbar::height(fontMetrics())),
                        colorBar_->range(), palette());
    }
    painter.restore();
}

QString ChannelComparison::valuesCsv() const
{
    if (columns_.empty() || mapHeight_ <= 0 || mapWidth_ <= 0)
        return {};
    QStringList header{QStringLiteral("row"), QStringLiteral("column")};
    for (const Column& column : columns_)
        header << column.caption->text();
    QString text = csvLine(header);
    const auto cells = size_t(mapHeight_ * mapWidth_);
    for (size_t index = 0; index < cells; ++index) {
        QStringList fields{QString::number(int64_t(index) / mapWidth_ + 1), QString::number(int64_t(index) % mapWidth_ + 1)};
        for (const Column& column : columns_) {
            const std::vector<float>& values = column.view->tensor().values;
            fields << (index < values.size() ? csvNumber(values[index]) : QString());
        }
        text += csvLine(fields);
    }
    return text;
}
