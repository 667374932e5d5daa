#pragma once
// Reads a camera or a video file on its own thread at up to a given rate and hands each frame
// over as plain bytes (VideoFrames blocks, so it never runs on the GUI thread). Start, stop
// and the rate are called from the GUI thread; frames and failures arrive there queued.
#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QThread>

class VideoGrabber : public QObject {
    Q_OBJECT
public:
    explicit VideoGrabber(QObject* parent = nullptr);
    ~VideoGrabber() override; // stops the thread and waits for it

    // camera >= 0: that camera; else the video file at `path`.
    void start(int camera, const QString& path, int framesPerSecond);
    void stop();
    bool running() const { return running_; }
    // Looks for cameras on the grabber's thread (opening a device can take a while);
    // camerasFound() brings the answer.
    void findCameras();

Q_SIGNALS:
    void frameGrabbed(const QByteArray& rgb, int width, int height, qint64 index, const QString& source);
    void failed(const QString& message);
    void camerasFound(const QList<int>& cameras);

private:
    QThread thread_;
    QObject* worker_ = nullptr; // lives on thread_
    bool running_ = false;
};
