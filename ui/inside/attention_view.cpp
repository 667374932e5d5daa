#include "ui/inside/attention_view.h"

#include "ui/export/export_menu.h"
#include "ui/inside/layer_names.h"
#include "ui/widgets/pixel_attention_widget.h"
#include "ui/widgets/token_map_widget.h"

#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace {

constexpr int kMapGap = 12;
constexpr int kTitleGap = 4;
constexpr double kZoomStep = 1.25;

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

QLabel* boldLabel(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    QFont bold = label->font();
    bold.setBold(true);
    label->setFont(bold);
    return label;
}

QStringList toStrings(const std::vector<std::string>& texts)
{
    QStringList out;
    for (const auto& text : texts)
        out << QString::fromStdString(text);
    return out;
}

// Row `row` of a [L, L] map laid over an image of `pixels` pixels (the rest: no token, NaN).
std::vector<float> rowOnImage(const mimo::TensorView& map, int length, int row, size_t pixels)
{
    std::vector<float> weights(pixels, std::numeric_limits<float>::quiet_NaN());
    if (length <= 0 || row < 0 || row >= length || map.values.size() < size_t(length) * size_t(length))
        return weights;
    for (int column = 0; column < length && size_t(column) < pixels; ++column)
        weights[size_t(column)] = map.values[size_t(row) * size_t(length) + size_t(column)];
    return weights;
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
    display_ = new QComboBox(this);
    display_->setObjectName(QStringLiteral("display"));
    display_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    display_->setToolTip(tr("What to show: the query's attention on the image (pixel sequences), or the maps of "
                            "every query and key token"));
    choices->addWidget(display_);
    connect(display_, &QComboBox::currentIndexChanged, this, &AttentionView::applyDisplay);
    contrast_ = new QComboBox(this);
    contrast_->setObjectName(QStringLiteral("contrast"));
    contrast_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    contrast_->addItem(tr("Colours: full range"), 0);
    contrast_->addItem(tr("Colours: clipped at the 99th percentile"), 1);
    contrast_->setToolTip(tr("In superposition and alone share one colour range; clipping brightens the many small "
                             "weights of a long sequence. The difference has its own range, centred on 0."));
    contrast_->setCurrentIndex(1);
    // The colours and the zoom on a second row: one row of every control is wider than the
    // tab at 1024x700.
    auto* looks = new QHBoxLayout;
    looks->addWidget(contrast_);
    connect(contrast_, &QComboBox::currentIndexChanged, this, &AttentionView::applyColours);
    const auto zoomButton = [this, looks](const QString& text, const QString& tip) {
        auto* button = new QToolButton(this);
        button->setText(text);
        button->setToolTip(tip);
        looks->addWidget(button);
        return button;
    };
    zoomOut_ = zoomButton(QStringLiteral("\u2212"), tr("Smaller cells (Ctrl+wheel on a map)"));
    zoomFit_ = zoomButton(tr("Fit"), tr("On: each map whole in view (tokens named where there is room); off: every "
                                        "token named, the scroll bars pan"));
    zoomIn_ = zoomButton(QStringLiteral("+"), tr("Larger cells (Ctrl+wheel on a map); scroll to pan"));
    zoomFit_->setCheckable(true);
    zoomOut_->setObjectName(QStringLiteral("zoomOut"));
    zoomFit_->setObjectName(QStringLiteral("zoomFit"));
    zoomIn_->setObjectName(QStringLiteral("zoomIn"));
    connect(zoomOut_, &QToolButton::clicked, this, &AttentionView::zoomOut);
    connect(zoomIn_, &QToolButton::clicked, this, &AttentionView::zoomIn);
    connect(zoomFit_, &QToolButton::clicked, this, [this](bool whole) { whole ? zoomToFit() : zoomToReadable(); });
    choices->addStretch(1);
    looks->addStretch(1);

    message_ = new QLabel(this);
    message_->setWordWrap(true);
    message_->setAlignment(Qt::AlignCenter);
    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    hint_ = new QLabel(this);
    hint_->setWordWrap(true);
    hint_->setObjectName(QStringLiteral("queryHint"));

    // The maps side by side in a canvas that scrolls when they are zoomed past the room.
    mapsCanvas_ = new QWidget;
    auto* mapsGrid = new QGridLayout(mapsCanvas_);
    mapsGrid->setContentsMargins(0, 0, 0, 0);
    mapsGrid->setHorizontalSpacing(kMapGap);
    mapsGrid->setVerticalSpacing(kTitleGap);
    mapsGrid->setSizeConstraint(QLayout::SetFixedSize);
    const QStringList titles{tr("In superposition"), tr("Alone"), tr("Difference (superposition \u2212 alone)")};
    TokenMapWidget** maps[] = {&superposedMap_, &aloneMap_, &differenceMap_};
    for (int column = 0; column < 3; ++column) {
        mapTitles_ << boldLabel(titles[column], mapsCanvas_);
        *maps[column] = new TokenMapWidget(mapsCanvas_);
        mapsGrid->addWidget(mapTitles_.last(), 0, column, Qt::AlignLeft | Qt::AlignBottom);
        mapsGrid->addWidget(*maps[column], 1, column, Qt::AlignLeft | Qt::AlignTop);
        connect(*maps[column], &TokenMapWidget::queryClicked, this, [this](int row) {
            queryChosen_ = true;
            setQuery(row);
        });
        connect(*maps[column], &TokenMapWidget::zoomRequested, this, [this](int steps) {
            for (int i = 0; i < std::abs(steps); ++i)
                steps > 0 ? zoomIn() : zoomOut();
        });
    }
    mapsScroll_ = new QScrollArea(this);
    mapsScroll_->setObjectName(QStringLiteral("attentionMaps"));
    mapsScroll_->setFrameShape(QFrame::NoFrame);
    mapsScroll_->setWidget(mapsCanvas_);
    mapsScroll_->setWidgetResizable(false);
    mapsScroll_->viewport()->installEventFilter(this);

    // The query's attention on the image, three pictures side by side that share the width.
    imagePage_ = new QWidget(this);
    auto* imageGrid = new QGridLayout(imagePage_);
    imageGrid->setContentsMargins(0, 0, 0, 0);
    imageGrid->setHorizontalSpacing(kMapGap);
    PixelAttentionWidget** images[] = {&superposedImage_, &aloneImage_, &differenceImage_};
    for (int column = 0; column < 3; ++column) {
        *images[column] = new PixelAttentionWidget(imagePage_);
        imageGrid->addWidget(boldLabel(titles[column], imagePage_), 0, column);
        imageGrid->addWidget(*images[column], 1, column);
        imageGrid->setColumnStretch(column, 1);
        connect(*images[column], &PixelAttentionWidget::pixelClicked, this, [this](int pixel) {
            queryChosen_ = true;
            setQuery(pixel);
        });
    }
    imageGrid->setRowStretch(1, 1);

    pages_ = new QStackedWidget(this);
    pages_->addWidget(mapsScroll_);
    pages_->addWidget(imagePage_);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(choices);
    layout->addLayout(looks);
    layout->addWidget(message_);
    layout->addWidget(summary_);
    layout->addWidget(hint_);
    layout->addWidget(pages_, 1);
    for (int i = 0; i < 3; ++i) {
        installExportMenu(tokenMaps()[i], [this, i] { return mapItem(i, false); });
        installExportMenu(imageViews()[i], [this, i] { return mapItem(i, true); });
    }
    fillDisplayChoices();
    setChoices(0, 0, 0);
    clear(tr("No attention maps yet."));
}

