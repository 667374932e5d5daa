#include "ui/window/welcome_banner.h"

#include "ui/window/first_contact_links.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace {
const QString kDismissed = QStringLiteral("welcome/dismissed");
} // namespace

WelcomeBanner::WelcomeBanner(QAction* tour, QAction* primer, QWidget* parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("welcome"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::AlternateBase);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);

    auto* text = new QVBoxLayout;
    text->setSpacing(3);
    auto* about = new QLabel(
        tr("<b>Welcome!</b> A MIMONet computes on several inputs at once, in superposition: each input is bound to "
           "its own key, the bound inputs are summed into one tensor and one network processes the sum. Unbinding gives "
           "back one result per input, so N inputs cost about as much as one, for a few points of accuracy."),
        this);
    about->setWordWrap(true);
    about->setTextFormat(Qt::RichText);
    auto* row = new QHBoxLayout;
    tourButton_ = new QPushButton(tr("Take the tour (%1)").arg(tour->shortcut().toString(QKeySequence::NativeText)), this);
    tourButton_->setEnabled(tour->isEnabled()); // the tour needs a model
    connect(tour, &QAction::changed, tourButton_, [this, tour] { tourButton_->setEnabled(tour->isEnabled()); });
    connect(tourButton_, &QPushButton::clicked, tour, [tour] {
        if (tour->isEnabled())
            tour->setChecked(true);
    });
    primerButton_ = new QPushButton(tr("What is a MIMONet?"), this);
    connect(primerButton_, &QPushButton::clicked, primer, &QAction::trigger);
    links_ = new QLabel(firstContactLinks(true), this);
    links_->setTextFormat(Qt::RichText);
    links_->setOpenExternalLinks(true);
    links_->setWordWrap(true);
    row->addWidget(tourButton_);
    row->addWidget(primerButton_);
    row->addSpacing(6);
    row->addWidget(links_, 1);
    text->addWidget(about);
    text->addLayout(row);
    layout->addLayout(text, 1);

    close_ = new QToolButton(this);
    close_->setAutoRaise(true);
    close_->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    close_->setToolTip(tr("Close the welcome for good (Help > What is a MIMONet? stays)"));
    layout->addWidget(close_, 0, Qt::AlignTop);
    connect(close_, &QToolButton::clicked, this, &WelcomeBanner::dismiss);
}

bool WelcomeBanner::wanted() { return !QSettings().value(kDismissed, false).toBool(); }

void WelcomeBanner::dismiss()
{
    QSettings().setValue(kDismissed, true);
    hide();
}
