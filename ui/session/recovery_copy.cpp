#include "ui/session/recovery_copy.h"

#include "core/explore/batch_evaluation.h"
#include "core/explore/session_file.h"
#include "ui/controller/explorer_controller.h"
#include "ui/session/session_actions.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTimer>

#include <csignal>
#include <cerrno>

namespace {

const QString kPrefix = QStringLiteral("recovery-");

// The explorer with this process id still runs (a reused id of another program does not count).
bool explorerRuns(qint64 pid)
{
    if (pid <= 0 || (::kill(pid_t(pid), 0) != 0 && errno != EPERM))
        return false;
    QFile comm(QStringLiteral("/proc/%1/comm").arg(pid));
    if (!comm.open(QIODevice::ReadOnly))
        return true; // no /proc to ask: assume it is ours
    return comm.readAll().trimmed().startsWith("mimo-explorer");
}

} // namespace

RecoveryCopy::RecoveryCopy(SessionActions* sessions, ExplorerController* controller, QObject* parent)
    : QObject(parent), sessions_(sessions),
      path_(folder() + QStringLiteral("/%1%2.mimo-session").arg(kPrefix).arg(QCoreApplication::applicationPid()))
{
    debounce_ = new QTimer(this);
    debounce_->setSingleShot(true);
    debounce_->setInterval(500);
    connect(debounce_, &QTimer::timeout, this, &RecoveryCopy::writeNow);
    // View settings (tabs, layers, colour maps) change without a signal of the controller.
    viewCheck_ = new QTimer(this);
    viewCheck_->setInterval(5000);
    connect(viewCheck_, &QTimer::timeout, this, &RecoveryCopy::writeNow);
    viewCheck_->start();
    for (auto signal : {&ExplorerController::modelChanged, &ExplorerController::stateChanged,
                        &ExplorerController::keySimilarityChanged})
        connect(controller, signal, this, &RecoveryCopy::schedule);
    connect(sessions, &SessionActions::sessionApplied, this, &RecoveryCopy::schedule);
}

RecoveryCopy::~RecoveryCopy()
{
    if (!written_.isEmpty())
        QFile::remove(path_);
}

QString RecoveryCopy::folder()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/mimo-explorer/recovery");
}

QStringList RecoveryCopy::orphans()
{
    static const QRegularExpression name(QStringLiteral("^recovery-(\\d+)\\.mimo-session$"));
    QStringList found;
    const QFileInfoList files = QDir(folder()).entryInfoList({kPrefix + QStringLiteral("*.mimo-session")}, QDir::Files,
                                                             QDir::Time);
    for (const QFileInfo& file : files) {
        const auto match = name.match(file.fileName());
        if (match.hasMatch() && match.captured(1).toLongLong() != QCoreApplication::applicationPid() &&
            !explorerRuns(match.captured(1).toLongLong()))
            found << file.absoluteFilePath();
    }
    return found;
}

bool RecoveryCopy::offerRestore(QWidget* dialogParent)
{
    const QStringList found = orphans();
    if (found.isEmpty())
        return false;
    for (int i = 1; i < found.size(); ++i)
        QFile::remove(found[i]);
    const QString copy = found.front();
    QString model;
    try {
        model = QFileInfo(QString::fromStdString(mimo::readSessionFile(copy.toStdString()).modelPath)).fileName();
    } catch (const std::exception&) {
        QFile::remove(copy); // damaged: there is nothing to restore
        return false;
    }
    QMessageBox box(QMessageBox::Question, tr("Restore Your Work?"),
                    tr("MIMO Explorer did not close normally on %1.")
                        .arg(QLocale().toString(QFileInfo(copy).lastModified(), QLocale::ShortFormat)),
                    QMessageBox::NoButton, dialogParent);
    box.setInformativeText(tr("Restore the work it had open: %1 with its N, keys, inputs and views?").arg(model));
    QPushButton* restore = box.addButton(tr("&Restore"), QMessageBox::AcceptRole);
    box.addButton(tr("&Discard"), QMessageBox::DestructiveRole);
    box.setDefaultButton(restore);
    box.exec();
    if (box.clickedButton() != restore || !sessions_->openRecovered(copy)) {
        QFile::remove(copy);
        return false;
    }
    // Kept until the work is back in place: a restore that fails can be tried again next time.
    auto* once = new QObject(this);
    connect(sessions_, &SessionActions::sessionApplied, once, [copy, once](const QString& path) {
        if (path == copy) {
            QFile::remove(copy);
            once->deleteLater();
        }
    });
    return true;
}

void RecoveryCopy::setEnabled(bool enabled)
{
    enabled_ = enabled;
    if (enabled)
        viewCheck_->start();
    else
        viewCheck_->stop();
}

void RecoveryCopy::schedule()
{
    if (enabled_)
        debounce_->start();
}

void RecoveryCopy::writeNow()
{
    const auto session = sessions_->snapshot();
    if (!enabled_ || !session)
        return;
    try {
        const QByteArray bytes = QByteArray::fromStdString(mimo::sessionToJson(*session, path_.toStdString()));
        if (bytes == written_)
            return;
        QDir().mkpath(folder());
        mimo::writeFileAtomically(path_.toStdString(), bytes.toStdString());
        written_ = bytes;
    } catch (const std::exception& error) {
        // A copy that cannot be written costs nothing now; say so once on stderr, not in the window.
        static bool told = false;
        if (!told)
            qWarning("mimo-explorer: cannot keep a recovery copy: %s", error.what());
        told = true;
    }
}
