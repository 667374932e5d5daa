#include "ui/session/session_actions.h"

#include "core/errors.h"
#include "core/explore/session_file.h"
#include "ui/controller/explorer_controller.h"
#include "ui/controller/inspection_requests.h"
#include "ui/session/view_settings.h"
#include "ui/window/dialog_directories.h"
#include "ui/window/message_bar.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeySequence>
#include <QMessageBox>
#include <QWidget>

#include <utility>

namespace {
const QString kSuffix = QStringLiteral("mimo-session");
}

SessionActions::SessionActions(ExplorerController* controller, QList<QWidget*> viewRoots, MessageBar* messages,
                               BatchAccess batch, QWidget* dialogParent)
    : QObject(dialogParent), controller_(controller), viewRoots_(std::move(viewRoots)), messages_(messages),
      batch_(std::move(batch)), dialogParent_(dialogParent)
{
    open_ = new QAction(tr("Open &Session…"), this);
    open_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    open_->setStatusTip(tr("Open a saved session: model, N, keys, inputs, views and batch results"));
    connect(open_, &QAction::triggered, this, &SessionActions::openWithDialog);
    save_ = new QAction(tr("&Save Session"), this);
    save_->setShortcut(QKeySequence::Save);
    save_->setStatusTip(tr("Save the model, N, keys, inputs, view settings and batch results"));
    connect(save_, &QAction::triggered, this, [this] { saveWithDialog(false); });
    saveAs_ = new QAction(tr("Save Session &As…"), this);
    saveAs_->setShortcut(QKeySequence::SaveAs);
    connect(saveAs_, &QAction::triggered, this, [this] { saveWithDialog(true); });

    connect(controller_, &ExplorerController::sessionOpened, this, [this](const QString& path) {
        if (path != opening_)
            return;
        opening_.clear();
        // The session's batch results replace the previous ones (none: an empty table).
        if (batch_.set && !batch_.set(openingBatch_.value_or(mimo::BatchResult{})) && openingBatch_)
            messages_->showProblem(tr("Batch results not restored"),
                                   tr("%1: a batch evaluation is running; its results were kept and the session's "
                                      "batch results were not loaded.")
                                       .arg(path));
        openingBatch_.reset();
        viewPasses_ = 8;
        applyPendingView();
        const bool recovered = std::exchange(openingRecovered_, false);
        file_ = recovered ? QString() : path;
        Q_EMIT sessionApplied(path);
        if (recovered)
            setModified(true);
    });
    connect(controller_, &ExplorerController::edited, this, [this] { setModified(true); });
    connect(this, &SessionActions::saved, this, [this] { setModified(false); });
    connect(this, &SessionActions::sessionApplied, this, [this] { setModified(false); });
    // Combo boxes of layers and heads fill once the views have data: apply those settings again.
    connect(&controller_->inspections(), &InspectionRequests::changed, this, &SessionActions::applyPendingView);
    connect(controller_, &ExplorerController::resultChanged, this, &SessionActions::applyPendingView);
}

bool SessionActions::isSessionFile(const QString& path)
{
    return QFileInfo(path).suffix().compare(kSuffix, Qt::CaseInsensitive) == 0 ||
           path.endsWith(QStringLiteral(".mimo-session.json"), Qt::CaseInsensitive);
}

std::map<std::string, std::string> SessionActions::captureView() const
{
    std::map<std::string, std::string> view;
    for (const QWidget* root : viewRoots_)
        for (const auto& [key, value] : captureViewSettings(root))
            view[root->objectName().toStdString() + "/" + key] = value;
    return view;
}

void SessionActions::applyPendingView()
{
    if (viewPasses_ <= 0 || pendingView_.empty())
        return;
    --viewPasses_;
    for (QWidget* root : viewRoots_) {
        const std::string prefix = root->objectName().toStdString() + "/";
        std::map<std::string, std::string> mine;
        for (const auto& [key, value] : pendingView_)
            if (key.rfind(prefix, 0) == 0)
                mine[key.substr(prefix.size())] = value;
        std::set<std::string> applied;
        applyViewSettings(root, mine, &applied);
        for (const auto& key : applied) // applied once: the user's later choices are theirs
            pendingView_.erase(prefix + key);
    }
}

bool SessionActions::saveTo(const QString& path)
{
    if (!controller_->hasModel()) {
        messages_->showProblem(tr("Nothing to save"), tr("Load a model before saving a session."));
        return false;
    }
    const mimo::SessionData session = *snapshot();
    try {
        mimo::writeSessionFile(path.toStdString(), session);
    } catch (const std::exception& error) {
        messages_->showProblem(tr("Cannot save the session"), QString::fromStdString(mimo::userErrorText(error)));
        return false;
    }
    file_ = path;
    Q_EMIT saved(path);
    return true;
}

std::optional<mimo::SessionData> SessionActions::snapshot() const
{
    if (!controller_->hasModel())
        return std::nullopt;
    mimo::SessionData session = controller_->sessionData();
    session.view = captureView();
    if (batch_.get)
        session.batch = batch_.get();
    return session;
}

bool SessionActions::openRecovered(const QString& path)
{
    if (!openFrom(path))
        return false;
    openingRecovered_ = true;
    return true;
}

bool SessionActions::openFrom(const QString& path)
{
    mimo::SessionData session;
    try {
        session = mimo::readSessionFile(path.toStdString());
    } catch (const std::exception& error) {
        messages_->showProblem(tr("Cannot open the session"), QString::fromStdString(mimo::userErrorText(error)));
        return false;
    }
    opening_ = path;
    openingRecovered_ = false;
    pendingView_ = session.view;
    viewPasses_ = 0;
    openingBatch_ = session.batch; // applied once the session's model is in place
    controller_->openSession(session, path);
    return true;
}

void SessionActions::openWithDialog()
{
    const QString path = QFileDialog::getOpenFileName(
        dialogParent_, tr("Open Session"), dialogDirectory(QStringLiteral("sessions")),
        tr("MIMO Explorer sessions (*.%1 *.json);;All files (*)").arg(kSuffix));
    if (path.isEmpty())
        return;
    rememberDirectory(QStringLiteral("sessions"), path);
    openFrom(path);
}

bool SessionActions::saveWithDialog(bool askForName)
{
    QString path = file_;
    if (askForName || path.isEmpty()) {
        path = QFileDialog::getSaveFileName(dialogParent_, tr("Save Session"),
                                            file_.isEmpty() ? dialogDirectory(QStringLiteral("sessions")) : file_,
                                            tr("MIMO Explorer sessions (*.%1)").arg(kSuffix));
        if (path.isEmpty())
            return false;
        if (QFileInfo(path).suffix().isEmpty())
            path += QLatin1Char('.') + kSuffix;
        rememberDirectory(QStringLiteral("sessions"), path);
    }
    return saveTo(path);
}

void SessionActions::setModified(bool modified)
{
    if (modified_ == modified)
        return;
    modified_ = modified;
    Q_EMIT modifiedChanged(modified);
}

bool SessionActions::maybeSave()
{
    if (!modified_ || !controller_->hasModel())
        return true;
    QMessageBox box(QMessageBox::Warning, tr("Unsaved Changes"),
                    file_.isEmpty() ? tr("The session has changes that are not saved.")
                                    : tr("%1 has changes that are not saved.").arg(QFileInfo(file_).fileName()),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, dialogParent_);
    box.setInformativeText(tr("Save them before closing?"));
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save:
        return saveWithDialog(false);
    case QMessageBox::Discard:
        return true;
    default:
        return false;
    }
}