void AttentionView::setChoices(int slotCount, int layerCount, int headCount)
{
    refill(slot_, slotCount, [this](int i) { return tr("Sequence %1").arg(i); });
    refill(layer_, layerCount, [](int i) { return layerTitle(i); });
    refill(head_, headCount, [this](int i) { return tr("Head %1").arg(i); });
}

void AttentionView::fillDisplayChoices()
{
    // Another kind of sequence starts from its own first choice: the image for pixels.
    const QSignalBlocker blocker(display_);
    display_->clear();
    if (isPixelSequence())
        display_->addItem(tr("Show: the query on the image"), int(Display::OnTheImage));
    display_->addItem(tr("Show: the three maps"), int(Display::AllMaps));
    display_->addItem(tr("Show: in superposition"), int(Display::Superposed));
    display_->addItem(tr("Show: alone"), int(Display::Alone));
    display_->addItem(tr("Show: the difference"), int(Display::Difference));
    display_->setCurrentIndex(0);
}

AttentionView::Display AttentionView::display() const
{
    return display_->currentIndex() >= 0 ? Display(display_->currentData().toInt()) : Display::AllMaps;
}

void AttentionView::setDisplay(Display display)
{
    const int index = display_->findData(int(display));
    if (index >= 0)
        display_->setCurrentIndex(index);
}

