// `mimo-explorer`: the desktop application.
#include "core/errors.h"
#include "core/explore/session_file.h"
#include "core/model/model_catalog.h"
#include "core/runtime.h"
#include "core/startup_trace.h"
#include "ui/batch/headless_batch.h"
#include "ui/controller/explorer_controller.h"
#include "ui/controller/input_requests.h"
#include "ui/controller/inspection_requests.h"
#include "ui/session/session_actions.h"
#include "ui/window/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSaveFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>

namespace {

std::atomic<bool> interrupted{false};

// --batch needs no display: choose the offscreen platform before Qt looks for one.
bool asksForBatch(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i)
        for (const char* option : {"--batch", "--plot"})
            if (std::strcmp(argv[i], option) == 0 ||
                (std::strncmp(argv[i], option, std::strlen(option)) == 0 && argv[i][std::strlen(option)] == '='))
                return true;
    return false;
}

// The application's name and version, with a display or without.
void setIdentity()
{
    QCoreApplication::setOrganizationName("MIMO Explorer");
    QCoreApplication::setApplicationName("mimo-explorer");
    QCoreApplication::setApplicationVersion(QString::fromStdString(mimo::projectVersion()));
}

// --help and --version print and exit: they need no display, so they are answered before a
// QApplication (which aborts without one) exists.
bool asksForHelpOrVersion(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i)
        for (const char* option : {"--help", "-h", "-?", "--help-all", "--version", "-v"})
            if (std::strcmp(argv[i], option) == 0)
                return true;
    return false;
}

// QGuiApplication takes "-session ID" and "--session ID" for X11 session management and removes
// them from argv, so our --session never reached the parser: a screenshot run showed the default
// model and exited 0. The value is taken out before the QApplication exists; the option is
// still declared, for --help.
QString takeSessionArgument(int& argc, char** argv)
{
    QString value;
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        const char* arg = argv[i];
        if ((std::strcmp(arg, "--session") == 0 || std::strcmp(arg, "-session") == 0) && i + 1 < argc) {
            value = QString::fromLocal8Bit(argv[++i]);
            continue;
        }
        if (std::strncmp(arg, "--session=", 10) == 0) {
            value = QString::fromLocal8Bit(arg + 10);
            continue;
        }
        argv[kept++] = argv[i];
    }
    argc = kept;
    argv[argc] = nullptr;
    return value;
}

struct ExplorerOptions {
    const QCommandLineOption screenshot{
        "screenshot", QCoreApplication::translate("main", "Render the window to <file> (PNG) and exit."), "file"};
    const QCommandLineOption model{"model", QCoreApplication::translate("main", "Open the model <file> at start."),
                                   "file"};
    const QCommandLineOption view{
        "view",
        QCoreApplication::translate("main",
                                    "Show the inside view <name>: pipeline, activations, interference, attention or "
                                    "throughput."),
        "name"};
    const QCommandLineOption session{
        "session",
        QCoreApplication::translate("main", "Open the session <file> at start (model, N, keys, inputs, views)."),
        "file"};
    const QCommandLineOption batch{
        "batch",
        QCoreApplication::translate("main",
                                    "Run the batch evaluation <config> (JSON) without a window and exit; needs --out."),
        "config"};
    const QCommandLineOption plot{
        "plot",
        QCoreApplication::translate("main", "Draw the curves of measured <results> (results.json of a batch or of "
                                            "`mimo eval --out`) as PNG, PDF and SVG without a window; needs --out."),
        "results"};
    const QCommandLineOption out{
        "out",
        QCoreApplication::translate("main",
                                    "Folder for --batch: results.csv/json, config.json and the curves as PNG, PDF and SVG."),
        "folder"};

