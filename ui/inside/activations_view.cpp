#include "ui/inside/activations_view.h"

#include "ui/export/export_menu.h"
#include "ui/inside/channel_comparison.h"
#include "ui/inside/layer_names.h"
#include "ui/widgets/counted.h"
#include "ui/widgets/histogram_plot.h"
#include "ui/widgets/tensor_view_widget.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>

namespace {

// Item data (what currentLayer()/currentView() return); the items show them translated.
const char* const kBindingStep = QT_TRANSLATE_NOOP("ActivationsView", "Binding step");
const char* const kSuperposition = QT_TRANSLATE_NOOP("ActivationsView", "Superposition");
const char* const kAlone = QT_TRANSLATE_NOOP("ActivationsView", "Each input alone");
const char* const kSlotAlone = QT_TRANSLATE_NOOP("ActivationsView", "Each slot alone in the superposition");
const char* const kDifference = QT_TRANSLATE_NOOP("ActivationsView", "Difference");
const char* const kStem = QT_TRANSLATE_NOOP("ActivationsView", "Stem outputs");
const char* const kKeys = QT_TRANSLATE_NOOP("ActivationsView", "Keys");
const char* const kBound = QT_TRANSLATE_NOOP("ActivationsView", "Bound inputs");
const char* const kLayerViews[] = {kSuperposition, kAlone, kSlotAlone, kDifference};
const char* const kBindingViews[] = {kStem, kKeys, kBound, kSuperposition};

bool is(const QString& id, const char* name) { return id == QLatin1String(name); }

QLabel* addLabelled(QHBoxLayout* row, const QString& text, QWidget* field)
{
    auto* label = new QLabel(text, field->parentWidget());
    label->setBuddy(field);
    row->addWidget(label);
    row->addWidget(field);
    return label;
}

} // namespace