void AttentionView::setMaps(const mimo::AttentionMaps& maps)
{
    const bool sameSequence = maps.slot == maps_.slot && maps.length == maps_.length;
    const bool kindChanged = (maps.imageWidth > 0) != isPixelSequence() || display_->count() == 0;
    maps_ = maps;
    message_->hide();
    if (kindChanged)
        fillDisplayChoices();
    const QStringList tokens = toStrings(maps.tokens);
    superposedMap_->setMap(maps.superposed, tokens);
    aloneMap_->setMap(maps.alone, tokens);
    differenceMap_->setMap(maps.difference, tokens);
    for (PixelAttentionWidget* image : imageViews())
        image->setImage(maps.imageHeight, maps.imageWidth, maps.pixels);
    if (!(queryChosen_ && sameSequence && query_ >= 0 && query_ < maps.length)) {
        queryChosen_ = false;
        query_ = mostChangedQuery();
    }
    summary_->setText(summaryText());
    summary_->show();
    hint_->show();
    applyColours();
    applyDisplay();
}

void AttentionView::clear(const QString& message)
{
    maps_ = {};
    query_ = -1;
    queryChosen_ = false;
    message_->setText(message);
    message_->show();
    for (TokenMapWidget* map : tokenMaps())
        map->clear();
    for (PixelAttentionWidget* image : imageViews())
        image->clear();
    summary_->clear();
    summary_->hide();
    hint_->hide();
    pages_->hide();
    for (QToolButton* button : {zoomOut_, zoomFit_, zoomIn_})
        button->setEnabled(false);
}

int AttentionView::slot() const { return std::max(0, slot_->currentIndex()); }
int AttentionView::layer() const { return std::max(0, layer_->currentIndex()); }

void AttentionView::selectLayer(int layer)
{
    if (layer >= 0 && layer < layer_->count())
        layer_->setCurrentIndex(layer);
}
int AttentionView::head() const { return std::max(0, head_->currentIndex()); }

int AttentionView::mostChangedQuery() const
{
    const int l = maps_.length;
    if (l <= 0 || maps_.difference.values.size() < size_t(l) * size_t(l))
        return -1;
    int best = 0;
    double most = -1.0;
    for (int row = 0; row < l; ++row) {
        double change = 0.0;
        for (int column = 0; column < l; ++column)
            change += double(std::abs(maps_.difference.values[size_t(row) * size_t(l) + size_t(column)]));
        if (change > most) {
            most = change;
            best = row;
        }
    }
    return best;
}

void AttentionView::setQuery(int token)
{
    query_ = token >= 0 && token < maps_.length ? token : query_;
    showQuery();
}

void AttentionView::showQuery()
{
    for (TokenMapWidget* map : tokenMaps())
        map->setQuery(query_);
    hint_->setText(queryText());
    if (!isPixelSequence() || query_ < 0)
        return;
    const size_t pixels = size_t(maps_.imageHeight) * size_t(maps_.imageWidth);
    const auto superposed = rowOnImage(maps_.superposed, maps_.length, query_, pixels);
    const auto alone = rowOnImage(maps_.alone, maps_.length, query_, pixels);
    const auto difference = rowOnImage(maps_.difference, maps_.length, query_, pixels);
    // In superposition and alone share one range; the difference is centred on 0.
    float high = 0.0f, magnitude = 0.0f;
    for (size_t i = 0; i < pixels; ++i) {
        if (!std::isnan(superposed[i]))
            high = std::max({high, superposed[i], alone[i]});
        if (!std::isnan(difference[i]))
            magnitude = std::max(magnitude, std::abs(difference[i]));
    }
    const ColorRange shared{0.0, high > 0.0f ? double(high) : 1.0, ColorMapKind::Sequential};
    const double m = magnitude > 0.0f ? double(magnitude) : 1.0;
    superposedImage_->setWeights(superposed, shared);
    aloneImage_->setWeights(alone, shared);
    differenceImage_->setWeights(difference, {-m, m, ColorMapKind::Diverging});
    for (PixelAttentionWidget* image : imageViews())
        image->setQuery(query_);
}

