#include "ui/panels/slot_widget.h"

#include "ui/panels/dropped_paths.h"
#include "ui/panels/probability_bars.h"
#include "ui/widgets/elided_label.h"
#include "ui/widgets/fitting_label.h"

#include <QContextMenuEvent>
#include <QDragEnterEvent>
#include <QLabel>
#include <QMimeData>
#include <QVBoxLayout>

namespace {

// CHW values in [0,1] (what the model sees) as an image.
QImage imageFromDisplay(const mimo::PreparedImage& image)
{
    const int h = image.height, w = image.width;
    if (image.channels == 1) {
        QImage out(w, h, QImage::Format_Grayscale8);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                out.scanLine(y)[x] = uchar(qRound(image.display[size_t(y * w + x)] * 255.0f));
        return out;
    }
    QImage out(w, h, QImage::Format_RGB888);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c)
                out.scanLine(y)[x * 3 + c] = uchar(qRound(image.display[size_t((c * h + y) * w + x)] * 255.0f));
    return out;
}

QImage imageFromPixels(const mimo::TensorView& pixels)
{
    const int h = int(pixels.shape.at(0)), w = int(pixels.shape.at(1));
    QImage out(w, h, QImage::Format_Grayscale8);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            out.scanLine(y)[x] = uchar(qRound(pixels.values[size_t(y * w + x)] * 255.0f));
    return out;
}

} // namespace

SlotWidget::SlotWidget(int index, QWidget* parent) : QFrame(parent), index_(index)
{
    setFrameShape(QFrame::StyledPanel);
    setAcceptDrops(true);
    setObjectName(QStringLiteral("slot%1").arg(index + 1));
    auto* layout = new QVBoxLayout(this);
    title_ = new ElidedLabel(this); // long names must not widen the slot: elided, whole in the tooltip
    image_ = new QLabel(this);
    image_->setAlignment(Qt::AlignCenter);
    sequence_ = new QLabel(this);
    sequence_->setWordWrap(true);
    sequence_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    sequence_->setTextFormat(Qt::PlainText);
    sequence_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::TypeWriter);
    sequence_->setFont(mono);
    // Long sequences must not push the predictions out of sight: six lines, the rest in the tooltip.
    sequence_->setMaximumHeight(QFontMetrics(mono).lineSpacing() * 6 + 4);
    sequence_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    truth_ = new QLabel(this);
    truth_->setObjectName(QStringLiteral("truth"));
    truth_->setWordWrap(true); // "True class: Ankle boot" wraps in a narrow slot rather than losing its end
    // Two lines at most: in the narrow slots of a short window the long sentence took four and
    // pushed the answers out of sight; the bars above say which answer changed to which.
    mark_ = new FittingLabel(2, this);
    truth_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    superposed_ = new ProbabilityBars(this);
    alone_ = new ProbabilityBars(this);
    superposed_->setObjectName(QStringLiteral("superposed"));
    alone_->setObjectName(QStringLiteral("alone"));
    superposed_->setExplanation(tr("This input computed together with the other slots, in one superposition"));
    alone_->setExplanation(tr("The same input computed at N = 1, with the same weights and keys (a MIMOConv binds "
                              "an input alone with the sum of its keys)"));
    layout->addWidget(title_);
    layout->addWidget(image_);
    layout->addWidget(sequence_);
    layout->addWidget(truth_);
    layout->addWidget(superposed_);
    layout->addWidget(alone_);
    layout->addWidget(mark_);
    layout->addStretch(1);
    setInput(std::nullopt, {});
}

void SlotWidget::setInput(const std::optional<SlotInput>& input, const QStringList& classNames)
{
    hasInput_ = input.has_value();
    preview_ = QImage();
    label_ = input ? input->prepared.label : -1;
    if (!input) {
        title_->setFullText(tr("Slot %1: empty").arg(index_ + 1));
        image_->clear();
        image_->setText(tr("Drop an input here"));
        sequence_->hide();
        truth_->clear();
        setToolTip(tr("Drop an image, a sequence file or a folder, or right-click for more"));
        return;
    }
    const auto& prepared = input->prepared;
    title_->setFullText(tr("Slot %1: %2").arg(index_ + 1).arg(QString::fromStdString(prepared.name)));
    if (prepared.isImage)
        preview_ = imageFromDisplay(prepared.image);
    else if (!prepared.pixels.empty())
        preview_ = imageFromPixels(prepared.pixels);
    sequence_->setVisible(!prepared.isImage);
    sequence_->setText(QString::fromStdString(prepared.text));
    sequence_->setToolTip(QString::fromStdString(prepared.text));
    QStringList steps;
    for (const auto& step : prepared.steps)
        steps << QString::fromStdString(step);
    setToolTip(tr("What the model sees, after:\n%1").arg(steps.join('\n')));
    truth_->setText(label_ >= 0 && label_ < classNames.size() ? tr("True class: %1").arg(classNames[int(label_)])
                                                                : tr("True class: unknown"));
    showPreview();
}

