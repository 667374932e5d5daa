#include "ui/panels/input_actions.h"

#include "ui/panels/camera_dialog.h"

#include "core/explore/explorer_inputs.h"
#include "ui/controller/explorer_controller.h"
#include "ui/controller/input_requests.h"
#include "ui/panels/dropped_paths.h"
#include "ui/panels/sample_dialog.h"
#include "ui/panels/sequence_dialog.h"
#include "ui/panels/slot_grid.h"
#include "ui/window/dialog_directories.h"
#include "ui/window/message_bar.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QImageReader>
#include <QMenu>
#include <QMimeData>

InputActions::InputActions(ExplorerController* controller, SlotGrid* slotGrid, MessageBar* messages, QWidget* dialogParent)
    : QObject(dialogParent), controller_(controller), slots_(slotGrid), messages_(messages), parent_(dialogParent)
{
    addInputs_ = new QAction(tr("&Add Inputs…"), this);
    addInputs_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    addInputs_->setStatusTip(tr("Fill the slots from image or sequence files, starting at the selected slot"));
    connect(addInputs_, &QAction::triggered, this, [this] { addInputsDialog(slots_->selectedSlot()); });

    paste_ = new QAction(QIcon::fromTheme(QStringLiteral("edit-paste")), tr("&Paste Input"), this);
    paste_->setShortcut(QKeySequence::Paste);
    paste_->setStatusTip(tr("Put the image, files or text on the clipboard into the selected slot"));
    connect(paste_, &QAction::triggered, this, [this] { pasteInto(slots_->selectedSlot()); });

    samples_ = new QAction(tr("Dataset &Samples…"), this);
    samples_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    samples_->setStatusTip(tr("Fill the slots with dataset items: random, of a class, or by index"));
    connect(samples_, &QAction::triggered, this, [this] { pickSamples(slots_->selectedSlot()); });

    type_ = new QAction(tr("&Type a Sequence…"), this);
    type_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(type_, &QAction::triggered, this, [this] { typeInto(slots_->selectedSlot()); });

    camera_ = new QAction(tr("&Camera or Video…"), this);
    camera_->setStatusTip(tr("A live camera or a video file in the selected slot, up to 10 frames per second"));
    connect(camera_, &QAction::triggered, this, [this] { openCamera(slots_->selectedSlot()); });

    clear_ = new QAction(tr("&Clear Slot"), this);
    clear_->setShortcut(QKeySequence::Delete);
    connect(clear_, &QAction::triggered, this, [this] { controller_->clearSlot(slots_->selectedSlot()); });
}

void InputActions::updateEnabled()
{
    const bool model = controller_->hasModel();
    for (QAction* action : {addInputs_, paste_, samples_, clear_})
        action->setEnabled(model);
    type_->setEnabled(model && !controller_->model().info.takesImages());
    camera_->setEnabled(model && controller_->model().info.takesImages());
}

CameraDialog* InputActions::cameraDialog() const { return cameraDialog_.data(); }

void InputActions::openCamera(int slot)
{
    if (!camera_->isEnabled())
        return;
    // Made again for each opening: the slots and the cameras present may have changed.
    delete cameraDialog_;
    cameraDialog_ = new CameraDialog(controller_, slot, parent_);
    cameraDialog_->setAttribute(Qt::WA_DeleteOnClose, false);
    cameraDialog_->show();
    cameraDialog_->raise();
}

void InputActions::addInputsDialog(int slot)
{
    QStringList patterns;
    for (const QByteArray& format : QImageReader::supportedImageFormats())
        patterns << QStringLiteral("*.") + QString::fromLatin1(format);
    const QString filter = tr("Images (%1);;Text sequences (*.txt);;All files (*)").arg(patterns.join(' '));
    const QStringList files = QFileDialog::getOpenFileNames(parent_, tr("Add Inputs"), dialogDirectory(QStringLiteral("inputs")), filter);
    if (files.isEmpty())
        return;
    rememberDirectory(QStringLiteral("inputs"), files.first());
    controller_->inputs().openPaths(files, slot);
}

void InputActions::pasteInto(int slot)
{
    const QMimeData* data = QApplication::clipboard()->mimeData();
    if (!data)
        return;
    const QStringList paths = droppedPaths(data);
    if (!paths.isEmpty()) {
        Q_EMIT pathsPasted(paths, slot);
        return;
    }
    if (data->hasImage()) {
        const QImage image = qvariant_cast<QImage>(data->imageData()).convertToFormat(QImage::Format_RGBA8888);
        mimo::InputSource source;
        source.origin = mimo::InputSource::Origin::Pixels;
        source.width = image.width();
        source.height = image.height();
        source.channels = 4;
        source.bytes.resize(size_t(image.width()) * size_t(image.height()) * 4);
        for (int y = 0; y < image.height(); ++y)
            std::copy_n(image.constScanLine(y), size_t(image.width()) * 4, source.bytes.begin() + qsizetype(y) * image.width() * 4);
        source.name = tr("pasted image").toStdString();
        controller_->inputs().setInputs({source}, slot);
        return;
    }
    if (data->hasText()) {
        mimo::InputSource source;
        source.origin = mimo::InputSource::Origin::Text;
        source.text = data->text().toStdString();
        source.name = tr("pasted text").toStdString();
        controller_->inputs().setInputs({source}, slot);
        return;
    }
    messages_->showProblem(tr("Nothing to paste"), tr("The clipboard holds no image, file or text."));
}

void InputActions::typeInto(int slot)
{
    if (!controller_->hasModel())
        return;
    const auto& info = controller_->model().info;
    SequenceDialog dialog(QString::fromStdString(info.former().inputKind), QString::fromStdString(info.inputDescription()), parent_);
    if (dialog.exec() != QDialog::Accepted)
        return;
    mimo::InputSource source;
    source.origin = mimo::InputSource::Origin::Text;
    source.text = dialog.text().toStdString();
    controller_->inputs().setInputs({source}, slot);
}

void InputActions::pickSamples(int slot)
{
    if (!controller_->hasModel())
        return;
    SampleDialog dialog(controller_, slot, parent_);
    if (dialog.exec() != QDialog::Accepted)
        return;
    controller_->inputs().pickSamples(dialog.dataset(), dialog.query(), dialog.firstSlot());
}

void InputActions::showSlotMenu(int slot, const QPoint& globalPosition)
{
    QMenu menu(parent_);
    menu.addAction(tr("Load File…"), this, [this, slot] { addInputsDialog(slot); });
    menu.addAction(paste_->icon(), paste_->text(), this, [this, slot] { pasteInto(slot); });
    menu.addAction(samples_->text(), this, [this, slot] { pickSamples(slot); });
    if (controller_->hasModel() && !controller_->model().info.takesImages())
        menu.addAction(type_->text(), this, [this, slot] { typeInto(slot); });
    if (camera_->isEnabled())
        menu.addAction(camera_->text(), this, [this, slot] { openCamera(slot); });
    menu.addSeparator();
    menu.addAction(clear_->text(), this, [this, slot] { controller_->clearSlot(slot); });
    menu.exec(globalPosition);
}
