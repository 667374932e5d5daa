#include "ui/controller/edit_history.h"

#include "ui/controller/explorer_controller.h"

#include <QAction>
#include <QKeySequence>
#include <QUndoCommand>
#include <QUndoStack>

namespace {

class EditCommand : public QUndoCommand {
public:
    EditCommand(ExplorerController* controller, EditState before, EditState after, const QString& what)
        : QUndoCommand(what), controller_(controller), before_(std::move(before)), after_(std::move(after))
    {
    }
    void undo() override { controller_->restoreEditState(before_); }
    // A run of live frames into one slot is one step: undo goes back to before the camera.
    int id() const override { return text().startsWith(ExplorerController::liveEditText(0).section(' ', 0, 1)) ? 1 : -1; }
    bool mergeWith(const QUndoCommand* other) override
    {
        if (other->text() != text())
            return false;
        after_ = static_cast<const EditCommand*>(other)->after_;
        return true;
    }
    void redo() override
    {
        if (done_) // pushed after the edit happened: the first redo has nothing to do
            controller_->restoreEditState(after_);
        done_ = true;
    }

private:
    ExplorerController* controller_;
    EditState before_;
    EditState after_;
    bool done_ = false;
};

} // namespace

EditHistory::EditHistory(ExplorerController* controller, QObject* parent)
    : QObject(parent), controller_(controller), stack_(new QUndoStack(this))
{
    stack_->setUndoLimit(200);
    undo_ = stack_->createUndoAction(this, tr("&Undo"));
    undo_->setShortcut(QKeySequence::Undo);
    redo_ = stack_->createRedoAction(this, tr("&Redo"));
    redo_->setShortcut(QKeySequence::Redo);
    connect(controller_, &ExplorerController::edited, this,
            [this](const EditState& before, const EditState& after, const QString& what) {
                stack_->push(new EditCommand(controller_, before, after, what));
            });
    connect(controller_, &ExplorerController::historyReset, stack_, &QUndoStack::clear);
}