void SlotWidget::showPreview()
{
    if (preview_.isNull()) {
        image_->setVisible(!hasInput_);
        return;
    }
    image_->setVisible(true);
    const qreal ratio = devicePixelRatioF();
    QImage scaled = preview_.scaled(QSize(previewSize_, previewSize_) * ratio, Qt::KeepAspectRatio, Qt::FastTransformation);
    scaled.setDevicePixelRatio(ratio);
    image_->setPixmap(QPixmap::fromImage(scaled));
}

void SlotWidget::setPreviewSize(int pixels)
{
    previewSize_ = pixels;
    showPreview();
}

void SlotWidget::setPrediction(const mimo::SlotPrediction* prediction, int n, bool current)
{
    if (!prediction) {
        superposed_->setScores(tr("In superposition (N=%1)").arg(n), {}, label_);
        superposed_->clear(hasInput_ ? tr("Fill every slot to run") : tr("No input"));
        alone_->setScores(tr("Alone (N=1)"), {}, label_);
        alone_->clear(QString());
        mark_->clearTexts();
        return;
    }
    superposed_->setScores(tr("In superposition (N=%1)").arg(n), prediction->superposed, label_);
    alone_->setScores(tr("Alone (N=1)"), prediction->alone, label_);
    superposed_->setDimmed(!current);
    alone_->setDimmed(!current);
    QPalette pal = mark_->palette();
    pal.setColor(QPalette::WindowText, prediction->disagree ? QColor(0xd9, 0x6c, 0x1e) : palette().color(QPalette::PlaceholderText));
    mark_->setPalette(pal);
    QFont font = mark_->font();
    font.setBold(prediction->disagree);
    mark_->setFont(font);
    if (prediction->disagree) {
        const QString superposed = QString::fromStdString(prediction->superposed.front().name);
        const QString alone = QString::fromStdString(prediction->alone.front().name);
        mark_->setTexts({tr("⚠ Superposition changes the answer: %1 instead of %2").arg(superposed, alone),
                         tr("⚠ %1 instead of %2").arg(superposed, alone), tr("⚠ Answer changed")});
    } else {
        mark_->setTexts({tr("Same answer as alone")});
    }
}

void SlotWidget::setSelected(bool selected)
{
    selected_ = selected;
    setHighlight(false);
}

void SlotWidget::setHighlight(bool on)
{
    setFrameShadow(on || selected_ ? QFrame::Sunken : QFrame::Plain);
    setLineWidth(on || selected_ ? 2 : 1);
    setBackgroundRole(on ? QPalette::Highlight : QPalette::Window);
    setAutoFillBackground(on);
}

bool SlotWidget::disagreementShown() const { return mark_->text().startsWith(QStringLiteral("⚠")); }
QString SlotWidget::superposedSummary() const { return superposed_->summary(); }
QString SlotWidget::aloneSummary() const { return alone_->summary(); }
QString SlotWidget::sourceText() const { return title_->fullText(); }

void SlotWidget::dragEnterEvent(QDragEnterEvent* event)
{
    if (!droppedPaths(event->mimeData()).isEmpty()) {
        event->acceptProposedAction();
        setHighlight(true);
    }
}

void SlotWidget::dragLeaveEvent(QDragLeaveEvent*) { setHighlight(false); }

void SlotWidget::dropEvent(QDropEvent* event)
{
    setHighlight(false);
    const QStringList paths = droppedPaths(event->mimeData());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    Q_EMIT filesDropped(index_, paths);
}

void SlotWidget::mousePressEvent(QMouseEvent* event)
{
    Q_EMIT activated(index_);
    QFrame::mousePressEvent(event);
}

void SlotWidget::contextMenuEvent(QContextMenuEvent* event)
{
    Q_EMIT activated(index_);
    Q_EMIT menuRequested(index_, event->globalPos());
}
