// Inputs > Camera or Video, as a lecturer uses it: a video file (written here with OpenCV's
// VideoWriter) plays into one slot while the other slots stay, the predictions follow frame by
// frame through the same engine, Freeze keeps the last frame, one undo step covers the run, and
// without a camera the dialog says so. A file that is no video is refused by name. Video files
// are decoded by `mimo video frames` in a process of its own: a decoder that crashes, or sends
// records that lie, ends with a message and the window carries on.
#include "explorer_fixtures.h"

#include "ui/panels/camera_dialog.h"
#include "ui/window/main_window.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QMenuBar>
#include <QSettings>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

using namespace explorer_fixtures;

namespace {

// 12 frames, 48 x 48: a bright disc that moves from left to right.
bool writeVideo(const QString& path)
{
    cv::VideoWriter writer(path.toStdString(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 10, cv::Size(48, 48));
    if (!writer.isOpened())
        return false;
    for (int i = 0; i < 12; ++i) {
        cv::Mat frame(48, 48, CV_8UC3, cv::Scalar(10, 10, 10));
        cv::circle(frame, cv::Point(6 + 3 * i, 24), 8, cv::Scalar(240, 240, 240), cv::FILLED);
        writer.write(frame);
    }
    return true;
}

QAction* inputsMenuAction(MainWindow& window, const QString& text)
{
    for (QAction* menu : window.menuBar()->actions())
        if (menu->menu())
            for (QAction* action : menu->menu()->actions())
                if (action->text() == text)
                    return action;
    return nullptr;
}

QString slotSource(MainWindow& window, int slot)
{
    const auto inputs = window.controller()->slotInputs();
    return slot < int(inputs.size()) && inputs[size_t(slot)] ? QString::fromStdString(inputs[size_t(slot)]->prepared.name)
                                                             : QString();
}

} // namespace

class CameraSlotTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void videoPlaysIntoOneSlot();
    void noCameraAndBadFilesAreSaidPlainly();
    void aCrashingDecoderTakesNothingWithIt();

private:
    std::unique_ptr<MainWindow> filledWindow();

    QTemporaryDir dir_;
    QTemporaryDir settingsDir_;
};

void CameraSlotTest::initTestCase()
{
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
    QCoreApplication::setOrganizationName("MIMO Explorer Tests");
    QCoreApplication::setApplicationName("test_camera_slot");
    QDir(dir_.path()).mkpath("models");
    writeConvModel(dir_.filePath("models/tiny-conv.pt"), 12, 1, 8);
    QDir(dir_.path()).mkpath("folder/bright");
    for (int i = 0; i < 4; ++i)
        writeImage(dir_.filePath(QString("folder/bright/%1.png").arg(i)), i);
    QVERIFY(writeVideo(dir_.filePath("disc.avi")));
    writeBytes(dir_.filePath("not-a-video.avi"), QByteArray("RIFF\x10\x00\x00\x00" "AVI junk that is no video", 33));
}

std::unique_ptr<MainWindow> CameraSlotTest::filledWindow()
{
    QSettings().clear();
    auto window = std::make_unique<MainWindow>();
    window->resize(1100, 760);
    window->show();
    window->start({dir_.filePath("models")});
    if (!QTest::qWaitFor([&] { return window->controller()->hasModel(); }, 30000))
        qWarning("the model did not load");
    waitUntilIdle(*window);
    drop(window.get(), {dir_.filePath("folder")});
    if (!QTest::qWaitFor([&] { return window->controller()->resultIsCurrent() && window->controller()->emptySlots() == 0; }, 30000))
        qWarning("the slots did not fill");
    return window;
}

void CameraSlotTest::videoPlaysIntoOneSlot()
{
    auto window = filledWindow();
    auto* controller = window->controller();
    const QString slot1 = slotSource(*window, 0), slot3 = slotSource(*window, 2);
    const int undoBefore = window->findChild<QUndoStack*>()->count();
    QAction* camera = inputsMenuAction(*window, "&Camera or Video…");
    QVERIFY(camera && camera->isEnabled());
    camera->trigger();
    auto* dialog = window->findChild<CameraDialog*>();
    QVERIFY(dialog && dialog->isVisible());
    dialog->setVideoFile(dir_.filePath("disc.avi"));
    dialog->setSlot(1);
    dialog->start();
    QVERIFY(dialog->live());
    // Frame after frame reaches slot 2, each run through the engine as any input.
    QVERIFY(QTest::qWaitFor([&] { return slotSource(*window, 1).startsWith("disc.avi, frame"); }, 20000));
    const QString first = slotSource(*window, 1);
    QVERIFY2(QTest::qWaitFor([&] { return slotSource(*window, 1) != first && controller->resultIsCurrent(); }, 20000),
             qPrintable(first));
    QVERIFY(controller->result()->predictions.size() == 4);
    QVERIFY(dialog->framesShown() >= 2);
    const QDir here(QCoreApplication::applicationDirPath());
    QVERIFY(window->grab().save(here.filePath("camera-slot.png")));
    QVERIFY(dialog->grab().save(here.filePath("camera-dialog.png")));
    // The other slots stay as they were.
    QCOMPARE(slotSource(*window, 0), slot1);
    QCOMPARE(slotSource(*window, 2), slot3);
    // Freeze: the last frame stays, no more arrive.
    dialog->freeze();
    QVERIFY(!dialog->live());
    QVERIFY(QTest::qWaitFor([&] { return !controller->busy() && controller->resultIsCurrent(); }, 20000));
    const QString frozen = slotSource(*window, 1);
    QTest::qWait(400);
    QCOMPARE(slotSource(*window, 1), frozen);
    QVERIFY(dialog->status().contains("Frozen"));
    // The whole run is one undo step, and undoing it gives the slot back its image.
    QCOMPARE(window->findChild<QUndoStack*>()->count(), undoBefore + 1);
    window->findChild<QUndoStack*>()->undo();
    QVERIFY(QTest::qWaitFor([&] { return !slotSource(*window, 1).startsWith("disc.avi"); }, 20000));
    dialog->close();
}

