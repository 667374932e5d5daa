#pragma once
// The ways to put inputs into the slots, as actions shared by the Inputs menu, the File menu
// and each slot's context menu: load files, paste, dataset samples, type a sequence, clear.
#include <QObject>
#include <QPointer>
#include <QStringList>

class ExplorerController;
class MessageBar;
class QAction;
class QPoint;
class QWidget;
class SlotGrid;

class CameraDialog;

class InputActions : public QObject {
    Q_OBJECT
public:
    InputActions(ExplorerController* controller, SlotGrid* slotGrid, MessageBar* messages, QWidget* dialogParent);

    QAction* addInputs() const { return addInputs_; }
    QAction* paste() const { return paste_; }
    QAction* samples() const { return samples_; }
    QAction* typeSequence() const { return type_; }
    QAction* clearSlot() const { return clear_; }
    QAction* camera() const { return camera_; }
    CameraDialog* cameraDialog() const; // null until Camera… was chosen
    void updateEnabled();

    void addInputsDialog(int slot);
    void pasteInto(int slot);
    void typeInto(int slot);
    void pickSamples(int slot);
    void openCamera(int slot);
    void showSlotMenu(int slot, const QPoint& globalPosition);

Q_SIGNALS:
    // Files on the clipboard (as files, or as text naming them): opened like a drop.
    void pathsPasted(const QStringList& paths, int slot);

private:
    ExplorerController* controller_;
    SlotGrid* slots_;
    MessageBar* messages_;
    QWidget* parent_;
    QAction* addInputs_ = nullptr;
    QAction* camera_ = nullptr;
    QPointer<CameraDialog> cameraDialog_;
    QAction* paste_ = nullptr;
    QAction* samples_ = nullptr;
    QAction* type_ = nullptr;
    QAction* clear_ = nullptr;
};
