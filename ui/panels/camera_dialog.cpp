#include "ui/panels/camera_dialog.h"

#include "ui/controller/explorer_controller.h"
#include "ui/controller/input_requests.h"
#include "ui/panels/video_grabber.h"
#include "ui/window/dialog_directories.h"

#include <QCloseEvent>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

struct CameraDialog::Pending {
    mimo::InputSource source;
    bool waiting = false; // a frame is here and not sent yet
};

CameraDialog::CameraDialog(ExplorerController* controller, int slot, QWidget* parent)
    : QDialog(parent), controller_(controller), grabber_(new VideoGrabber(this)), pending_(std::make_shared<Pending>())
{
    setWindowTitle(tr("Camera or Video"));
    setModal(false);
    source_ = new QComboBox(this);
    source_->setObjectName(QStringLiteral("source"));
    auto* file = new QPushButton(tr("Video File…"), this);
    connect(file, &QPushButton::clicked, this, &CameraDialog::chooseFile);
    auto* sourceRow = new QHBoxLayout;
    sourceRow->addWidget(source_, 1);
    sourceRow->addWidget(file);
    slot_ = new QComboBox(this);
    slot_->setObjectName(QStringLiteral("slot"));
    for (int i = 0; i < controller_->n(); ++i)
        slot_->addItem(tr("Slot %1").arg(i + 1));
    setSlot(slot);
    rate_ = new QSpinBox(this);
    rate_->setRange(1, 10);
    rate_->setValue(10);
    rate_->setSuffix(tr(" frames per second at most"));
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setObjectName(QStringLiteral("status"));

    auto* form = new QFormLayout;
    form->addRow(tr("Source:"), sourceRow);
    form->addRow(tr("Into:"), slot_);
    form->addRow(tr("Rate:"), rate_);

    startButton_ = new QPushButton(tr("Start"), this);
    freezeButton_ = new QPushButton(tr("Freeze"), this);
    freezeButton_->setToolTip(tr("Stop the source; the slot keeps the last frame"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(startButton_, QDialogButtonBox::ActionRole);
    buttons->addButton(freezeButton_, QDialogButtonBox::ActionRole);
    connect(startButton_, &QPushButton::clicked, this, &CameraDialog::start);
    connect(freezeButton_, &QPushButton::clicked, this, &CameraDialog::freeze);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("A camera or a video file (played in a loop) in one slot, computed in "
                                    "superposition with the other slots as they are."),
                                 this));
    layout->addLayout(form);
    layout->addWidget(status_);
    layout->addWidget(buttons);

    connect(grabber_, &VideoGrabber::frameGrabbed, this, &CameraDialog::frameArrived);
    connect(grabber_, &VideoGrabber::failed, this, [this](const QString& message) {
        grabber_->stop();
        setStatus(message);
        freezeButton_->setEnabled(false);
    });
    // The next frame goes when the run of the last one is done.
    connect(controller_, &ExplorerController::resultChanged, this, &CameraDialog::sendPending);
    connect(controller_, &ExplorerController::busyChanged, this, &CameraDialog::sendPending);
    freezeButton_->setEnabled(false);
    startButton_->setEnabled(false);
    setStatus(tr("Looking for cameras…"));
    connect(grabber_, &VideoGrabber::camerasFound, this, &CameraDialog::fillSources);
    grabber_->findCameras();
}

void CameraDialog::fillSources(const QList<int>& cameras)
{
    // Before any file chosen meanwhile, which stays the choice.
    const bool fileChosen = source_->findData(-1) >= 0;
    for (int i = 0; i < int(cameras.size()); ++i)
        source_->insertItem(i, tr("Camera %1").arg(cameras[i]), cameras[i]);
    if (fileChosen) {
        source_->setCurrentIndex(source_->findData(-1));
        return;
    }
    if (cameras.isEmpty())
        setStatus(tr("No camera found on this computer: choose a video file."));
    else
        setStatus(tr("Choose a camera or a video file, the slot, and Start."));
    startButton_->setEnabled(!cameras.isEmpty());
}

void CameraDialog::chooseFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Video File"), dialogDirectory(QStringLiteral("video")),
                                                      tr("Videos (*.avi *.mp4 *.mkv *.mov *.webm *.mpg);;All files (*)"));
    if (path.isEmpty())
        return;
    rememberDirectory(QStringLiteral("video"), path);
    setVideoFile(path);
}

void CameraDialog::setVideoFile(const QString& path)
{
    videoFile_ = path;
    const int existing = source_->findData(-1);
    if (existing >= 0)
        source_->removeItem(existing);
    source_->addItem(QFileInfo(path).fileName(), -1);
    source_->setCurrentIndex(source_->count() - 1);
    startButton_->setEnabled(true);
    setStatus(tr("Start plays %1 into the slot.").arg(QFileInfo(path).fileName()));
}

void CameraDialog::setSlot(int slot)
{
    if (slot >= 0 && slot < slot_->count())
        slot_->setCurrentIndex(slot);
}

void CameraDialog::start()
{
    if (source_->currentIndex() < 0)
        return;
    const int camera = source_->currentData().toInt();
    liveSlot_ = slot_->currentIndex();
    shown_ = 0;
    *pending_ = {};
    grabber_->start(camera, camera >= 0 ? QString() : videoFile_, rate_->value());
    freezeButton_->setEnabled(true);
    setStatus(tr("Live: %1 into slot %2.").arg(source_->currentText()).arg(liveSlot_ + 1));
}

void CameraDialog::freeze()
{
    grabber_->stop();
    *pending_ = {};
    freezeButton_->setEnabled(false);
    if (liveSlot_ >= 0)
        setStatus(tr("Frozen: slot %1 keeps its last frame (%2 shown). Start goes on.").arg(liveSlot_ + 1).arg(shown_));
}

bool CameraDialog::live() const { return grabber_->running(); }

QString CameraDialog::status() const { return status_->text(); }

void CameraDialog::setStatus(const QString& text) { status_->setText(text); }

void CameraDialog::frameArrived(const QByteArray& rgb, int width, int height, qint64 index, const QString& source)
{
    if (!grabber_->running() || liveSlot_ < 0)
        return;
    mimo::InputSource frame;
    frame.origin = mimo::InputSource::Origin::Pixels;
    frame.width = width;
    frame.height = height;
    frame.channels = 3;
    frame.bytes.assign(reinterpret_cast<const uint8_t*>(rgb.constData()),
                       reinterpret_cast<const uint8_t*>(rgb.constData()) + rgb.size());
    frame.name = tr("%1, frame %2").arg(source).arg(index + 1).toStdString();
    pending_->source = std::move(frame);
    pending_->waiting = true;
    sendPending();
}

void CameraDialog::sendPending()
{
    if (!pending_->waiting || controller_->busy())
        return;
    if (!controller_->hasModel() || !controller_->model().info.takesImages()) { // another model came
        freeze();
        setStatus(tr("The model in use does not take images: stopped."));
        return;
    }
    if (liveSlot_ >= controller_->n()) { // N went down below the live slot
        freeze();
        setStatus(tr("Slot %1 is gone (N = %2): stopped.").arg(liveSlot_ + 1).arg(controller_->n()));
        return;
    }
    pending_->waiting = false;
    controller_->inputs().setLiveInput(pending_->source, liveSlot_);
    ++shown_;
}

void CameraDialog::closeEvent(QCloseEvent* event)
{
    freeze();
    QDialog::closeEvent(event);
}

void CameraDialog::hideEvent(QHideEvent* event)
{
    if (grabber_->running())
        freeze();
    QDialog::hideEvent(event);
}
