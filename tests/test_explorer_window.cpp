// The main window on the offscreen platform: it opens, has its menus, and draws something.
#include "ui/main_window.h"

#include <QAction>
#include <QMenuBar>
#include <QProcess>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

namespace {

// A picture is "not blank" when it holds clearly different colours (text on a background).
bool hasVisibleContent(const QImage& image)
{
    if (image.isNull())
        return false;
    QRgb first = image.pixel(0, 0);
    int differing = 0;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            if (qAbs(qGray(image.pixel(x, y)) - qGray(first)) > 40)
                ++differing;
    return differing > 50;
}

} // namespace

class ExplorerWindowTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void windowOpensWithMenusAndStatus();
    void screenshotIsNotBlank();
    void geometryIsRemembered();
    void commandLineScreenshot();

private:
    QTemporaryDir settingsDir_;
};

void ExplorerWindowTest::initTestCase()
{
    // Tests never touch the user's real settings.
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
    QCoreApplication::setOrganizationName("MIMO Explorer Tests");
    QCoreApplication::setApplicationName("test_explorer_window");
}

void ExplorerWindowTest::windowOpensWithMenusAndStatus()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.windowTitle(), QString("MIMO Explorer"));
    QStringList menus;
    for (QAction* action : window.menuBar()->actions())
        menus << action->text().remove('&');
    QCOMPARE(menus, (QStringList{"File", "View", "Help"}));
    bool hasQuit = false;
    for (QAction* action : window.menuBar()->actions().first()->menu()->actions())
        hasQuit |= action->shortcut() == QKeySequence(QKeySequence::Quit);
    QVERIFY(hasQuit);
    QVERIFY(window.statusBar()->isVisible());
}

void ExplorerWindowTest::screenshotIsNotBlank()
{
    MainWindow window;
    window.resize(900, 600);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QImage shot = window.grab().toImage();
    QCOMPARE(shot.size(), QSize(900, 600));
    QVERIFY(hasVisibleContent(shot));
    const QString path = QDir(QCoreApplication::applicationDirPath()).filePath("explorer-window.png");
    QVERIFY(shot.save(path));
    QVERIFY(QFileInfo(path).size() > 1000);
}

void ExplorerWindowTest::geometryIsRemembered()
{
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.resize(777, 555);
        window.close();
    }
    MainWindow reopened;
    QCOMPARE(reopened.size(), QSize(777, 555));
}

void ExplorerWindowTest::commandLineScreenshot()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("window.png");
    QProcess process;
    process.start(qEnvironmentVariable("MIMO_BIN_DIR") + "/mimo-explorer", {"--screenshot", path});
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitCode(), 0);
    QImage image(path);
    QVERIFY(!image.isNull());
    QVERIFY(hasVisibleContent(image));
}

QTEST_MAIN(ExplorerWindowTest)
#include "test_explorer_window.moc"
