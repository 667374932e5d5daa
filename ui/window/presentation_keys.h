#pragma once
// The keys of a lecture, in every window while the tour is presented: F5 and Esc leave, the
// arrows (and Page Up/Down, Space) step, 1-9 choose N, K shuffles the keys. Application-wide
// shortcuts, enabled only while presenting, so they reach the tour in full screen and the main
// window alike and take nothing from the fields when not presenting.
#include <QObject>

class QAction;
class QWidget;

class PresentationKeys : public QObject {
    Q_OBJECT
public:
    // The actions are added to `window` (an action acts only where a widget holds it).
    explicit PresentationKeys(QWidget* window);

    void setPresenting(bool on);
    bool presenting() const { return presenting_; }

Q_SIGNALS:
    void stepRequested(int delta); // +1 next, -1 previous
    void leaveRequested();
    void nRequested(int n);
    void shuffleKeysRequested();

private:
    QAction* add(QWidget* window, const QList<QKeySequence>& keys, const QString& text);

    QList<QAction*> actions_;
    bool presenting_ = false;
};
