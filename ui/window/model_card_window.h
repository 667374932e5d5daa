#pragma once
// File > Model Card: how the loaded model was trained and how well it does, as its card says
// (the Markdown written next to bundled models: command, seed, time, hardware, accuracy per N
// and per ListOps tree depth, the learning curve, notes). A window of its own, not modal; it
// follows the model the explorer has loaded.
#include <QDialog>

class ExplorerController;
class QTextBrowser;

class ModelCardWindow : public QDialog {
    Q_OBJECT
public:
    explicit ModelCardWindow(ExplorerController* controller, QWidget* parent = nullptr);
    // The window's card (made the first time), shown and raised.
    static ModelCardWindow* showFor(QWidget* window, ExplorerController* controller);

    QTextBrowser* browser() const { return browser_; }
    QString markdown() const { return markdown_; } // what it shows

private:
    void showModel();

    ExplorerController* controller_ = nullptr;
    QTextBrowser* browser_ = nullptr;
    QString markdown_;
};
