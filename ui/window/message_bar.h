#pragma once
// A dismissible bar above the slots that says what went wrong (a file that is not an input,
// a model that does not load) without a modal dialog interrupting the work. A problem is
// stamped with the state it was reported in; a later success (an edit, a current run, a model
// that loads) clears problems reported before it, not those of the action that just succeeded.
#include <QFrame>

#include <functional>

class QLabel;
class QToolButton;

class MessageBar : public QFrame {
    Q_OBJECT
public:
    explicit MessageBar(QWidget* parent = nullptr);

    void showProblem(const QString& title, const QString& message);
    // Where stamps come from (the controller's state generation); 0 without one.
    void setClock(std::function<quint64()> clock) { clock_ = std::move(clock); }
    // A success at `stamp`: hides a problem reported before it.
    void clearProblemsBefore(quint64 stamp);
    QString title() const;
    QString message() const;

private:
    QLabel* title_ = nullptr;
    QLabel* message_ = nullptr;
    QToolButton* close_ = nullptr;
    std::function<quint64()> clock_;
    quint64 stamp_ = 0;
};