ActivationsView::ActivationsView(QWidget* parent) : QWidget(parent)
{
    controls_ = new QWidget;
    // Two rows, so the controls fit beside the side panel on a 1200-pixel window.
    auto* rows = new QVBoxLayout(controls_);
    rows->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    auto* colours = new QHBoxLayout;
    rows->addLayout(row);
    rows->addLayout(colours);
    layer_ = new QComboBox(controls_);
    layer_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    addLabelled(row, tr("&Layer:"), layer_);
    view_ = new QComboBox(controls_);
    view_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    addLabelled(row, tr("&View:"), view_);
    range_ = new QComboBox(controls_);
    range_->addItem(tr("Per layer"), int(TensorViewWidget::RangeMode::PerTensor));
    range_->addItem(tr("Per channel"), int(TensorViewWidget::RangeMode::PerPanel));
    range_->addItem(tr("Symmetric around zero"), int(TensorViewWidget::RangeMode::Symmetric));
    addLabelled(colours, tr("Colour &range:"), range_);
    colorMap_ = new QComboBox(controls_);
    colorMap_->addItem(tr("Automatic"), int(ColorMapChoice::Automatic));
    colorMap_->addItem(tr("Sequential"), int(ColorMapChoice::Sequential));
    colorMap_->addItem(tr("Diverging"), int(ColorMapChoice::Diverging));
    colorMap_->addItem(tr("Gray"), int(ColorMapChoice::Gray));
    addLabelled(colours, tr("Colour &map:"), colorMap_);
    colours->addStretch(1);
    channel_ = new QSpinBox(controls_);
    channelLabel_ = addLabelled(row, tr("&Channel:"), channel_);
    // Named: a session keeps them as view settings (view_settings.h).
    layer_->setObjectName(QStringLiteral("layer"));
    view_->setObjectName(QStringLiteral("view"));
    range_->setObjectName(QStringLiteral("range"));
    colorMap_->setObjectName(QStringLiteral("colourMap"));
    channel_->setObjectName(QStringLiteral("channel"));
    // Narrow combos: the row must fit beside the side panel on a 1200-pixel window.
    for (QComboBox* box : {layer_, view_, range_, colorMap_}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(9);
    }
    row->addStretch(1);

    message_ = new QLabel;
    message_->setWordWrap(true);
    message_->setAlignment(Qt::AlignCenter);

    // Side by side in a plain layout (not a splitter), so the wrapped statistics line tells the
    // tab's scroll area how tall the column really is at its width.
    content_ = new QWidget;
    auto* columns = new QHBoxLayout(content_);
    columns->setContentsMargins(0, 0, 0, 0);
    // The channel grid, and below it the selected channel side by side. The grid and the
    // enlarged channel fit their room (cells shrink rather than scroll), so every channel shown
    // is whole and no scroll area sits in another.
    auto* left = new QWidget(content_);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    grid_ = new TensorViewWidget(left);
    grid_->setMaxChannels(16);
    grid_->setFitToSize(true);
    grid_->setMinimumSize(160, 90);
    comparison_ = new ChannelComparison(left);
    leftLayout->addWidget(grid_, 1);
    leftLayout->addWidget(comparison_);

    auto* side = new QWidget(content_);
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    enlargedView_ = new TensorViewWidget(side);
    enlargedView_->setFitToSize(true);
    // Large enough to read a channel cell by cell (28 rows at 4 pixels and more); where the tab
    // is shorter, it scrolls rather than shrinking the channel to a stamp.
    enlargedView_->setMinimumSize(160, 180);
    statistics_ = new QLabel(side);
    statistics_->setWordWrap(true);
    statistics_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    histogram_ = new HistogramPlot(side);
    histogram_->setBinCount(40);
    histogram_->setAxisLabels(tr("Activation"), tr("Count"));
    histogram_->setMinimumHeight(130);
    sideLayout->addWidget(enlargedView_, 3);
    sideLayout->addWidget(statistics_);
    sideLayout->addWidget(histogram_, 2);
    columns->addWidget(left, 3);
    columns->addWidget(side, 2);

    // One scroll area for the whole tab, the only one: below the slots the tab may be shorter
    // than the grid, the channel side by side and the histogram need, and squeezed they would
    // overlap. Taller, everything stretches and nothing scrolls.
    auto* body = new QWidget;
    auto* bodyLayout = new QVBoxLayout(body);
    bodyLayout->addWidget(controls_);
    bodyLayout->addWidget(message_);
    bodyLayout->addWidget(content_, 1);
    auto* scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("activationsScroll"));
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setWidget(body);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);

    connect(layer_, &QComboBox::currentIndexChanged, this, [this] {
        wantedLayer_ = currentLayer();
        fillViews();
        refresh();
    });
    connect(view_, &QComboBox::currentIndexChanged, this, [this] {
        wantedView_ = currentView();
        refresh();
    });
    connect(range_, &QComboBox::currentIndexChanged, this, [this] {
        const auto mode = TensorViewWidget::RangeMode(range_->currentData().toInt());
        grid_->setRangeMode(mode);
        enlargedView_->setRangeMode(mode);
    });
    connect(colorMap_, &QComboBox::currentIndexChanged, this, [this] {
        const ColorMapChoice choice = colorMap();
        grid_->setColorMap(choice);
        enlargedView_->setColorMap(choice);
        comparison_->setColorMap(choice);
    });
    connect(channel_, &QSpinBox::valueChanged, this, [this](int value) {
        (shownRank() == 2 ? selectedSlot_ : wantedChannel_) = value - 1;
        refreshSelection();
    });
    connect(grid_, &TensorViewWidget::panelClicked, this, [this](int slot, int channel) {
        if (shownRank() < 3)
            return; // the one matrix of the Keys view: the spin box chooses the slot
        if (shownRank() == 4)
            selectedSlot_ = slot;
        wantedChannel_ = channel;
        refreshSelection();
    });

    installExportMenu(grid_, [this] { return gridItem(); });
    installExportMenu(enlargedView_, [this] { return channelItem(); });
    installExportMenu(histogram_, [this] { return histogramItem(); });
    installExportMenu(comparison_, [this] { return comparisonItem(); });

    clear(tr("No activations yet: run the inputs through a MIMOConv model to see them here."));
}

void ActivationsView::setReport(const mimo::ActivationReport& report)
{
    report_ = report;
    {
        const QSignalBlocker blocker(layer_);
        layer_->clear();
        layer_->addItem(tr(kBindingStep), QString::fromLatin1(kBindingStep));
        for (const mimo::LayerActivations& layer : report_.layers) {
            layer_->addItem(layerTitle(layer.layer), QString::fromStdString(layer.layer));
        }
        layer_->setCurrentIndex(std::max(0, layer_->findData(wantedLayer_)));
    }
    fillViews();
    message_->hide();
    controls_->show();
    content_->show();
    refresh();
}

