// Small things that each broke the flow, driven the way a user meets them: the Keys combo, the
// seed field with Ctrl+Z, error banners after later successes, a typed ListOps expression's true
// class, the Export dialog's labels, plurals and layer names, tabs that do not apply to a model,
// Quit with unsaved edits, and a path pasted as text.
#include "explorer_fixtures.h"

#include "core/explore/session_file.h"
#include "ui/controller/edit_history.h"
#include "ui/inside/activations_view.h"
#include "ui/inside/attention_view.h"
#include "ui/inside/inside_panel.h"
#include "ui/inside/interference_csv.h"
#include "ui/inside/interference_view.h"
#include "ui/panels/key_panel.h"
#include "ui/panels/model_panel.h"
#include "ui/panels/slot_grid.h"
#include "ui/panels/slot_widget.h"
#include "ui/session/session_actions.h"
#include "ui/window/message_bar.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSpinBox>
#include <QTabBar>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>
#include <QtTest>

#include <functional>

using namespace explorer_fixtures;
using Kind = mimo::KeyChoice::Kind;

namespace {

// Starts with NUL bytes; its length comes from the literal (a counted 38 read past its end).
const char kJunk[] = "\x00\x01\x02 not an image, sequence or model";

// Runs `answer` on the modal dialog that the next step opens (once it is up).
void whenModalOpens(std::function<void(QWidget*)> answer)
{
    auto* poll = new QTimer;
    QObject::connect(poll, &QTimer::timeout, poll, [poll, answer] {
        if (QWidget* modal = QApplication::activeModalWidget()) {
            poll->stop();
            poll->deleteLater();
            answer(modal);
        }
    });
    poll->start(20);
}

void clickButton(QWidget* box, QMessageBox::StandardButton which)
{
    auto* message = qobject_cast<QMessageBox*>(box);
    QVERIFY(message);
    QTest::mouseClick(message->button(which), Qt::LeftButton);
}

QString headline(MainWindow& window) { return window.slotGrid()->findChild<QLabel*>("headline")->text(); }

// The menu action of this text (where a platform gives the standard key no binding).
QAction* menuActionNamed(MainWindow& window, const QString& text)
{
    for (QAction* menu : window.menuBar()->actions())
        for (QAction* action : menu->menu()->actions())
            if (action->text() == text)
                return action;
    return nullptr;
}

} // namespace

class WindowFlowTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void permutationStartsFromTheIdentity();
    void seedAppliesAsItChangesAndUndoReachesTheHistory();
    void successesClearEarlierProblems();
    void typedListOpsExpressionKnowsItsClass();
    void labelsCountsAndLayerNamesReadRight();
    void tabsThatDoNotApplyAreDisabled();
    void quitAsksBeforeLosingEdits();
    void pastedPathsOpenTheirFiles();

private:
    std::unique_ptr<MainWindow> startedWindow(const QString& modelDirectory = {});

    QTemporaryDir settingsDir_;
    QTemporaryDir dir_;
    QString conv_, former_;
};

void WindowFlowTest::initTestCase()
{
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
    QCoreApplication::setOrganizationName("MIMO Explorer Tests");
    QCoreApplication::setApplicationName("test_window_flow");
    QDir(dir_.path()).mkpath("conv");
    QDir(dir_.path()).mkpath("former");
    conv_ = dir_.filePath("conv/tiny-conv.pt");
    former_ = dir_.filePath("former/tiny-former.pt");
    writeConvModel(conv_, 12, 1, 8);
    writeFormerModel(former_);
    writeImage(dir_.filePath("single.png"), 7);
    writeImage(dir_.filePath("other.png"), 3);
    writeBytes(dir_.filePath("junk.bin"), QByteArray::fromRawData(kJunk, sizeof kJunk - 1));
    writeBytes(dir_.filePath("broken.pt"), QByteArray("this is not a model archive"));
}

void WindowFlowTest::init() { QSettings().clear(); }

