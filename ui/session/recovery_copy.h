#pragma once
// A copy of the window's work (the session File > Save Session would write: model, device, N,
// keys, inputs, view settings, batch results) kept on disk while the explorer runs, so a crash
// loses nothing. Written atomically a moment after each change (and when view settings change,
// checked every few seconds), one file per running explorer, removed on a normal exit. A copy
// whose explorer is gone marks an abnormal exit: the next plain start offers to restore it.
#include <QObject>
#include <QString>
#include <QStringList>

class ExplorerController;
class SessionActions;
class QTimer;
class QWidget;

class RecoveryCopy : public QObject {
    Q_OBJECT
public:
    RecoveryCopy(SessionActions* sessions, ExplorerController* controller, QObject* parent = nullptr);
    ~RecoveryCopy() override; // a normal exit: the copy goes

    // $XDG_DATA_HOME/mimo-explorer/recovery (the same for every build of the explorer).
    static QString folder();
    // Copies left by explorers that are no longer running, newest first.
    static QStringList orphans();
    QString path() const { return path_; } // this explorer's copy

    // At a plain start: when an explorer left a copy behind, asks whether to restore it (the
    // newest; older ones go either way). Restore opens it untitled and unsaved and removes the
    // copy once it is in place; Discard removes it. True when a restore has started.
    bool offerRestore(QWidget* dialogParent);

    void setEnabled(bool enabled);
    void writeNow();    // without waiting for the debounce (tests)

private:
    void schedule();

    SessionActions* sessions_;
    QString path_;
    QByteArray written_;  // what the file holds, so an unchanged state is not written again
    QTimer* debounce_ = nullptr;
    QTimer* viewCheck_ = nullptr;
    bool enabled_ = true;
};
