// `mimo-explorer`: the desktop application.
#include "core/model/model_catalog.h"
#include "core/runtime.h"
#include "ui/explorer_controller.h"
#include "ui/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    mimo::initialiseCompute();
    QApplication::setOrganizationName("MIMO Explorer");
    QApplication::setApplicationName("mimo-explorer");
    QApplication::setApplicationVersion(QString::fromStdString(mimo::projectVersion()));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Explore multiple-input multiple-output neural networks (MIMONets)."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshotOption(
        "screenshot", QApplication::translate("main", "Render the window to <file> (PNG) and exit."), "file");
    parser.addOption(screenshotOption);
    const QCommandLineOption modelOption("model", QApplication::translate("main", "Open the model <file> at start."), "file");
    parser.addOption(modelOption);
    const QCommandLineOption viewOption(
        "view", QApplication::translate("main", "Show the inside view <name>: activations, interference, attention or throughput."),
        "name");
    parser.addOption(viewOption);
    parser.process(app);

    // A screenshot run leaves the user's settings (last model, recent files) as they were.
    QTemporaryDir screenshotSettings;
    if (parser.isSet(screenshotOption)) {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, screenshotSettings.path());
    }
    MainWindow window;
    QStringList modelDirectories;
    for (const auto& dir : mimo::bundledModelDirectories(QCoreApplication::applicationDirPath().toStdString()))
        modelDirectories << QString::fromStdString(dir);
    window.start(modelDirectories, parser.value(modelOption));
    if (parser.isSet(viewOption) && !window.showInsideView(parser.value(viewOption))) {
        std::fprintf(stderr, "mimo-explorer: unknown view '%s' (activations, interference, attention, throughput)\n",
                     qPrintable(parser.value(viewOption)));
        return 2;
    }
    if (parser.isSet(screenshotOption)) {
        window.show();
        const QString path = parser.value(screenshotOption);
        // After the start-up model has loaded and its first run is drawn (or 15 s at most).
        auto* timeout = new QTimer(&window);
        timeout->setSingleShot(true);
        timeout->start(15000);
        auto* poll = new QTimer(&window);
        QObject::connect(poll, &QTimer::timeout, &window, [&window, path, poll, timeout]() {
            const auto* controller = window.controller();
            const bool ready = controller->resultIsCurrent() && !controller->busy() &&
                               (controller->inspection() == ExplorerController::Inspection::None ||
                                controller->inspectionIsCurrent());
            if (!ready && timeout->isActive())
                return;
            poll->stop();
            QCoreApplication::sendPostedEvents(); // queued plot redraws land before the grab
            QCoreApplication::processEvents();
            const bool saved = window.grab().save(path, "PNG");
            if (!saved)
                std::fprintf(stderr, "mimo-explorer: cannot write the screenshot to %s\n", qPrintable(path));
            QApplication::exit(saved ? 0 : 1);
        });
        poll->start(50);
        return app.exec();
    }
    window.show();
    return app.exec();
}