std::unique_ptr<MainWindow> WindowFlowTest::startedWindow(const QString& modelDirectory)
{
    auto window = std::make_unique<MainWindow>();
    window->resize(1100, 760);
    window->show();
    window->activateWindow();
    window->start({modelDirectory.isEmpty() ? QFileInfo(conv_).absolutePath() : modelDirectory});
    if (!QTest::qWaitFor([&] { return window->controller()->hasModel(); }, 30000))
        qWarning("the start-up model did not load");
    waitUntilIdle(*window);
    return window;
}

// Keys > "Permutation of the trained keys": the Order field holds the identity, is enabled, and
// the choice applies without an error.
void WindowFlowTest::permutationStartsFromTheIdentity()
{
    auto window = startedWindow();
    auto* controller = window->controller();
    auto* kind = window->keyPanel()->findChild<QComboBox*>("keyKind");
    auto* order = window->keyPanel()->findChild<QLineEdit*>("keyOrder");
    QVERIFY(kind && order);
    QCOMPARE(controller->keys().kind, Kind::Trained);
    QCOMPARE(order->text(), QString("0 1 2 3")); // ready before it is chosen
    kind->setFocus();
    QTest::keyClicks(kind, "P"); // "Permutation of the trained keys", as typed on the closed combo
    QCOMPARE(kind->currentData().toInt(), int(Kind::Permutation));
    QVERIFY(waitUntilIdle(*window));
    QVERIFY2(window->messageBar()->isHidden(), qPrintable(window->messageBar()->message()));
    QCOMPARE(controller->keys().kind, Kind::Permutation);
    QCOMPARE(controller->keys().permutation, (std::vector<int>{0, 1, 2, 3}));
    QVERIFY(order->isEnabled());
    QCOMPARE(order->text(), QString("0 1 2 3"));
    QCOMPARE(kind->currentData().toInt(), int(Kind::Permutation));
    // An order typed into it applies on Enter.
    order->setFocus();
    order->selectAll();
    QTest::keyClicks(order, "1 0 3 2");
    QTest::keyClick(order, Qt::Key_Return);
    QVERIFY(QTest::qWaitFor([&] { return controller->keys().permutation == std::vector<int>{1, 0, 3, 2}; }, 20000));
}

