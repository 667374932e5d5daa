#pragma once
// Models, files and events the explorer's window tests share: tiny model files written with
// core, images, real drag-and-drop, waiting for the compute thread to go quiet.
#include "core/model/model_file.h"

#include "ui/controller/explorer_controller.h"
#include "ui/controller/input_requests.h"
#include "ui/controller/inspection_requests.h"
#include "ui/window/main_window.h"
#include "ui/window/tour_window.h"

#include <QCryptographicHash>
#include <QDragEnterEvent>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QSettings>
#include <QtTest>

namespace explorer_fixtures {

// A picture is "not blank" when it holds clearly different colours (text on a background).
inline bool hasVisibleContent(const QImage& image)
{
    if (image.isNull())
        return false;
    const QRgb first = image.pixel(0, 0);
    int differing = 0;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            if (qAbs(qGray(image.pixel(x, y)) - qGray(first)) > 40)
                ++differing;
    return differing > 50;
}

inline void writeConvModel(const QString& path, int side, int width, int stem)
{
    mimo::MimoConvConfig config;
    config.depth = 10;
    config.widthFactor = width;
    config.stemWidth = stem;
    config.numClasses = 3;
    config.capacity = 4;
    config.input.channels = 1;
    config.input.height = config.input.width = side;
    config.input.mean = {0.5f};
    config.input.stddev = {0.25f};
    torch::manual_seed(3);
    mimo::MimoConv model(config);
    model->eval();
    mimo::ModelCard card;
    card.name = "tiny MIMOConv";
    card.classNames = {"dark", "bright", "striped"};
    mimo::saveConvModel(path.toStdString(), model, card);
}

inline void writeFormerModel(const QString& path, mimo::FormerAttention attention = mimo::FormerAttention::Mimo)
{
    mimo::MimoFormerConfig config;
    config.attention = attention;
    config.vocabularySize = 16;
    config.maxLength = 32;
    config.dim = 16;
    config.ffDim = 24;
    config.heads = 2;
    config.headDim = 8;
    config.layers = 1;
    config.numClasses = 10;
    config.features = 16;
    config.inputKind = "listops";
    torch::manual_seed(4);
    mimo::MimoFormer model(config);
    model->eval();
    mimo::ModelCard card;
    card.name = "tiny MIMOFormer";
    for (int i = 0; i < 10; ++i)
        card.classNames.push_back(std::to_string(i));
    mimo::saveFormerModel(path.toStdString(), model, card);
}

inline void writeImage(const QString& path, int seed)
{
    QImage image(20, 16, QImage::Format_Grayscale8);
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            image.scanLine(y)[x] = uchar((x * 13 + y * 7 + seed * 41) % 256);
    QVERIFY(image.save(path));
}

inline void writeBytes(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

// A real drag-enter then drop, as the window system delivers them; false if the target refused.
inline bool drop(QWidget* target, const QStringList& paths)
{
    QMimeData data;
    QList<QUrl> urls;
    for (const auto& path : paths)
        urls << QUrl::fromLocalFile(path);
    data.setUrls(urls);
    const QPoint centre = target->rect().center();
    QDragEnterEvent enter(centre, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &enter);
    if (!enter.isAccepted())
        return false;
    QDropEvent dropEvent(QPointF(centre), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &dropEvent);
    return dropEvent.isAccepted();
}

inline QByteArray fileHash(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

// The menu action with this shortcut, as a user reaches it; nullptr when there is none.
inline QAction* menuAction(MainWindow& window, const QKeySequence& shortcut)
{
    for (QAction* menu : window.menuBar()->actions())
        for (QAction* action : menu->menu()->actions())
            if (action->shortcut() == shortcut)
                return action;
    return nullptr;
}

// Typed sequences, as the Type a Sequence dialog gives them.
inline std::vector<mimo::InputSource> typedSequences(std::initializer_list<const char*> expressions)
{
    std::vector<mimo::InputSource> sources;
    for (const char* expression : expressions) {
        mimo::InputSource source;
        source.origin = mimo::InputSource::Origin::Text;
        source.text = expression;
        sources.push_back(source);
    }
    return sources;
}

// Idle three polls in a row: a reply can queue the next request.
inline bool waitUntilIdle(MainWindow& window, int milliseconds = 30000)
{
    QElapsedTimer clock;
    clock.start();
    int quiet = 0;
    while (clock.elapsed() < milliseconds) {
        QTest::qWait(20);
        quiet = window.controller()->busy() ? 0 : quiet + 1;
        if (quiet >= 3)
            return true;
    }
    return false;
}

inline QString bundledModels() { return qEnvironmentVariable("MIMO_SOURCE_DIR") + "/models"; }

// A main window of `size` showing the bundled `model` after its first run (the settings of the
// test's own scope cleared first, so the window opens as a new user's does).
inline std::unique_ptr<MainWindow> openBundledWindow(const QString& model, QSize size = QSize(1280, 800))
{
    QSettings().clear();
    auto window = std::make_unique<MainWindow>();
    window->resize(size);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get()))
        qWarning("the window was not exposed");
    window->start({bundledModels()}, bundledModels() + "/" + model);
    if (!QTest::qWaitFor([&] { return window->controller()->hasModel(); }, 60000))
        qWarning("the model did not load");
    waitUntilIdle(*window, 60000);
    return window;
}

// View > Guided Tour (Ctrl+T) as a user opens it: the tour window once shown with its steps,
// or null when the menu has no such action or the steps never came.
inline TourWindow* openTour(MainWindow& window)
{
    QAction* action = menuAction(window, QKeySequence(Qt::CTRL | Qt::Key_T));
    if (!action)
        return nullptr;
    action->trigger();
    TourWindow* tour = window.tourWindow();
    if (!QTest::qWaitForWindowExposed(tour) || !QTest::qWaitFor([&] { return !tour->steps().empty(); }, 60000))
        return nullptr;
    return tour;
}

// A picture of `widget` next to the test binary, for the docs and for looking at a failure.
inline bool saveShot(QWidget& widget, const QString& name)
{
    QTest::qWait(100);
    QCoreApplication::sendPostedEvents();
    const QImage shot = widget.grab().toImage();
    return hasVisibleContent(shot) && shot.save(QDir(QCoreApplication::applicationDirPath()).filePath(name));
}

} // namespace explorer_fixtures
