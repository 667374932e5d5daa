#pragma once
// A dismissible bar above the slots that says what went wrong (a file that is not an input,
// a model that does not load) without a modal dialog interrupting the work.
#include <QFrame>

class QLabel;
class QToolButton;

class MessageBar : public QFrame {
    Q_OBJECT
public:
    explicit MessageBar(QWidget* parent = nullptr);

    void showProblem(const QString& title, const QString& message);
    QString title() const;
    QString message() const;

private:
    QLabel* title_ = nullptr;
    QLabel* message_ = nullptr;
    QToolButton* close_ = nullptr;
};