// The seed applies as it changes (like Family); Ctrl+Z / Ctrl+Shift+Z in the focused seed field
// undo and redo the applied edit through Edit > Undo, and undo the field's own typing until it
// is applied.
void WindowFlowTest::seedAppliesAsItChangesAndUndoReachesTheHistory()
{
    auto window = startedWindow();
    QVERIFY(QTest::qWaitForWindowActive(window.get()));
    auto* controller = window->controller();
    auto* kind = window->keyPanel()->findChild<QComboBox*>("keyKind");
    auto* seed = window->keyPanel()->findChild<QSpinBox*>("keySeed");
    QVERIFY(kind && seed);
    kind->setFocus();
    QTest::keyClicks(kind, "D"); // "Drawn from a family": applies at once
    QVERIFY(QTest::qWaitFor([&] { return controller->keys().kind == Kind::Family; }, 20000));
    QVERIFY(waitUntilIdle(*window));
    QCOMPARE(int(controller->keys().seed), 1);

    // Typed and Enter: applied, one edit in the history.
    seed->setFocus();
    QTest::keyClick(seed, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(seed, "42");
    QTest::keyClick(seed, Qt::Key_Return);
    QVERIFY(QTest::qWaitFor([&] { return controller->keys().seed == 42; }, 20000));
    QVERIFY(waitUntilIdle(*window));
    QVERIFY2(window->editHistory()->undoAction()->text().contains("Keys"),
             qPrintable(window->editHistory()->undoAction()->text()));
    QVERIFY(seed->hasFocus());

    // Ctrl+Z with the field focused: the application's undo.
    QTest::keyClick(seed, Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(QTest::qWaitFor([&] { return controller->keys().seed == 1; }, 20000));
    QVERIFY(waitUntilIdle(*window));
    QCOMPARE(seed->value(), 1);
    const QKeyCombination redo = QKeySequence(QKeySequence::Redo)[0];
    QTest::keyClick(seed, redo.key(), redo.keyboardModifiers());
    QVERIFY(QTest::qWaitFor([&] { return controller->keys().seed == 42; }, 20000));
    QVERIFY(waitUntilIdle(*window));
    QCOMPARE(seed->value(), 42);

    // Typed without Enter: applies once the typing settles, as one edit.
    const int edits = window->editHistory()->stack()->count();
    QTest::keyClick(seed, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(seed, "7");
    QTest::keyClicks(seed, "3");
    QVERIFY(QTest::qWaitFor([&] { return controller->keys().seed == 73; }, 5000));
    QVERIFY(waitUntilIdle(*window));
    QCOMPARE(window->editHistory()->stack()->count(), edits + 1);

    // Typing not applied yet is the field's: Ctrl+Z undoes the keystroke, not the history.
    QTest::keyClick(seed, Qt::Key_End);
    QTest::keyClicks(seed, "5");
    QCOMPARE(seed->text(), QString("735"));
    QTest::keyClick(seed, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(seed->text(), QString("73"));
    QCOMPARE(int(controller->keys().seed), 73);
    QVERIFY(waitUntilIdle(*window));
    QTest::qWait(600);
    QVERIFY(waitUntilIdle(*window));
    QCOMPARE(int(controller->keys().seed), 73);
    QCOMPARE(window->editHistory()->stack()->count(), edits + 1);
}

// A banner stays while nothing succeeded, and goes once inputs fill the slots, keys apply or a
// model loads; a problem of the same action as a success stays after the run that follows.
void WindowFlowTest::successesClearEarlierProblems()
{
    auto window = startedWindow();
    auto* controller = window->controller();
    MessageBar* bar = window->messageBar();

    QVERIFY(drop(window.get(), {dir_.filePath("junk.bin")}));
    QVERIFY(QTest::qWaitFor([&] { return !bar->isHidden(); }, 20000));
    QVERIFY(waitUntilIdle(*window));
    QVERIFY(!bar->isHidden()); // nothing succeeded since

    // Inputs that fill the slots clear it.
    QVERIFY(drop(window.get(), {dir_.filePath("single.png")}));
    QVERIFY(QTest::qWaitFor([&] { return bool(controller->slotInputs()[0]); }, 20000));
    QVERIFY(waitUntilIdle(*window));
    QVERIFY(bar->isHidden());

    // Every slot filled by pasting images (each a success).
    for (int i = 1; i < 4; ++i) {
        window->slotGrid()->selectSlot(i);
        QImage picture(16, 16, QImage::Format_RGB32);
        picture.fill(QColor(40 * i, 200, 40));
        QApplication::clipboard()->setImage(picture);
        menuAction(*window, QKeySequence(QKeySequence::Paste))->trigger();
        QVERIFY(QTest::qWaitFor([&] { return bool(controller->slotInputs()[size_t(i)]); }, 20000));
    }
    QVERIFY(QTest::qWaitFor([&] { return controller->resultIsCurrent(); }, 20000));
    // One good and one bad input in one drop: the bad one's message stays after the good one's run.
    QVERIFY(drop(window.get(), {dir_.filePath("other.png"), dir_.filePath("junk.bin")}));
    QVERIFY(QTest::qWaitFor([&] { return !bar->isHidden(); }, 20000));
    QVERIFY(waitUntilIdle(*window));
    QVERIFY(controller->resultIsCurrent());
    QCOMPARE(QString::fromStdString(controller->slotInputs()[0]->source.path), dir_.filePath("other.png"));
    QVERIFY2(!bar->isHidden() && bar->message().contains("junk.bin"), qPrintable(bar->message()));
    window->slotGrid()->selectSlot(3);
    menuAction(*window, QKeySequence(QKeySequence::Paste))->trigger(); // the last picture again: a success
    QVERIFY(QTest::qWaitFor([&] { return bar->isHidden(); }, 20000));
    QVERIFY(waitUntilIdle(*window));

    // A key order that is no permutation: a banner; Reset to Trained Keys (Ctrl+R) clears it.
    auto* kind = window->keyPanel()->findChild<QComboBox*>("keyKind");
    auto* order = window->keyPanel()->findChild<QLineEdit*>("keyOrder");
    kind->setFocus();
    QTest::keyClicks(kind, "P"); // "Permutation of the trained keys"
    QVERIFY(waitUntilIdle(*window));
    order->setFocus();
    order->selectAll();
    QTest::keyClicks(order, "0 0 1 2");
    QTest::keyClick(order, Qt::Key_Return);
    QVERIFY(QTest::qWaitFor([&] { return !bar->isHidden(); }, 20000));
    QVERIFY2(bar->message().contains("permutation"), qPrintable(bar->message()));
    QVERIFY(waitUntilIdle(*window));
    menuAction(*window, QKeySequence(Qt::CTRL | Qt::Key_R))->trigger();
    QVERIFY(QTest::qWaitFor([&] { return controller->keys().kind == Kind::Trained; }, 20000));
    QVERIFY(waitUntilIdle(*window));
    QVERIFY(bar->isHidden());

    // A model that does not load, then one that does.
    QVERIFY(drop(window.get(), {dir_.filePath("broken.pt")}));
    QVERIFY(QTest::qWaitFor([&] { return !bar->isHidden(); }, 20000));
    QVERIFY(waitUntilIdle(*window));
    QVERIFY(!bar->isHidden());
    QVERIFY(drop(window.get(), {former_}));
    QVERIFY(QTest::qWaitFor([&] { return controller->model().info.family() == mimo::ModelFamily::Former; }, 20000));
    QVERIFY(waitUntilIdle(*window));
    QVERIFY2(bar->isHidden(), qPrintable(bar->message()));
}

// Inputs > Type a Sequence…: a ListOps expression's true class is its value.
void WindowFlowTest::typedListOpsExpressionKnowsItsClass()
{
    auto window = startedWindow(QFileInfo(former_).absolutePath());
    auto* controller = window->controller();
    QCOMPARE(controller->model().info.family(), mimo::ModelFamily::Former);
    window->slotGrid()->selectSlot(1);
    whenModalOpens([](QWidget* dialog) {
        auto* editor = dialog->findChild<QPlainTextEdit*>();
        QVERIFY(editor);
        editor->setPlainText("[MAX 2 [MIN 7 4 ] 3 ]");
        qobject_cast<QDialog*>(dialog)->accept();
    });
    menuAction(*window, QKeySequence(Qt::CTRL | Qt::Key_E))->trigger();
    QVERIFY(QTest::qWaitFor([&] { return controller->slotInputs()[1]->source.origin == mimo::InputSource::Origin::Text; },
                            20000));
    QVERIFY(waitUntilIdle(*window));
    QCOMPARE(controller->slotInputs()[1]->prepared.label, qint64(4));
    QCOMPARE(window->slotGrid()->slotWidget(1)->findChild<QLabel*>("truth")->text(), QString("True class: 4"));
    if (controller->resultIsCurrent())
        QCOMPARE(controller->result()->labels[1], qint64(4));
}

// Export View's labels show no raw '&'; counts read right for one and for many; layers are
// "Layer 1", "Layer 2", … in every view of both families.
void WindowFlowTest::labelsCountsAndLayerNamesReadRight()
{
    auto window = startedWindow();
    auto* controller = window->controller();
    QCOMPARE(controller->emptySlots(), 4);
    QVERIFY2(headline(*window).startsWith("4 slots are empty"), qPrintable(headline(*window)));
    QVERIFY(drop(window.get(), {dir_.filePath("single.png"), dir_.filePath("other.png"), dir_.filePath("single.png")}));
    QVERIFY(QTest::qWaitFor([&] { return controller->emptySlots() == 1; }, 20000));
    QVERIFY2(headline(*window).startsWith("1 slot is empty: drop an image"), qPrintable(headline(*window)));
    // N = 1 through the N list: "1 input computed", not "1 inputs".
    QComboBox* nBox = window->modelPanel()->nBox();
    const int one = nBox->findData(1);
    QVERIFY(one >= 0);
    nBox->setFocus();
    QTest::keyClick(nBox, Qt::Key_Home);
    QCOMPARE(nBox->currentData().toInt(), 1);
    QVERIFY(QTest::qWaitFor([&] { return controller->n() == 1 && controller->resultIsCurrent(); }, 20000));
    QVERIFY2(headline(*window).startsWith("1 input computed"), qPrintable(headline(*window)));
    QTest::keyClick(nBox, Qt::Key_End);
    QVERIFY(QTest::qWaitFor([&] { return controller->n() == 4 && controller->emptySlots() == 1; }, 20000));
    QVERIFY(drop(window->slotGrid()->slotWidget(3), {dir_.filePath("other.png")}));
    QVERIFY(QTest::qWaitFor([&] { return controller->resultIsCurrent() && controller->emptySlots() == 0; }, 20000));
    QVERIFY2(headline(*window).startsWith("4 inputs computed"), qPrintable(headline(*window)));
    // The run time stands beside the headline, never in it: a slower run must not rewrap it.
    const QString runState = window->slotGrid()->findChild<QLabel*>("runState")->text();
    QVERIFY2(QRegularExpression("^in \\d+ ms$").match(runState).hasMatch(), qPrintable(runState));
    QVERIFY2(!headline(*window).contains(" ms"), qPrintable(headline(*window)));

    // File > Export View…: every label with a mnemonic has a buddy, so no '&' is drawn.
    InsidePanel* inside = window->insidePanel();
    inside->setCurrentWidget(inside->activationsView());
    QVERIFY(QTest::qWaitFor([&] { return !window->exportItems().isEmpty(); }, 20000));
    QStringList shownLabels;
    whenModalOpens([&shownLabels](QWidget* dialog) {
        for (QLabel* label : dialog->findChildren<QLabel*>()) {
            if (label->isHidden())
                continue;
            shownLabels << label->text();
            const QString text = QString(label->text()).remove("&&");
            if (text.contains('&') && label->textFormat() != Qt::RichText)
                QVERIFY2(label->buddy(), qPrintable(label->text() + " is shown with its '&'"));
        }
        qobject_cast<QDialog*>(dialog)->reject();
    });
    QAction* exportView = menuActionNamed(*window, "&Export View…");
    QVERIFY(exportView);
    exportView->trigger();
    QVERIFY2(shownLabels.contains("&Size:") && shownLabels.contains("F&ile:"), qPrintable(shownLabels.join(" | ")));

    // Layers of a MIMOConv: the activations' list and the interference plot's data.
    const QRegularExpression title("^(Layer [1-9]\\d*|Superposition|Binding step)$");
    auto* layers = inside->activationsView()->findChild<QComboBox*>("layer");
    QVERIFY(QTest::qWaitFor([&] { return layers->count() > 2; }, 20000));
    QStringList names;
    for (int i = 0; i < layers->count(); ++i)
        names << layers->itemText(i);
    QVERIFY2(names.contains("Layer 1") && names.contains("Layer 3"), qPrintable(names.join(", ")));
    inside->setCurrentWidget(inside->interferenceView());
    QVERIFY(QTest::qWaitFor([&] { return !inside->interferenceView()->summary().layers.empty(); }, 20000));
    QString csv = interference_csv::perLayer(inside->interferenceView()->summary());
    QVERIFY2(csv.contains("Layer 1") && !csv.contains("layer1"), qPrintable(csv));
    for (const QString& name : names)
        QVERIFY2(title.match(name).hasMatch(), qPrintable(name));

    // ... and of a MIMOFormer: counted from 1 as well, in the interference data and the attention list.
    QVERIFY(drop(window.get(), {former_}));
    QVERIFY(QTest::qWaitFor([&] { return controller->model().info.family() == mimo::ModelFamily::Former; }, 20000));
    QVERIFY(QTest::qWaitFor([&] { return controller->resultIsCurrent(); }, 20000));
    QVERIFY(QTest::qWaitFor([&] {
        return controller->inspections().isCurrent() && controller->inspections().interference() &&
               !inside->interferenceView()->summary().layers.empty();
    }, 20000));
    QCOMPARE(inside->interferenceView()->summary().layers.front(), std::string("layer1")); // the first, counted from 1
    csv = interference_csv::perLayer(inside->interferenceView()->summary());
    QVERIFY2(csv.contains("Layer 1") && !csv.contains("layer0") && !csv.contains("Layer 0"), qPrintable(csv));
    auto* attentionLayers = inside->attentionView()->findChild<QComboBox*>("layer");
    QVERIFY(attentionLayers);
    QCOMPARE(attentionLayers->itemText(0), QString("Layer 1"));
}

// Attention for a MIMOConv and Activations for a MIMOFormer are disabled and say why; the other
// family's model enables them again.
void WindowFlowTest::tabsThatDoNotApplyAreDisabled()
{
    auto window = startedWindow();
    InsidePanel* inside = window->insidePanel();
    const int activations = inside->indexOf(inside->activationsView());
    const int attention = inside->indexOf(inside->attentionView());
    QVERIFY(inside->isTabEnabled(activations));
    QVERIFY(!inside->isTabEnabled(attention));
    QVERIFY2(inside->tabToolTip(attention).contains("MIMOConv"), qPrintable(inside->tabToolTip(attention)));
    // A click on it does nothing.
    inside->setCurrentWidget(inside->activationsView());
    QTest::mouseClick(inside->tabBar(), Qt::LeftButton, {}, inside->tabBar()->tabRect(attention).center());
    QCOMPARE(inside->currentIndex(), activations);

    // A MIMOFormer: the other way round, and the tab on screen moves off the disabled one.
    QVERIFY(drop(window.get(), {former_}));
    QVERIFY(QTest::qWaitFor([&] { return window->controller()->model().info.family() == mimo::ModelFamily::Former; },
                            20000));
    QVERIFY(!inside->isTabEnabled(activations));
    QVERIFY(inside->isTabEnabled(attention));
    QVERIFY2(inside->tabToolTip(activations).contains("MIMOFormer"), qPrintable(inside->tabToolTip(activations)));
    QVERIFY(inside->currentIndex() != activations);
    inside->setCurrentWidget(inside->attentionView());
    QCOMPARE(inside->currentIndex(), attention);

    // Back to a MIMOConv.
    QVERIFY(drop(window.get(), {conv_}));
    QVERIFY(QTest::qWaitFor([&] { return window->controller()->model().info.family() == mimo::ModelFamily::Conv; },
                            20000));
    QVERIFY(inside->isTabEnabled(activations));
    QVERIFY(!inside->isTabEnabled(attention));
    QVERIFY(inside->currentIndex() != attention);
}

// File > Quit (and closing the window) with unsaved edits asks Save / Discard / Cancel.
void WindowFlowTest::quitAsksBeforeLosingEdits()
{
    const QString sessionPath = dir_.filePath("flow.mimo-session");
    {
        auto window = startedWindow();
        QAction* quit = menuActionNamed(*window, "&Quit");
        QVERIFY(quit);
        QVERIFY(!window->sessions()->isModified());
        QVERIFY(drop(window.get(), {dir_.filePath("single.png")}));
        QVERIFY(QTest::qWaitFor([&] { return window->sessions()->isModified(); }, 20000));
        QVERIFY(window->isWindowModified());
        bool asked = false;
        whenModalOpens([&asked](QWidget* box) {
            asked = true;
            clickButton(box, QMessageBox::Cancel);
        });
        quit->trigger();
        QVERIFY(asked);
        QVERIFY(window->isVisible()); // cancelled: still open
        // Saved: no question, the window closes.
        QVERIFY(window->sessions()->saveTo(sessionPath));
        QVERIFY(!window->sessions()->isModified());
        QVERIFY(!window->isWindowModified());
        quit->trigger();
        QVERIFY(!window->isVisible());
    }
    {
        // An edit after saving, then Save in the question: written to the session's file.
        auto window = startedWindow();
        QVERIFY(window->sessions()->openFrom(sessionPath));
        QVERIFY(QTest::qWaitFor([&] { return window->sessions()->currentFile() == sessionPath; }, 20000));
        QVERIFY(waitUntilIdle(*window));
        QVERIFY(!window->sessions()->isModified());
        QVERIFY(drop(window->slotGrid()->slotWidget(2), {dir_.filePath("other.png")}));
        QVERIFY(QTest::qWaitFor([&] { return window->sessions()->isModified(); }, 20000));
        QVERIFY(waitUntilIdle(*window));
        whenModalOpens([](QWidget* box) { clickButton(box, QMessageBox::Save); });
        QVERIFY(window->close()); // true: it closed
        QVERIFY(!window->isVisible());
        const auto saved = mimo::readSessionFile(sessionPath.toStdString()).inputs.at(2);
        QVERIFY(saved.has_value());
        QCOMPARE(QString::fromStdString(saved->path), dir_.filePath("other.png"));
    }
    {
        // Discard: closes without writing.
        auto window = startedWindow();
        QVERIFY(window->sessions()->openFrom(sessionPath));
        QVERIFY(QTest::qWaitFor([&] { return window->sessions()->currentFile() == sessionPath; }, 20000));
        QVERIFY(waitUntilIdle(*window));
        const QByteArray before = fileHash(sessionPath);
        window->slotGrid()->selectSlot(2);
        menuAction(*window, QKeySequence(QKeySequence::Delete))->trigger(); // Inputs > Clear Slot
        QVERIFY(!window->controller()->slotInputs()[2]);
        QVERIFY(window->sessions()->isModified());
        whenModalOpens([](QWidget* box) { clickButton(box, QMessageBox::Discard); });
        window->close();
        QVERIFY(!window->isVisible());
        QCOMPARE(fileHash(sessionPath), before);
    }
}

// Inputs > Paste with a path or a file:// URI on the clipboard as text opens that file.
void WindowFlowTest::pastedPathsOpenTheirFiles()
{
    auto window = startedWindow();
    auto* controller = window->controller();
    QAction* paste = menuAction(*window, QKeySequence(QKeySequence::Paste));
    QVERIFY(paste);
    window->slotGrid()->selectSlot(1);
    QApplication::clipboard()->setText(dir_.filePath("single.png") + "\n");
    paste->trigger();
    QVERIFY(QTest::qWaitFor([&] { return bool(controller->slotInputs()[1]); }, 20000));
    QCOMPARE(QString::fromStdString(controller->slotInputs()[1]->source.path), dir_.filePath("single.png"));
    QVERIFY(window->messageBar()->isHidden());

    window->slotGrid()->selectSlot(2);
    QApplication::clipboard()->setText(QUrl::fromLocalFile(dir_.filePath("other.png")).toString());
    paste->trigger();
    QVERIFY(QTest::qWaitFor([&] { return bool(controller->slotInputs()[2]); }, 20000));
    QCOMPARE(QString::fromStdString(controller->slotInputs()[2]->source.path), dir_.filePath("other.png"));

    // A session's path opens the session; a model's path loads the model.
    QVERIFY(waitUntilIdle(*window));
    const QString session = dir_.filePath("pasted.mimo-session");
    QVERIFY(window->sessions()->saveTo(session));
    window->controller()->clearSlot(1);
    QApplication::clipboard()->setText(QUrl::fromLocalFile(session).toString());
    paste->trigger();
    QVERIFY(QTest::qWaitFor([&] { return bool(controller->slotInputs()[1]) && !controller->busy(); }, 20000));
    QVERIFY(waitUntilIdle(*window));
    QCOMPARE(QString::fromStdString(controller->slotInputs()[1]->source.path), dir_.filePath("single.png"));
    QCOMPARE(window->sessions()->currentFile(), session);
    QApplication::clipboard()->setText("'" + former_ + "'");
    paste->trigger();
    QVERIFY(QTest::qWaitFor([&] { return controller->model().info.family() == mimo::ModelFamily::Former; }, 20000));
    QVERIFY(waitUntilIdle(*window));
    // Text that names no file stays text: a typed sequence for this model.
    window->slotGrid()->selectSlot(0);
    QApplication::clipboard()->setText("[MAX 1 5 ]");
    paste->trigger();
    QVERIFY(QTest::qWaitFor([&] { return controller->slotInputs()[0]->prepared.text == "[MAX 1 5 ]"; }, 20000));
    QCOMPARE(controller->slotInputs()[0]->prepared.label, qint64(5));
}

QTEST_MAIN(WindowFlowTest)
#include "test_window_flow.moc"