void AttentionView::applyColours()
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
    const ColorRange shared{0.0, high > 0.0f ? double(high) : 1.0, ColorMapKind::Sequential};
    superposedMap_->setColorRange(shared);
    aloneMap_->setColorRange(shared);
    const auto& difference = maps_.difference.values;
    float magnitude = 0.0f;
    for (float value : difference)
        magnitude = std::max(magnitude, std::abs(value));
    const double m = magnitude > 0.0f ? double(magnitude) : 1.0;
    differenceMap_->setColorRange({-m, m, ColorMapKind::Diverging});
}

void AttentionView::applyDisplay()
{
    if (maps_.length == 0)
        return;
    const Display shown = display();
    pages_->show();
    pages_->setCurrentWidget(shown == Display::OnTheImage ? imagePage_ : static_cast<QWidget*>(mapsScroll_));
    const bool all = shown == Display::AllMaps;
    const QList<TokenMapWidget*> maps = tokenMaps();
    const Display single[] = {Display::Superposed, Display::Alone, Display::Difference};
    for (int i = 0; i < 3; ++i) {
        maps[i]->setVisible(all || shown == single[i]);
        mapTitles_[i]->setVisible(maps[i]->isVisibleTo(mapsCanvas_));
    }
    for (QToolButton* button : {zoomOut_, zoomFit_, zoomIn_}) {
        button->setVisible(shown != Display::OnTheImage);
        button->setEnabled(true);
    }
    // On the image, one query row: its own range, nothing to clip.
    contrast_->setVisible(shown != Display::OnTheImage);
    applyZoom();
    showQuery();
}

bool AttentionView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == mapsScroll_->viewport() && event->type() == QEvent::Resize && zoomCell_ == 0)
        applyZoom();
    return QWidget::eventFilter(watched, event);
}

void AttentionView::applyZoom()
{
    QList<TokenMapWidget*> shown;
    for (TokenMapWidget* map : tokenMaps())
        if (map->isVisibleTo(mapsCanvas_))
            shown << map;
    if (shown.isEmpty() || maps_.length == 0)
        return;
    int cell = zoomCell_;
    if (cell == 0) {
        const QSize room = mapsScroll_->viewport()->size();
        const int titles = mapTitles_.first()->sizeHint().height() + kTitleGap;
        const QSize each((room.width() - kMapGap * (int(shown.size()) - 1)) / int(shown.size()), room.height() - titles);
        cell = shown.first()->cellToFit(each);
        for (TokenMapWidget* map : shown)
            cell = std::min(cell, map->cellToFit(each));
        // Unless people asked for the whole map in view: every token named, a line of text per
        // cell, and the scroll bars pan over what does not fit.
        if (!fitWhole_)
            cell = std::max(cell, superposedMap_->fontMetrics().height());
    }
    for (TokenMapWidget* map : tokenMaps())
        map->setCellSize(cell);
    zoomFit_->setChecked(zoomCell_ == 0 && fitWhole_);
    mapsCanvas_->adjustSize();
    hint_->setText(queryText());
}

void AttentionView::zoomIn()
{
    fitWhole_ = false;
    const int now = superposedMap_->cellSize();
    zoomCell_ = std::min(64, std::max(now + 1, int(std::lround(now * kZoomStep))));
    applyZoom();
}

void AttentionView::zoomOut()
{
    fitWhole_ = false;
    const int now = superposedMap_->cellSize();
    zoomCell_ = std::max(1, std::min(now - 1, int(std::lround(now / kZoomStep))));
    applyZoom();
}

void AttentionView::zoomToFit()
{
    zoomCell_ = 0;
    fitWhole_ = true;
    applyZoom();
}

void AttentionView::zoomToReadable()
{
    zoomCell_ = 0;
    fitWhole_ = false;
    applyZoom();
}
