// Nothing lost on a crash: a running explorer keeps a recovery copy of its work, a killed one
// leaves it behind, and the next start offers it (Restore brings back the model, N and inputs,
// untitled and unsaved; Discard removes it); a normal exit removes the copy.
#include "explorer_fixtures.h"

#include "core/explore/session_file.h"
#include "ui/session/recovery_copy.h"
#include "ui/session/session_actions.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDir>
#include <QMessageBox>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

using namespace explorer_fixtures;

class RecoveryTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void killedExplorerIsRestoredAtTheNextStart();
    void discardRemovesTheCopy();
    void normalExitRemovesTheCopy();

private:
    // Clicks the button of the recovery question named `button` once it appears; false if it never did.
    void answerRecoveryWith(const QString& button);
    QString startedRecoveryCopyOfAKilledExplorer();

    QTemporaryDir dir_;
    QTemporaryDir data_; // XDG_DATA_HOME: where recovery copies go, for this process and its children
    QTemporaryDir settingsDir_;
    QString conv_;
    bool asked_ = false;
};

void RecoveryTest::initTestCase()
{
    qputenv("XDG_DATA_HOME", data_.path().toUtf8());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
    QCoreApplication::setOrganizationName("MIMO Explorer Tests");
    QCoreApplication::setApplicationName("test_recovery");
    QDir(dir_.path()).mkpath("models");
    conv_ = dir_.filePath("models/tiny-conv.pt");
    writeConvModel(conv_, 12, 1, 8);
    QDir(dir_.path()).mkpath("images");
    for (int i = 0; i < 2; ++i)
        writeImage(dir_.filePath(QString("images/%1.png").arg(i)), i);
}

void RecoveryTest::answerRecoveryWith(const QString& button)
{
    asked_ = false;
    auto* poll = new QTimer(this);
    connect(poll, &QTimer::timeout, this, [this, poll, button] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box)
            return;
        for (QAbstractButton* candidate : box->buttons())
            if (candidate->text().remove('&') == button) {
                asked_ = box->text().contains("did not close normally") && box->informativeText().contains("tiny-conv.pt");
                poll->deleteLater();
                candidate->click();
                return;
            }
    });
    poll->start(20);
}

// Runs the explorer on a session (N = 2, two images), waits for its recovery copy to hold that
// work, then kills it as a crash would.
QString RecoveryTest::startedRecoveryCopyOfAKilledExplorer()
{
    mimo::SessionData session;
    session.modelPath = conv_.toStdString();
    session.n = 2;
    session.device = "cpu";
    for (int i = 0; i < 2; ++i) {
        mimo::InputSource input;
        input.path = dir_.filePath(QString("images/%1.png").arg(i)).toStdString();
        session.inputs.push_back(input);
    }
    const QString path = dir_.filePath("work.mimo-session");
    mimo::writeSessionFile(path.toStdString(), session);
    QProcess explorer;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("XDG_CONFIG_HOME", dir_.filePath("config"));
    explorer.setProcessEnvironment(environment);
    explorer.start(qEnvironmentVariable("MIMO_BIN_DIR") + "/mimo-explorer", {"--session", path});
    if (!explorer.waitForStarted(10000))
        return {};
    const QString copy = RecoveryCopy::folder() + QString("/recovery-%1.mimo-session").arg(explorer.processId());
    const bool kept = QTest::qWaitFor(
        [&] {
            try {
                const auto saved = mimo::readSessionFile(copy.toStdString());
                return saved.n == 2 && saved.inputs.size() == 2;
            } catch (const std::exception&) {
                return false;
            }
        },
        30000);
    explorer.kill(); // SIGKILL: no destructor runs, as in a crash
    explorer.waitForFinished(10000);
    return kept ? copy : QString();
}

void RecoveryTest::killedExplorerIsRestoredAtTheNextStart()
{
    const QString copy = startedRecoveryCopyOfAKilledExplorer();
    QVERIFY2(!copy.isEmpty(), "the running explorer kept no recovery copy of its session");
    QCOMPARE(RecoveryCopy::orphans(), QStringList{copy});

    MainWindow window;
    window.keepRecoveryCopy();
    window.show();
    answerRecoveryWith("Restore");
    window.start({dir_.filePath("models")});
    QVERIFY(QTest::qWaitFor([&] { return asked_; }, 30000));
    QVERIFY(QTest::qWaitFor([&] { return window.controller()->hasModel() && window.controller()->n() == 2; }, 30000));
    QVERIFY(waitUntilIdle(window));
    QCOMPARE(window.controller()->emptySlots(), 0);
    QCOMPARE(window.controller()->sessionData().inputs.size(), std::size_t(2));
    // Restored work is untitled and unsaved: Save asks for a name, Quit asks first.
    QVERIFY(window.sessions()->currentFile().isEmpty());
    QVERIFY(window.sessions()->isModified());
    QVERIFY(!QFile::exists(copy));
    QVERIFY(RecoveryCopy::orphans().isEmpty());
    window.recovery()->writeNow();
    QVERIFY(QFile::exists(window.recovery()->path())); // this explorer keeps its own copy now
}

void RecoveryTest::discardRemovesTheCopy()
{
    const QString copy = startedRecoveryCopyOfAKilledExplorer();
    QVERIFY(!copy.isEmpty());
    MainWindow window;
    window.keepRecoveryCopy();
    window.show();
    answerRecoveryWith("Discard");
    window.start({dir_.filePath("models")});
    QVERIFY(QTest::qWaitFor([&] { return asked_; }, 30000));
    QVERIFY(QTest::qWaitFor([&] { return window.controller()->hasModel(); }, 30000));
    QVERIFY(!QFile::exists(copy));
    QVERIFY(window.sessions()->currentFile().isEmpty());
    QVERIFY(!window.sessions()->isModified()); // the default start, nothing restored
}

void RecoveryTest::normalExitRemovesTheCopy()
{
    QString copy;
    {
        MainWindow window;
        window.keepRecoveryCopy();
        window.show();
        window.start({dir_.filePath("models")}, conv_);
        QVERIFY(QTest::qWaitFor([&] { return window.controller()->hasModel(); }, 30000));
        QVERIFY(waitUntilIdle(window));
        copy = window.recovery()->path();
        QVERIFY(QTest::qWaitFor([&] { return QFile::exists(copy); }, 10000)); // written shortly after a change
        QVERIFY(RecoveryCopy::orphans().isEmpty()); // a running explorer's copy is not offered
    }
    QVERIFY(!QFile::exists(copy));
}

QTEST_MAIN(RecoveryTest)
#include "test_recovery.moc"
