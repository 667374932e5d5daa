#pragma once
// Which model, on which device, at which N: the bundled models from their cards (name,
// dataset, accuracy per N), any file by Open, the device, N among the values the model
// serves, and what the model expects as input.
#include <QGroupBox>

class ExplorerController;
class QComboBox;
class QLabel;
class QPushButton;

class ModelPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit ModelPanel(ExplorerController* controller, QWidget* parent = nullptr);

    QComboBox* modelBox() const { return models_; }
    QComboBox* deviceBox() const { return devices_; }
    QComboBox* nBox() const { return n_; }

Q_SIGNALS:
    void openRequested();

private:
    void showCatalog();
    void showModel();
    void showN();

    ExplorerController* controller_;
    QComboBox* models_ = nullptr;
    QPushButton* open_ = nullptr;
    QComboBox* devices_ = nullptr;
    QComboBox* n_ = nullptr;
    QLabel* details_ = nullptr;
    bool updating_ = false;
};
