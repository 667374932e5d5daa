#pragma once
// File > Open Session / Save Session / Save Session As: the controller's state (model, device,
// N, keys, inputs), the view settings under the given roots and the batch results, as one JSON
// file (core/explore/session_file.h). A file that cannot be read or written gets a message naming
// it and the problem; the state in the window stays as it was.
#include "core/explore/batch_evaluation.h"
#include "core/explore/session_file.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

class ExplorerController;
class MessageBar;
class QAction;
class QWidget;

class SessionActions : public QObject {
    Q_OBJECT
public:
    struct BatchAccess {
        std::function<std::optional<mimo::BatchResult>()> get; // nullopt: nothing to keep
        std::function<bool(const mimo::BatchResult&)> set; // false: refused (a batch is running)
    };

    // `viewRoots` need object names: their named controls are the view settings.
    SessionActions(ExplorerController* controller, QList<QWidget*> viewRoots, MessageBar* messages,
                   BatchAccess batch, QWidget* dialogParent);

    QAction* openAction() const { return open_; }
    QAction* saveAction() const { return save_; }
    QAction* saveAsAction() const { return saveAs_; }
    QString currentFile() const { return file_; }
    // Edits of N, keys or inputs since the session was last saved or opened (or since start).
    bool isModified() const { return modified_; }
    // Before the window closes: Save / Discard / Cancel when there are unsaved edits. True when
    // the window may close (nothing unsaved, saved, or discarded).
    bool maybeSave();

    // Without dialogs (tests, --session, drops). False with a message when it cannot be done;
    // opening finishes asynchronously (sessionApplied).
    bool saveTo(const QString& path);
    bool openFrom(const QString& path);
    // A recovery copy (recovery_copy.h): opened like a session, but the work is untitled and
    // unsaved afterwards, as it was when the explorer stopped.
    bool openRecovered(const QString& path);
    // What Save Session would write now; none without a model.
    std::optional<mimo::SessionData> snapshot() const;
    static bool isSessionFile(const QString& path); // by its suffix

Q_SIGNALS:
    void saved(const QString& path);
    void sessionApplied(const QString& path); // model, inputs, keys, view settings and batch in place
    void modifiedChanged(bool modified);

private:
    void openWithDialog();
    bool saveWithDialog(bool askForName); // false: not saved (cancelled, or it failed)
    void setModified(bool modified);
    void applyPendingView();
    std::map<std::string, std::string> captureView() const;

    ExplorerController* controller_;
    QList<QWidget*> viewRoots_;
    MessageBar* messages_;
    BatchAccess batch_;
    QWidget* dialogParent_;
    QAction* open_;
    QAction* save_;
    QAction* saveAs_;
    QString file_;
    bool modified_ = false;
    QString opening_;                  // the session whose model is loading
    bool openingRecovered_ = false;    // ... and it is a recovery copy
    std::optional<mimo::BatchResult> openingBatch_;
    // View settings not applied yet: a layer or head list fills only once the views have data,
    // so they are tried again after each result and inspection, a few times at most.
    std::map<std::string, std::string> pendingView_;
    int viewPasses_ = 0;
};
