#include "ui/window/mimonet_primer.h"

#include "ui/window/first_contact_links.h"
#include "ui/window/pipeline_figure.h"
#include "ui/window/single_window.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace {

QLabel* paragraph(const QString& text, QWidget* parent, Qt::TextFormat format = Qt::PlainText)
{
    auto* label = new QLabel(text, parent);
    label->setTextFormat(format);
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    return label;
}

// Under each stage of the figure: what happens there, in MIMOConv and in MIMOFormer.
QStringList stageSentences()
{
    return {
        QObject::tr("Each input is bound to its own key, which marks its slot. MIMOConv binds the output of its first "
                    "layer by circular convolution along the channels (holographic reduced representations, HRR), with "
                    "the same learned key at every pixel, so each map keeps its layout. MIMOFormer binds queries, keys "
                    "and values in each attention layer with fixed bipolar keys (entries +1 or -1), by elementwise "
                    "multiplication."),
        QObject::tr("The bound inputs are added into one tensor, as wide as a single input's, whatever N is. The keys "
                    "are close to orthogonal (MIMOConv's training pulls them there; random bipolar keys are nearly "
                    "so), so each input can still be told apart in the sum, with some interference from the others."),
        QObject::tr("One network processes the sum. In MIMOConv the convolutional body of a Wide ResNet runs once for "
                    "all N inputs; in MIMOFormer the attention works on bundles of queries, keys and values (and in "
                    "its att.+MLP variant the MLP too). These parts do about the work of one input for all N."),
        QObject::tr("Unbinding recovers one result per input, in the order the inputs came. MIMOConv unbinds with a "
                    "learned layer after pooling, one feature vector per input for the same classifier; MIMOFormer "
                    "multiplies by the bipolar key again. What the other inputs leave behind is interference."),
    };
}

} // namespace

MimonetPrimer::MimonetPrimer(QAction* tour, QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("mimonetPrimer"));
    setWindowTitle(tr("What is a MIMONet?"));
    setModal(false);

    page_ = new QWidget;
    QWidget* page = page_;
    auto* layout = new QVBoxLayout(page);
    title_ = new QLabel(tr("What is a MIMONet?"), page);
    layout->addWidget(title_);
    layout->addWidget(paragraph(
        tr("A MIMONet (multiple-input multiple-output network; Menet et al., NeurIPS 2023) computes on N inputs at "
           "once, in superposition, with one set of weights. Four steps do it:"),
        page));
    figure_ = new PipelineFigure(page);
    layout->addWidget(figure_, 1); // the room the texts leave

    auto* stages = new QHBoxLayout;
    stages->setSpacing(3 * fontMetrics().averageCharWidth());
    const QStringList sentences = stageSentences();
    for (const QString& sentence : sentences) {
        QLabel* label = paragraph(sentence, page);
        stageTexts_ << label;
        stages->addWidget(label, 1);
    }
    layout->addLayout(stages);

    layout->addWidget(paragraph(
        tr("<b>What it buys, what it costs.</b> N inputs for close to the price of one, at a few points of accuracy. "
           "In the paper, MIMOConv is about 2 to 4 times faster than a Wide ResNet at an accuracy change between "
           "+0.68 and -3.18 % on CIFAR-10 and CIFAR-100, and MIMOFormer handles 2 to 4 inputs at once within -1.07 "
           "to -3.43 % on the Long Range Arena. A MIMOConv trained for it switches N at run time with the same "
           "weights: fewer inputs, higher accuracy."),
        page, Qt::RichText));
    layout->addWidget(paragraph(
        tr("<b>In this explorer</b> change N and the keys on the left and compare each slot's answer in "
           "superposition with the same input alone. The guided tour shows the four steps on your own inputs."),
        page, Qt::RichText));
    QLabel* links = paragraph(firstContactLinks(), page, Qt::RichText);
    links->setOpenExternalLinks(true);
    layout->addWidget(links);

    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setWidget(page);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    if (tour) {
        tourButton_ = buttons->addButton(tr("Take the Tour (%1)").arg(tour->shortcut().toString(QKeySequence::NativeText)),
                                         QDialogButtonBox::ActionRole);
        tourButton_->setEnabled(tour->isEnabled());
        connect(tour, &QAction::changed, tourButton_, [this, tour] { tourButton_->setEnabled(tour->isEnabled()); });
        connect(tourButton_, &QPushButton::clicked, tour, [tour] {
            if (tour->isEnabled())
                tour->setChecked(true);
        });
    }
    auto* outer = new QVBoxLayout(this);
    outer->addWidget(scroll, 1);
    outer->addWidget(buttons);
    page->setMinimumWidth(figure_->minimumSizeHint().width() + layout->contentsMargins().left() +
                          layout->contentsMargins().right());
    applyScale(1.0);
    resize(std::max(960, page->minimumWidth() + 40), 640); // within a 1024x700 screen
}

void MimonetPrimer::applyScale(double scale)
{
    scale_ = scale;
    QFont text = font();
    text.setPointSizeF(text.pointSizeF() * scale);
    page_->setFont(text);
    QFont title = text;
    title.setBold(true);
    title.setPointSizeF(text.pointSizeF() * 1.5);
    title_->setFont(title);
}

void MimonetPrimer::resizeEvent(QResizeEvent* event)
{
    QDialog::resizeEvent(event);
    // Larger than the page needs at 1024x700, its text grows with it (up to 1.6 times) rather
    // than leaving bands empty.
    const double scale = std::clamp(std::min(width() / 1000.0, height() / 700.0), 1.0, 1.6);
    if (std::abs(scale - scale_) > 0.02)
        applyScale(scale);
}

MimonetPrimer* MimonetPrimer::showFor(QWidget* window, QAction* tour)
{
    return showSingleWindow<MimonetPrimer>(window, [&] { return new MimonetPrimer(tour, window); });
}
