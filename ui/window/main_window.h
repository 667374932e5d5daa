#pragma once
// Wires the explorer together: menus and shortcuts, the model and key panels, the slots, the
// guided tour, the status bar and the settings. It owns no computation: the controller asks
// core on its compute thread, and the views draw what comes back.
#include <QMainWindow>

class BatchEvaluationDialog;
class CenterSplitter;
class EditHistory;
class ExplorerController;
struct ExportItem;
class SessionActions;
class InputActions;
class InsidePanel;
class KeyPanel;
class MessageBar;
class ModelPanel;
class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QSplitter;
class RecentFiles;
class RecoveryCopy;
class SidePanel;
class SlotArea;
class SlotGrid;
class PresentationKeys;
class TourWindow;
class WelcomeBanner;
class WindowActions;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Lists the models in these folders and loads `model` when given, else the last used one,
    // else the bundled default.
    void start(const QStringList& modelDirectories, const QString& model = {});
    // Shows one of the "seeing inside" tabs: pipeline, activations, interference, attention, throughput.
    bool showInsideView(const QString& name);
    // The split between the slots and the views below is where the slots' needs put it (or
    // where people dragged it): what a picture of the window should wait for.
    bool layoutSettled() const;
    // Opens a session file once the model catalog is known (like start(), for --session).
    void startWithSession(const QStringList& modelDirectories, const QString& session);
    // Keeps a recovery copy of the work while running and, on a plain start, offers one left by
    // an explorer that stopped abnormally (recovery_copy.h). The application asks for it;
    // screenshot runs and tests that do not ask keep none.
    void keepRecoveryCopy();
    RecoveryCopy* recovery() const { return recovery_; }
    // Shows the welcome above the slots unless it was closed before (welcome_banner.h). The
    // application asks for it; screenshot runs and tests that do not ask show none.
    void offerWelcome();
    WelcomeBanner* welcomeBanner() const { return welcome_; }
    // Every plot and heatmap that can be exported now (views without data give none).
    QList<ExportItem> exportItems() const;
    // Files dropped or pasted: a session opens, a model loads, inputs fill the slots from firstSlot.
    void openPaths(const QStringList& paths, int firstSlot);

    ExplorerController* controller() const { return controller_; }
    SlotGrid* slotGrid() const { return slots_; }
    SlotArea* slotArea() const { return slotArea_; }
    CenterSplitter* centerSplitter() const { return centerSplitter_; }
    SidePanel* sidePanel() const { return sidePanel_; }
    ModelPanel* modelPanel() const { return modelPanel_; }
    KeyPanel* keyPanel() const { return keyPanel_; }
    MessageBar* messageBar() const { return messages_; }
    TourWindow* tourWindow();
    QLabel* statusDetails() const { return statusDetails_; }
    RecentFiles* recentModels() const { return recentModels_; }
    InsidePanel* insidePanel() const { return inside_; }
    EditHistory* editHistory() const { return history_; }
    SessionActions* sessions() const { return sessions_; }
    BatchEvaluationDialog* batchDialog() const { return batchDialog_; }

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void connectActions();
    void restoreSettings();
    void saveSettings() const;
    void chooseStartModel();
    void openModelDialog();
    void loadKeysDialog();
    void saveKeysDialog();
    void createBatchDialog();
    void showTour(bool visible);
    void updateStatus();
    void updateActions();
    void zoom(double factor);

    ExplorerController* controller_ = nullptr;
    InputActions* inputs_ = nullptr;
    InsidePanel* inside_ = nullptr;
    ModelPanel* modelPanel_ = nullptr;
    KeyPanel* keyPanel_ = nullptr;
    SlotGrid* slots_ = nullptr;
    SlotArea* slotArea_ = nullptr;
    SidePanel* sidePanel_ = nullptr;
    MessageBar* messages_ = nullptr;
    WelcomeBanner* welcome_ = nullptr;
    TourWindow* tour_ = nullptr;
    PresentationKeys* presentationKeys_ = nullptr;
    QSplitter* splitter_ = nullptr;
    CenterSplitter* centerSplitter_ = nullptr;
    QLabel* statusDetails_ = nullptr;
    QProgressBar* busy_ = nullptr;
    RecentFiles* recentModels_ = nullptr;
    WindowActions* actions_ = nullptr;
    EditHistory* history_ = nullptr;
    SessionActions* sessions_ = nullptr;
    RecoveryCopy* recovery_ = nullptr;
    BatchEvaluationDialog* batchDialog_ = nullptr;
    bool started_ = false;
    QString startModel_;
    QString startSession_;
};