void ActivationsView::clear(const QString& message)
{
    report_ = {};
    {
        const QSignalBlocker layerBlocker(layer_), viewBlocker(view_);
        layer_->clear();
        view_->clear();
    }
    refresh(); // empties the grid, the enlarged channel, the statistics and the histogram
    message_->setText(message);
    message_->show();
    controls_->hide();
    content_->hide();
}

void ActivationsView::fillViews()
{
    const QSignalBlocker blocker(view_);
    view_->clear();
    if (layer_->count() == 0)
        return;
    const bool binding = !currentLayerActivations();
    for (const char* id : binding ? kBindingViews : kLayerViews)
        view_->addItem(tr(id), QString::fromLatin1(id));
    int index = view_->findData(wantedView_);
    if (index < 0)
        index = view_->findData(QString::fromLatin1(kSuperposition));
    view_->setCurrentIndex(std::max(0, index));
}

QString ActivationsView::currentLayer() const { return layer_->currentData().toString(); }
QString ActivationsView::currentView() const { return view_->currentData().toString(); }

void ActivationsView::selectLayer(const QString& layer)
{
    wantedLayer_ = layer; // also for a report still on its way
    const int index = layer_->findData(layer);
    if (index >= 0)
        layer_->setCurrentIndex(index);
}

void ActivationsView::selectView(const QString& view)
{
    wantedView_ = view;
    const int index = view_->findData(view);
    if (index >= 0)
        view_->setCurrentIndex(index);
}

const mimo::LayerActivations* ActivationsView::currentLayerActivations() const
{
    const int index = layer_->currentIndex() - 1; // item 0 is the binding step
    return index >= 0 && index < int(report_.layers.size()) ? &report_.layers[size_t(index)] : nullptr;
}

int ActivationsView::shownRank() const
{
    const auto& shape = shown_.shape;
    if (shape.empty() || shape.size() > 4 || shown_.values.empty())
        return 0;
    int64_t count = 1;
    for (int64_t size : shape) {
        if (size <= 0 || size > INT_MAX || count > int64_t(shown_.values.size()) / size)
            return 0;
        count *= size;
    }
    return count == int64_t(shown_.values.size()) ? int(shape.size()) : 0;
}

int ActivationsView::channelCount() const
{
    const int rank = shownRank();
    return rank >= 3 ? int(shown_.shape[size_t(rank - 3)]) : 0;
}

int ActivationsView::slotCount() const
{
    const int rank = shownRank();
    return rank == 4 || rank == 2 ? int(shown_.shape[0]) : 1;
}

int ActivationsView::selectedSlot() const { return std::clamp(selectedSlot_, 0, slotCount() - 1); }

int ActivationsView::selectedChannel() const
{
    const int channels = channelCount();
    return channels > 0 ? std::clamp(wantedChannel_, 0, channels - 1) : 0;
}

void ActivationsView::selectChannel(int channel)
{
    wantedChannel_ = std::max(0, channel);
    refreshSelection();
}

const mimo::TensorView& ActivationsView::shownTensor() const { return shown_; }
const mimo::TensorView& ActivationsView::enlargedChannel() const { return enlarged_; }
QString ActivationsView::statisticsText() const { return statistics_->text(); }
QCustomPlot* ActivationsView::histogram() const { return histogram_; }
ChannelComparison* ActivationsView::comparison() const { return comparison_; }

void ActivationsView::selectColorMap(ColorMapChoice choice)
{
    const int index = colorMap_->findData(int(choice));
    if (index >= 0)
        colorMap_->setCurrentIndex(index);
}

ColorMapChoice ActivationsView::colorMap() const { return ColorMapChoice(colorMap_->currentData().toInt()); }

void ActivationsView::refresh()
{
    const QString view = currentView();
    const mimo::LayerActivations* layer = currentLayerActivations();
    if (layer_->count() == 0)
        shown_ = {};
    else if (layer)
        shown_ = is(view, kAlone)        ? layer->alone
                 : is(view, kSlotAlone)  ? layer->individuallyBound
                 : is(view, kDifference) ? layer->difference
                                         : layer->superposed;
    else
        shown_ = is(view, kStem)    ? report_.stem
                 : is(view, kKeys)  ? report_.keys
                 : is(view, kBound) ? report_.bound
                                    : report_.superposition;
    grid_->setTensor(shown_);
    histogram_->setTensor(shown_);

    QStringList lines;
    const ValueStatistics statistics = valueStatistics(shown_.values.data(), qsizetype(shown_.values.size()));
    const auto number = [](double value) { return QString::number(value, 'g', 4); };
    if (statistics.count > 0)
        lines << tr("All %1 values: mean %2, std %3, min %4, max %5")
                     .arg(statistics.count)
                     .arg(number(statistics.mean), number(statistics.deviation), number(statistics.minimum),
                          number(statistics.maximum));
    else if (layer_->count() > 0)
        lines << tr("No values to summarise.");
    if (statistics.nonFinite > 0)
        lines << counted(qint64(statistics.nonFinite), tr("1 value is not finite (NaN or infinite) and left out."),
                         tr("%1 values are not finite (NaN or infinite) and left out."));
    if (layer)
        lines << tr("superposed vs sum of slots alone: %1 % apart").arg(layer->relativeGap * 100.0, 0, 'f', 1);
    statistics_->setText(lines.join(QLatin1Char('\n')));
    refreshSelection();
}

