#pragma once
// Typing a sequence for a sequence model: a ListOps expression, text, or token ids, with a
// hint saying which this model reads.
#include <QDialog>

class QPlainTextEdit;

class SequenceDialog : public QDialog {
    Q_OBJECT
public:
    SequenceDialog(const QString& inputKind, const QString& inputDescription, QWidget* parent = nullptr);
    QString text() const;

private:
    QPlainTextEdit* editor_ = nullptr;
};
