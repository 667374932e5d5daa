#include "ui/panels/video_grabber.h"

#include "core/data/video_frames.h"
#include "core/data/video_stream.h"
#include "core/errors.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QMetaObject>
#include <QProcess>
#include <QTimer>

#include <algorithm>
#include <memory>
#include <optional>

namespace {

// The program that decodes video files in a process of its own: `mimo` beside this program
// (or in MIMO_BIN_DIR, for tests); MIMO_VIDEO_DECODER names another one taking the same words.
QString decoderProgram()
{
    const QString chosen = qEnvironmentVariable("MIMO_VIDEO_DECODER");
    if (!chosen.isEmpty())
        return chosen;
    for (const QString& folder : {qEnvironmentVariable("MIMO_BIN_DIR"), QCoreApplication::applicationDirPath()})
        if (!folder.isEmpty() && QFileInfo(QDir(folder).filePath(QStringLiteral("mimo"))).isExecutable())
            return QDir(folder).filePath(QStringLiteral("mimo"));
    return QStringLiteral("mimo");
}

// A frame must come this soon after the decoder starts, or it is taken for stuck.
constexpr int kFirstFrameMilliseconds = 15000;

// On the grabber's thread: a camera is opened and read there (it belongs to the thread that
// opened it); a video file is decoded by a child process whose records are read there.
class GrabWorker : public QObject {
public:
    explicit GrabWorker(VideoGrabber* owner) : owner_(owner) {}

    void begin(int camera, const QString& path, int framesPerSecond)
    {
        end();
        const int rate = std::clamp(framesPerSecond, 1, 10);
        timer_ = std::make_unique<QTimer>();
        timer_->start(1000 / rate);
        if (camera >= 0) {
            try {
                frames_ = mimo::VideoFrames::openCamera(camera);
            } catch (const std::exception& error) {
                fail(QString::fromStdString(mimo::userErrorText(error)));
                return;
            }
            QObject::connect(timer_.get(), &QTimer::timeout, this, [this] { grabCamera(); });
            grabCamera();
            return;
        }
        startDecoder(path, rate);
    }

    void end()
    {
        timer_.reset();
        frames_.reset();
        if (decoder_) {
            // Also called from the decoder's own signals: deleted once they have returned.
            decoder_->disconnect(this);
            decoder_->kill();
            decoder_->waitForFinished(2000);
            decoder_.release()->deleteLater();
        }
        stream_.reset();
    }

private:
    void startDecoder(const QString& path, int rate)
    {
        path_ = path;
        stream_.emplace(QFileInfo(path).fileName().toStdString());
        decoder_ = std::make_unique<QProcess>();
        decoder_->setProgram(decoderProgram());
        decoder_->setArguments({QStringLiteral("video"), QStringLiteral("frames"), path, QStringLiteral("--fps"),
                                QString::number(rate)});
        QObject::connect(decoder_.get(), &QProcess::readyReadStandardOutput, this, [this] { readRecords(); });
        QObject::connect(decoder_.get(), &QProcess::finished, this,
                         [this](int code, QProcess::ExitStatus status) { decoderEnded(code, status); });
        QObject::connect(decoder_.get(), &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
            if (error == QProcess::FailedToStart)
                fail(QStringLiteral("%1: the video decoder (%2) could not be started")
                         .arg(QFileInfo(path_).fileName(), decoderProgram()));
        });
        QObject::connect(timer_.get(), &QTimer::timeout, this, [this] { handOver(); });
        started_.start();
        decoder_->start(QIODevice::ReadOnly);
    }

    void readRecords()
    {
        if (!decoder_ || !stream_)
            return;
        const QByteArray bytes = decoder_->readAllStandardOutput();
        try {
            stream_->append(reinterpret_cast<const uint8_t*>(bytes.constData()), size_t(bytes.size()));
        } catch (const std::exception& error) {
            fail(QString::fromStdString(mimo::userErrorText(error)));
        }
    }

    // One frame per tick: the newest the decoder sent.
    void handOver()
    {
        if (!stream_)
            return;
        if (std::optional<mimo::VideoFrame> frame = stream_->takeNewest()) {
            emitFrame(*frame, QFileInfo(path_).fileName());
            return;
        }
        if (stream_->framesRead() == 0 && started_.elapsed() > kFirstFrameMilliseconds)
            fail(QStringLiteral("%1: the video decoder gave no frame in %2 s").arg(QFileInfo(path_).fileName()).arg(kFirstFrameMilliseconds / 1000));
    }

    void decoderEnded(int code, QProcess::ExitStatus status)
    {
        if (!decoder_)
            return;
        readRecords();
        const QString name = QFileInfo(path_).fileName();
        if (status == QProcess::CrashExit) {
            fail(QStringLiteral("%1: the video decoder crashed on this file (it is damaged, or made to break "
                                "decoders). It runs in a process of its own: nothing else was affected.")
                     .arg(name));
            return;
        }
        // Its message names the file ("mimo video frames: error: FILE: ...").
        QString message = QString::fromUtf8(decoder_->readAllStandardError()).trimmed();
        message.remove(QStringLiteral("mimo video frames: error: "));
        fail(code == 0 ? QStringLiteral("%1: the video ended").arg(name)
                       : message.isEmpty() ? QStringLiteral("%1: the video decoder stopped (exit code %2)").arg(name).arg(code)
                                           : message.left(2000));
    }

    void grabCamera()
    {
        if (!frames_)
            return;
        try {
            const mimo::VideoFrame frame = frames_->next();
            emitFrame(frame, QString::fromStdString(frames_->name()));
        } catch (const std::exception& error) {
            fail(QString::fromStdString(mimo::userErrorText(error)));
        }
    }

    void emitFrame(const mimo::VideoFrame& frame, const QString& source)
    {
        const QByteArray bytes(reinterpret_cast<const char*>(frame.rgb.data()), qsizetype(frame.rgb.size()));
        Q_EMIT owner_->frameGrabbed(bytes, frame.width, frame.height, frame.index, source);
    }

    void fail(const QString& message)
    {
        end();
        Q_EMIT owner_->failed(message);
    }

    VideoGrabber* owner_;
    std::optional<mimo::VideoFrames> frames_;  // a camera
    std::unique_ptr<QProcess> decoder_;        // a video file
    std::optional<mimo::VideoStreamReader> stream_;
    std::unique_ptr<QTimer> timer_;
    QElapsedTimer started_;
    QString path_;
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

void VideoGrabber::findCameras()
{
    QMetaObject::invokeMethod(worker_, [this] {
        QList<int> found;
        for (int camera : mimo::VideoFrames::availableCameras())
            found << camera;
        Q_EMIT camerasFound(found);
    });
}

void VideoGrabber::stop()
{
    running_ = false;
    auto* worker = static_cast<GrabWorker*>(worker_);
    // Waits until the worker has let go of the source: a camera is free again, a decoder ended.
    QMetaObject::invokeMethod(worker, [worker] { worker->end(); }, Qt::BlockingQueuedConnection);
}
