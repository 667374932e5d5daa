#include "ui/inside/attention_view.h"

#include "ui/export/export_menu.h"
#include "ui/inside/layer_names.h"
#include "ui/widgets/tensor_view_widget.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace {

constexpr int kMinMapWidth = 120;
constexpr int kMinMapHeight = 80;

// Fills `combo` with `count` entries made by `text`, keeping the current index where it exists.
template <typename Text>
void refill(QComboBox* combo, int count, Text text)
{
    const QSignalBlocker blocker(combo);
    const int current = combo->currentIndex();
    combo->clear();
    for (int i = 0; i < count; ++i)
        combo->addItem(text(i + 1));
    if (count > 0)
        combo->setCurrentIndex(current >= 0 && current < count ? current : 0);
    combo->setEnabled(count > 0);
}

} // namespace

AttentionView::AttentionView(QWidget* parent) : QWidget(parent)
{
    slot_ = new QComboBox(this);
    layer_ = new QComboBox(this);
    head_ = new QComboBox(this);
    // Named: a session keeps them as view settings (view_settings.h).
    slot_->setObjectName(QStringLiteral("sequence"));
    layer_->setObjectName(QStringLiteral("layer"));
    head_->setObjectName(QStringLiteral("head"));
    slot_->setToolTip(tr("The sequence (slot) of the superposition"));
    layer_->setToolTip(tr("The attention layer"));
    head_->setToolTip(tr("The attention head"));
    auto* choices = new QHBoxLayout;
    for (QComboBox* combo : {slot_, layer_, head_}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        choices->addWidget(combo);
        connect(combo, &QComboBox::currentIndexChanged, this,
                [this] { Q_EMIT selectionChanged(slot(), layer(), head()); });
    }
    contrast_ = new QComboBox(this);
    contrast_->setObjectName(QStringLiteral("contrast"));
    contrast_->addItem(tr("Colours: full range"), 0);
    contrast_->addItem(tr("Colours: clipped at the 99th percentile"), 1);
    contrast_->setToolTip(tr("Both maps share one colour range; clipping brightens the many small weights of a "
                             "long sequence"));
    contrast_->setCurrentIndex(1);
    choices->addWidget(contrast_);
    connect(contrast_, &QComboBox::currentIndexChanged, this, &AttentionView::applyContrast);
    choices->addStretch(1);

    message_ = new QLabel(this);
    message_->setWordWrap(true);
    message_->setAlignment(Qt::AlignCenter);
    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // Three equal columns that share the width; each map fits the room its column offers
    // (fit mode: the cells as large as the width and the height allow, the colour bar below).
    mapsArea_ = new QWidget(this);
    mapsGrid_ = new QGridLayout(mapsArea_);
    mapsGrid_->setContentsMargins(0, 0, 0, 0);
    const QStringList titles{tr("In superposition"), tr("Alone"), tr("Difference")};
    TensorViewWidget** views[] = {&superposed_, &alone_, &difference_};
    for (int column = 0; column < 3; ++column) {
        auto* title = new QLabel(titles[column], mapsArea_);
        QFont bold = title->font();
        bold.setBold(true);
        title->setFont(bold);
        auto* view = new TensorViewWidget(mapsArea_);
        view->setFitToSize(true);
        view->setMinimumSize(kMinMapWidth, kMinMapHeight);
        *views[column] = view;
        mapsGrid_->addWidget(title, 0, column);
        mapsGrid_->addWidget(view, 1, column);
        mapsGrid_->setColumnStretch(column, 1);
        mapParts_ << title << view;
    }
    mapsGrid_->setRowStretch(1, 1);
    // A difference of probabilities: zero in the neutral colour, equal gains and losses alike.
    difference_->setRangeMode(TensorViewWidget::RangeMode::Symmetric);
    mapParts_ << summary_;

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(choices);
    layout->addWidget(message_);
    layout->addWidget(summary_);
    layout->addWidget(mapsArea_, 1);
    for (int column = 0; column < 3; ++column)
        installExportMenu(*views[column], [this, column] { return mapItem(column); });
    setChoices(0, 0, 0);
    clear(tr("No attention maps yet."));
}

void AttentionView::setChoices(int slotCount, int layerCount, int headCount)
{
    refill(slot_, slotCount, [this](int i) { return tr("Sequence %1").arg(i); });
    refill(layer_, layerCount, [](int i) { return layerTitle(i); });
    refill(head_, headCount, [this](int i) { return tr("Head %1").arg(i); });
}

void AttentionView::setMaps(const mimo::AttentionMaps& maps)
{
    maps_ = maps;
    message_->hide();
    superposed_->setTensor(maps.superposed);
    alone_->setTensor(maps.alone);
    difference_->setTensor(maps.difference);
    applyContrast();
    summary_->setText(tr("Sequence %1, layer %2, head %3: mean total variation between the two maps: %4 "
                         "(0 = identical, 1 = disjoint). Real tokens shown: %5.")
                          .arg(maps.slot + 1)
                          .arg(maps.layer + 1)
                          .arg(maps.head + 1)
                          .arg(maps.meanTotalVariation, 0, 'f', 3)
                          .arg(maps.length));
    for (QWidget* part : mapParts_)
        part->show();
}

void AttentionView::clear(const QString& message)
{
    maps_ = {};
    message_->setText(message);
    message_->show();
    for (TensorViewWidget* view : {superposed_, alone_, difference_})
        view->setTensor({});
    summary_->clear();
    for (QWidget* part : mapParts_)
        part->hide();
}

int AttentionView::slot() const
{
    return std::max(0, slot_->currentIndex());
}

int AttentionView::layer() const
{
    return std::max(0, layer_->currentIndex());
}

int AttentionView::head() const
{
    return std::max(0, head_->currentIndex());
}

void AttentionView::applyContrast()
{
    // One range for both maps, so the same colour means the same weight in each.
    std::vector<float> weights = maps_.superposed.values;
    weights.insert(weights.end(), maps_.alone.values.begin(), maps_.alone.values.end());
    if (weights.empty())
        return;
    float high = *std::max_element(weights.begin(), weights.end());
    if (contrast_->currentData().toInt() == 1) {
        const auto rank = weights.begin() + std::ptrdiff_t(0.99 * double(weights.size() - 1));
        std::nth_element(weights.begin(), rank, weights.end());
        high = *rank;
    }
    if (!(high > 0.0f))
        high = 1.0f;
    superposed_->setFixedRange(0.0, high);
    alone_->setFixedRange(0.0, high);
}

ExportItem AttentionView::mapItem(int column) const
{
    const TensorViewWidget* const views[] = {superposed_, alone_, difference_};
    const QString names[] = {QStringLiteral("attention-superposed"), QStringLiteral("attention-alone"),
                             QStringLiteral("attention-difference")};
    const QString parts[] = {tr("in superposition"), tr("alone"), tr("difference")};
    const int index = std::clamp(column, 0, 2);
    return views[index]->exportItem(names[index], tr("Attention, sequence %1, layer %2, head %3: %4")
                                                      .arg(maps_.slot + 1)
                                                      .arg(maps_.layer + 1)
                                                      .arg(maps_.head + 1)
                                                      .arg(parts[index]));
}

QList<ExportItem> AttentionView::exportItems() const
{
    QList<ExportItem> items;
    for (int column = 0; column < 3; ++column) {
        const ExportItem item = mapItem(column);
        if (item.isValid())
            items << item;
    }
    return items;
}
