#pragma once
// The welcome a newcomer sees above the slots until they close it: two sentences on computing
// in superposition, "Take the tour (Ctrl+T)", "What is a MIMONet?", the paper and the
// documentation. It never blocks the window (no dialog). Closing it is remembered in the
// settings (welcome/dismissed): once closed, it does not come back.
#include <QFrame>

class QAction;
class QLabel;
class QPushButton;
class QToolButton;

class WelcomeBanner : public QFrame {
    Q_OBJECT
public:
    // `tour` and `primer` are the window's actions (View > Guided Tour, Help > What is a MIMONet?).
    WelcomeBanner(QAction* tour, QAction* primer, QWidget* parent = nullptr);

    // Not closed yet in these settings: the window offers it.
    static bool wanted();

    QPushButton* tourButton() const { return tourButton_; }
    QPushButton* primerButton() const { return primerButton_; }
    QToolButton* closeButton() const { return close_; }
    QLabel* links() const { return links_; }

public Q_SLOTS:
    void dismiss(); // hides it for good

private:
    QPushButton* tourButton_ = nullptr;
    QPushButton* primerButton_ = nullptr;
    QToolButton* close_ = nullptr;
    QLabel* links_ = nullptr;
};