void CameraSlotTest::noCameraAndBadFilesAreSaidPlainly()
{
    auto window = filledWindow();
    inputsMenuAction(*window, "&Camera or Video…")->trigger();
    auto* dialog = window->findChild<CameraDialog*>();
    QVERIFY(dialog);
    // This machine has no camera (a test machine): the dialog says so and offers the file.
    QVERIFY(QTest::qWaitFor([&] { return !dialog->status().contains("Looking for cameras"); }, 10000));
    if (dialog->findChild<QComboBox*>("source")->count() == 0)
        QVERIFY2(dialog->status().contains("No camera"), qPrintable(dialog->status()));
    // Something that is not a video: refused by name, nothing in the slot changes.
    const QString before = slotSource(*window, 0);
    dialog->setVideoFile(dir_.filePath("not-a-video.avi"));
    dialog->setSlot(0);
    dialog->start();
    QVERIFY(QTest::qWaitFor([&] { return dialog->status().contains("not-a-video.avi"); }, 10000));
    QVERIFY(!dialog->live() || dialog->framesShown() == 0);
    QCOMPARE(slotSource(*window, 0), before);
    // A folder given as the video: named, and no hang.
    dialog->setVideoFile(dir_.filePath("folder"));
    dialog->start();
    QVERIFY(QTest::qWaitFor([&] { return dialog->status().contains("folder"); }, 10000));
    dialog->close();
}

// A decoder standing in for `mimo video frames` (MIMO_VIDEO_DECODER): a shell script.
QString writeDecoder(const QString& path, const QByteArray& script)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write("#!/bin/sh\n" + script);
    file.close();
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return path;
}

void CameraSlotTest::aCrashingDecoderTakesNothingWithIt()
{
    auto window = filledWindow();
    const QString before = slotSource(*window, 0);
    inputsMenuAction(*window, "&Camera or Video…")->trigger();
    auto* dialog = window->findChild<CameraDialog*>();
    QVERIFY(dialog);
    const auto play = [&](const QString& file, const QString& expected) {
        dialog->setVideoFile(file);
        dialog->setSlot(0);
        dialog->start();
        QVERIFY2(QTest::qWaitFor([&] { return dialog->status().contains(expected); }, 20000), qPrintable(dialog->status()));
        QVERIFY(!dialog->live() || dialog->status().contains(expected));
    };
    // Half a record, then a segmentation fault.
    qputenv("MIMO_VIDEO_DECODER", writeDecoder(dir_.filePath("crashing-decoder"), "printf 'MVF1'\nkill -SEGV $$\n").toUtf8());
    play(dir_.filePath("disc.avi"), "crashed");
    QVERIFY(dialog->status().contains("disc.avi"));
    // A record that claims a frame of 100000 x 2 pixels.
    qputenv("MIMO_VIDEO_DECODER",
            writeDecoder(dir_.filePath("lying-decoder"), "printf 'MVF1\\240\\206\\001\\000\\002\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000'\nsleep 5\n").toUtf8());
    play(dir_.filePath("disc.avi"), "100000 x 2 pixels");
    qunsetenv("MIMO_VIDEO_DECODER");
    // The window is as it was, and still computes.
    QCOMPARE(slotSource(*window, 0), before);
    QVERIFY(window->controller()->resultIsCurrent());
    // The real decoder on the file fuzzing found to make OpenCV's FFmpeg reader read past its
    // buffer: whatever the child does, the window carries on and the slot keeps an image.
    dialog->setVideoFile(qEnvironmentVariable("MIMO_SOURCE_DIR") + "/tests/fixtures/video/ffmpeg-overread.avi");
    dialog->setSlot(0);
    dialog->start();
    QTest::qWait(1500);
    dialog->freeze();
    QVERIFY(QTest::qWaitFor([&] { return !window->controller()->busy(); }, 20000));
    QVERIFY(window->controller()->slotInputs()[0].has_value());
    dialog->close();
}

QTEST_MAIN(CameraSlotTest)
#include "test_camera_slot.moc"
