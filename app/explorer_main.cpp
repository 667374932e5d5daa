// `mimo-explorer`: the desktop application.
#include "core/runtime.h"
#include "ui/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
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
    parser.process(app);

    MainWindow window;
    if (parser.isSet(screenshotOption)) {
        window.show();
        const QString path = parser.value(screenshotOption);
        QTimer::singleShot(0, &window, [&window, path]() {
            const bool saved = window.grab().save(path, "PNG");
            if (!saved)
                std::fprintf(stderr, "mimo-explorer: cannot write the screenshot to %s\n", qPrintable(path));
            QApplication::exit(saved ? 0 : 1);
        });
        return app.exec();
    }
    window.show();
    return app.exec();
}