void ActivationsView::refreshSelection()
{
    const int rank = shownRank();
    const int channel = selectedChannel(), slot = selectedSlot();
    const QString where = tr("%1, %2").arg(layer_->currentText(), view_->currentText());
    enlarged_ = {};
    if (rank >= 3) {
        const int64_t height = shown_.shape[size_t(rank - 2)], width = shown_.shape[size_t(rank - 1)];
        const int64_t first = ((rank == 4 ? int64_t(slot) * channelCount() : 0) + channel) * height * width;
        enlarged_.shape = {height, width};
        enlarged_.values.assign(shown_.values.begin() + first, shown_.values.begin() + first + height * width);
        enlarged_.name = shown_.name + (rank == 4 ? "[" + std::to_string(slot) + "]" : std::string()) + "[" +
                         std::to_string(channel) + "]";
        enlarged_.caption = (rank == 4 ? tr("%1: slot %2, channel %3").arg(where).arg(slot + 1).arg(channel + 1)
                                       : tr("%1: channel %2").arg(where).arg(channel + 1))
                                .toStdString();
        grid_->setHighlightedPanel(rank == 4 ? slot : 0, channel);
    } else if (rank == 2) {
        const int64_t length = shown_.shape[1];
        enlarged_.shape = {length};
        enlarged_.values.assign(shown_.values.begin() + slot * length, shown_.values.begin() + (slot + 1) * length);
        enlarged_.name = shown_.name + "[" + std::to_string(slot) + "]";
        enlarged_.caption = tr("%1: slot %2").arg(where).arg(slot + 1).toStdString();
        grid_->setHighlightedPanel(-1, -1);
    } else {
        grid_->setHighlightedPanel(-1, -1);
    }
    enlargedView_->setTensor(enlarged_);

    // Every view of a layer has the superposition's channels; the comparison clamps to them.
    if (const mimo::LayerActivations* layer = currentLayerActivations()) {
        comparison_->setLayer(*layer, rank >= 3 ? channel : wantedChannel_);
        comparison_->show();
    } else {
        comparison_->clear();
        comparison_->hide();
    }

    const QSignalBlocker blocker(channel_);
    channelLabel_->setText(rank == 2 ? tr("Sl&ot:") : tr("&Channel:"));
    channel_->setEnabled(rank >= 2);
    channel_->setRange(1, std::max(1, rank == 2 ? slotCount() : channelCount()));
    channel_->setValue((rank == 2 ? slot : channel) + 1);
}

QString ActivationsView::exportTitle(const QString& part) const
{
    return tr("Activations, %1, %2: %3").arg(layer_->currentText(), view_->currentText(), part);
}

ExportItem ActivationsView::gridItem() const
{
    return grid_->exportItem(QStringLiteral("activations-grid"), exportTitle(tr("channels")));
}

ExportItem ActivationsView::channelItem() const
{
    return enlargedView_->exportItem(QStringLiteral("activations-channel"), exportTitle(tr("selected channel")));
}

ExportItem ActivationsView::histogramItem() const
{
    return histogram_->exportItem(QStringLiteral("activations-histogram"), exportTitle(tr("histogram")));
}

ExportItem ActivationsView::comparisonItem() const
{
    return comparison_->exportItem(QStringLiteral("activations-comparison"),
                                   exportTitle(tr("selected channel side by side")));
}

QList<ExportItem> ActivationsView::exportItems() const
{
    QList<ExportItem> items;
    if (layer_->count() == 0)
        return items; // no report: only a message is shown
    for (const ExportItem& item : {gridItem(), channelItem(), histogramItem(), comparisonItem()})
        if (item.isValid())
            items << item;
    return items;
}
