#include "ui/attention_view.h"

#include "ui/tensor_view_widget.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>

namespace {

// TensorViewWidget draws a 64-row map 480 px tall at zoom 1: 0.4 makes 64 x 64 about 192 px.
constexpr double kMapZoom = 192.0 / 480.0;

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
    slot_->setToolTip(tr("The sequence (slot) of the superposition"));
    layer_->setToolTip(tr("The attention layer"));
    head_->setToolTip(tr("The attention head"));
    auto* choices = new QHBoxLayout;
    for (QComboBox* combo : {slot_, layer_, head_}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        choices->addWidget(combo);
        connect(combo, &QComboBox::currentIndexChanged, this,
                [this] { emit selectionChanged(slot(), layer(), head()); });
    }
    choices->addStretch(1);

    message_ = new QLabel(this);
    message_->setWordWrap(true);
    message_->setAlignment(Qt::AlignCenter);
    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* maps = new QGridLayout;
    const QStringList titles{tr("In superposition"), tr("Alone"), tr("Difference")};
    TensorViewWidget** views[] = {&superposed_, &alone_, &difference_};
    for (int column = 0; column < 3; ++column) {
        auto* title = new QLabel(titles[column], this);
        QFont bold = title->font();
        bold.setBold(true);
        title->setFont(bold);
        auto* view = new TensorViewWidget(this);
        view->setZoom(kMapZoom);
        *views[column] = view;
        maps->addWidget(title, 0, column);
        maps->addWidget(view, 1, column, Qt::AlignTop | Qt::AlignLeft);
        maps->setColumnStretch(column, 1);
        mapParts_ << title << view;
    }
    mapParts_ << summary_;

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(choices);
    layout->addWidget(message_);
    layout->addWidget(summary_);
    layout->addLayout(maps);
    layout->addStretch(1);
    setChoices(0, 0, 0);
    clear(tr("No attention maps yet."));
}

void AttentionView::setChoices(int slotCount, int layerCount, int headCount)
{
    refill(slot_, slotCount, [this](int i) { return tr("Sequence %1").arg(i); });
    refill(layer_, layerCount, [this](int i) { return tr("Layer %1").arg(i); });
    refill(head_, headCount, [this](int i) { return tr("Head %1").arg(i); });
}

void AttentionView::setMaps(const mimo::AttentionMaps& maps)
{
    maps_ = maps;
    message_->hide();
    superposed_->setTensor(maps.superposed);
    alone_->setTensor(maps.alone);
    difference_->setTensor(maps.difference);
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
