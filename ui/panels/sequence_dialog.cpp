#include "ui/panels/sequence_dialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

SequenceDialog::SequenceDialog(const QString& inputKind, const QString& inputDescription, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Type a sequence"));
    auto* layout = new QVBoxLayout(this);
    QString hint;
    if (inputKind == QLatin1String("listops"))
        hint = tr("A ListOps expression, with or without parentheses, e.g. [MAX 2 9 [MIN 4 7 ] 0 ]");
    else if (inputKind == QLatin1String("text"))
        hint = tr("Any text; the model reads its bytes.");
    else
        hint = tr("Token ids separated by spaces.");
    auto* label = new QLabel(tr("This model reads a %1.\n%2").arg(inputDescription, hint), this);
    label->setWordWrap(true);
    layout->addWidget(label);
    editor_ = new QPlainTextEdit(this);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::TypeWriter);
    editor_->setFont(mono);
    layout->addWidget(editor_, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(560, 260);
}

QString SequenceDialog::text() const { return editor_->toPlainText(); }
