#pragma once
// Inputs > Camera or Video: a live source in one slot. A camera or a video file (played in a
// loop) is read at up to 10 frames per second; each frame goes through the same preparation
// as an image file into the chosen slot while the other slots stay as they are. A frame is
// sent only when the previous one's run is done (the newest waits, the rest are dropped), so a
// slow model never builds a queue. Freeze keeps the last frame; closing stops the source.
#include <QDialog>
#include <QList>

class ExplorerController;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class VideoGrabber;

class CameraDialog : public QDialog {
    Q_OBJECT
public:
    CameraDialog(ExplorerController* controller, int slot, QWidget* parent = nullptr);

    // The video file to play (also what "Video File…" sets); clears the camera choice.
    void setVideoFile(const QString& path);
    void setSlot(int slot);
    void start();
    void freeze();
    bool live() const;
    qint64 framesShown() const { return shown_; }
    QString status() const;

protected:
    void closeEvent(QCloseEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void fillSources(const QList<int>& cameras);
    void chooseFile();
    void frameArrived(const QByteArray& rgb, int width, int height, qint64 index, const QString& source);
    void sendPending();
    void setStatus(const QString& text);

    ExplorerController* controller_;
    VideoGrabber* grabber_ = nullptr;
    QComboBox* source_ = nullptr;
    QComboBox* slot_ = nullptr;
    QSpinBox* rate_ = nullptr;
    QPushButton* startButton_ = nullptr;
    QPushButton* freezeButton_ = nullptr;
    QLabel* status_ = nullptr;
    QString videoFile_;
    struct Pending;
    std::shared_ptr<Pending> pending_; // the newest frame not sent yet
    qint64 shown_ = 0;
    int liveSlot_ = -1;
};
