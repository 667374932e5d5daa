#include "ui/empty_state_widget.h"

#include <QLabel>
#include <QVBoxLayout>

EmptyStateWidget::EmptyStateWidget(QWidget* parent) : QWidget(parent)
{
    auto* title = new QLabel(tr("No model loaded"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.8);
    titleFont.setBold(true);
    title->setFont(titleFont);
    title->setAlignment(Qt::AlignCenter);

    auto* body = new QLabel(tr("MIMO Explorer shows how a multiple-input multiple-output network binds several "
                               "inputs to keys, computes on their superposition, and unbinds one result per input.\n\n"
                               "No bundled model is installed yet. Trained models appear here as soon as the "
                               "models/ folder holds one."),
                            this);
    body->setWordWrap(true);
    body->setAlignment(Qt::AlignCenter);
    body->setFixedWidth(560); // a fixed width lets the wrapped label report its full height

    auto* layout = new QVBoxLayout(this);
    layout->addStretch(1);
    layout->addWidget(title);
    layout->addSpacing(12);
    layout->addWidget(body, 0, Qt::AlignHCenter);
    layout->setAlignment(title, Qt::AlignHCenter);
    layout->addStretch(2);
}
