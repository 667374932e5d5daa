#pragma once
#include <QMainWindow>

class QAction;

// Wires menus, the status bar and the central views together; owns no computation.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createMenus();
    void restoreWindowState();
    void showAbout();

    QAction* fullScreenAction_ = nullptr;
};
