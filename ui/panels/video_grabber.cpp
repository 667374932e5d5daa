#include "ui/panels/video_grabber.h"

#include "core/data/video_frames.h"
#include "core/errors.h"

#include <QMetaObject>
#include <QPointer>
#include <QTimer>

#include <algorithm>
#include <memory>
#include <optional>

namespace {

// On the grabber's thread: opens the source there (a camera belongs to the thread that opened
// it) and reads one frame per tick.
class GrabWorker : public QObject {
public:
    explicit GrabWorker(VideoGrabber* owner) : owner_(owner) {}

    void begin(int camera, const QString& path, int framesPerSecond)
    {
        end();
        try {
            frames_ = camera >= 0 ? mimo::VideoFrames::openCamera(camera)
                                  : mimo::VideoFrames::openFile(path.toStdString());
        } catch (const std::exception& error) {
            report(QString::fromStdString(mimo::userErrorText(error)));
            return;
        }
        timer_ = std::make_unique<QTimer>();
        QObject::connect(timer_.get(), &QTimer::timeout, this, [this] { grab(); });
        timer_->start(1000 / std::clamp(framesPerSecond, 1, 10));
        grab();
    }

    void end()
    {
        timer_.reset();
        frames_.reset();
    }

private:
    void grab()
    {
        if (!frames_)
            return;
        try {
            const mimo::VideoFrame frame = frames_->next();
            const QByteArray bytes(reinterpret_cast<const char*>(frame.rgb.data()), qsizetype(frame.rgb.size()));
            Q_EMIT owner_->frameGrabbed(bytes, frame.width, frame.height, frame.index,
                                        QString::fromStdString(frames_->name()));
        } catch (const std::exception& error) {
            end();
            report(QString::fromStdString(mimo::userErrorText(error)));
        }
    }

    void report(const QString& message) { Q_EMIT owner_->failed(message); }

    VideoGrabber* owner_;
    std::optional<mimo::VideoFrames> frames_;
    std::unique_ptr<QTimer> timer_;
};

} // namespace

VideoGrabber::VideoGrabber(QObject* parent) : QObject(parent)
{
    thread_.setObjectName(QStringLiteral("video grabber"));
    auto* worker = new GrabWorker(this);
    worker->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker, &QObject::deleteLater);
    worker_ = worker;
    thread_.start();
}

VideoGrabber::~VideoGrabber()
{
    stop();
    thread_.quit();
    thread_.wait();
}

void VideoGrabber::start(int camera, const QString& path, int framesPerSecond)
{
    running_ = true;
    auto* worker = static_cast<GrabWorker*>(worker_);
    QMetaObject::invokeMethod(worker, [worker, camera, path, framesPerSecond] { worker->begin(camera, path, framesPerSecond); });
}

void VideoGrabber::stop()
{
    running_ = false;
    auto* worker = static_cast<GrabWorker*>(worker_);
    // Waits until the worker has let go of the source: a camera is free again when this returns.
    QMetaObject::invokeMethod(worker, [worker] { worker->end(); }, Qt::BlockingQueuedConnection);
}