    void describe(QCommandLineParser& parser) const
    {
        parser.setApplicationDescription(
            QCoreApplication::translate("main", "Explore multiple-input multiple-output neural networks (MIMONets)."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOptions({screenshot, model, view, session, batch, plot, out});
        parser.addPositionalArgument(
            "files", QCoreApplication::translate("main", "A session, a model, or inputs (images, folders, sequences) to open."),
            "[files...]");
    }
};

} // namespace

int main(int argc, char** argv)
{
    mimo::traceStartup("main");
    if (asksForBatch(argc, argv) && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (asksForHelpOrVersion(argc, argv)) {
        QCoreApplication app(argc, argv);
        setIdentity();
        QCommandLineParser parser;
        const ExplorerOptions options;
        options.describe(parser);
        parser.process(app); // prints the help or the version and exits
        return 0;
    }
    const QString sessionArgument = takeSessionArgument(argc, argv);
    QApplication app(argc, argv);
    mimo::traceStartup("QApplication");
    mimo::initialiseCompute();
    mimo::traceStartup("compute initialised");
    setIdentity();
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.mimoexplorer.MimoExplorer")); // the icon on Wayland

    QCommandLineParser parser;
    const ExplorerOptions options;
    options.describe(parser);
    parser.process(app);

    if (parser.isSet(options.batch) || parser.isSet(options.plot)) {
        if (!parser.isSet(options.out)) {
            std::fprintf(stderr, "mimo-explorer: --batch and --plot need --out FOLDER\n");
            return 2;
        }
        if (parser.isSet(options.plot))
            return runHeadlessPlot(parser.value(options.plot), parser.value(options.out));
        std::signal(SIGINT, [](int) { interrupted = true; });
        return runHeadlessBatch(parser.value(options.batch), parser.value(options.out), &interrupted);
    }
    // Files from the command line or a file manager: a session or a model opens like --session /
    // --model; inputs fill the slots once the start-up model is there.
    QString session = sessionArgument, model = parser.value(options.model);
    QStringList inputs;
    for (const QString& file : parser.positionalArguments()) {
        if (SessionActions::isSessionFile(file) && session.isEmpty())
            session = file;
        else if ((file.endsWith(".pt", Qt::CaseInsensitive) || file.endsWith(".pth", Qt::CaseInsensitive)) && model.isEmpty())
            model = file;
        else
            inputs << file;
    }
    if (!session.isEmpty() && !model.isEmpty()) {
        std::fprintf(stderr, "mimo-explorer: --session and --model exclude each other (the session names its model)\n");
        return 2;
    }

    // A picture of a session that cannot be read would show something else: refuse it by name.
    if (parser.isSet(options.screenshot) && !session.isEmpty()) {
        try {
            mimo::readSessionFile(session.toStdString());
        } catch (const std::exception& error) {
            std::fprintf(stderr, "mimo-explorer: %s\n", mimo::userErrorText(error).c_str());
            return 2;
        }
    }

    // A screenshot run leaves the user's settings (last model, recent files) as they were.
    QTemporaryDir screenshotSettings;
    if (parser.isSet(options.screenshot)) {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, screenshotSettings.path());
    }
    MainWindow window;
    if (!parser.isSet(options.screenshot)) { // a screenshot run opens nothing of the user's and shows no welcome
        window.keepRecoveryCopy();
        window.offerWelcome();
    }
    mimo::traceStartup("window built");
    QObject::connect(window.controller(), &ExplorerController::catalogChanged, &window,
                     [] { mimo::traceStartup("model catalog scanned"); });
    QObject::connect(window.controller(), &ExplorerController::modelChanged, &window,
                     [] { mimo::traceStartup("model loaded"); });
    QObject::connect(window.controller(), &ExplorerController::resultChanged, &window,
                     [] { mimo::traceStartup("predictions"); });
    QStringList modelDirectories;
    for (const auto& dir : mimo::bundledModelDirectories(QCoreApplication::applicationDirPath().toStdString()))
        modelDirectories << QString::fromStdString(dir);
    if (!inputs.isEmpty()) {
        auto* once = new QObject(&window);
        QObject::connect(window.controller(), &ExplorerController::modelChanged, once, [&window, inputs, once] {
            window.controller()->inputs().openPaths(inputs, 0);
            once->deleteLater();
        });
    }
    if (!session.isEmpty())
        window.startWithSession(modelDirectories, session);
    else
        window.start(modelDirectories, model);
    if (parser.isSet(options.view) && !window.showInsideView(parser.value(options.view))) {
        std::fprintf(stderr, "mimo-explorer: unknown view '%s' (pipeline, activations, interference, attention, throughput)\n",
                     qPrintable(parser.value(options.view)));
        return 2;
    }
    if (parser.isSet(options.screenshot)) {
        // Without a window to read them in, the problems go to stderr (a session's model that
        // does not load, with the file and the reason).
        QObject::connect(window.controller(), &ExplorerController::problem, &window,
                         [](const QString& title, const QString& message) {
                             std::fprintf(stderr, "mimo-explorer: %s: %s\n", qPrintable(title), qPrintable(message));
                         });
        window.show();
        const QString path = parser.value(options.screenshot);
        // After the start-up model has loaded and its first run is drawn (or 15 s at most).
        auto* timeout = new QTimer(&window);
        timeout->setSingleShot(true);
        timeout->start(15000);
        auto* poll = new QTimer(&window);
        // A session's view settings (the tab shown, its layer) arrive with it: until then the
        // window shows the start-up state, which is not the picture asked for.
        auto sessionInPlace = std::make_shared<bool>(session.isEmpty());
        QObject::connect(window.sessions(), &SessionActions::sessionApplied, &window,
                         [sessionInPlace] { *sessionInPlace = true; });
        QObject::connect(poll, &QTimer::timeout, &window, [&window, path, poll, timeout, sessionInPlace]() {
            const auto* controller = window.controller();
            // Drawn: the model's run is current, or its slots wait for inputs (nothing to run).
            const bool drawn = controller->hasModel() && !controller->busy() && *sessionInPlace &&
                               (controller->resultIsCurrent() || controller->emptySlots() > 0) &&
                               (controller->inspections().wanted() == InspectionRequests::Kind::None ||
                                controller->inspections().isCurrent() || controller->emptySlots() > 0);
            // Nothing loading and no model: the start-up failed (the window says why).
            const bool failed = !controller->hasModel() && !controller->busy();
            if (!drawn && !failed && timeout->isActive())
                return;
            poll->stop();
            mimo::traceStartup("drawn");
            // The slots refit to their answers over a few queued layout passes (and plots redraw
            // queued): a grab at once caught one of them, squeezed, about one run in ten.
            // Then until the split between the slots and the views is where their needs put it.
            QElapsedTimer settle;
            settle.start();
            while (settle.elapsed() < 150 || (!window.layoutSettled() && settle.elapsed() < 3000)) {
                QCoreApplication::sendPostedEvents();
                QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
            }
            if (!window.layoutSettled())
                std::fprintf(stderr, "mimo-explorer: the layout had not settled after 3 s; the picture shows it in between\n");
            QSaveFile file(path);
            const bool saved = file.open(QIODevice::WriteOnly) && window.grab().save(&file, "PNG") && file.commit();
            if (!saved)
                std::fprintf(stderr, "mimo-explorer: cannot write the screenshot to %s (%s)\n", qPrintable(path),
                             qPrintable(file.errorString()));
            if (!controller->hasModel())
                std::fprintf(stderr, "mimo-explorer: no model could be loaded; the screenshot shows why\n");
            else if (!drawn)
                std::fprintf(stderr, "mimo-explorer: the predictions were not drawn within 15 s\n");
            QApplication::exit(saved && drawn ? 0 : 1);
        });
        poll->start(50);
        return app.exec();
    }
    window.show();
    mimo::traceStartup("window shown");
    return app.exec();
}
