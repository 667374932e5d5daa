#pragma once
// Which model, on which device, at which N: the bundled models from their cards (name,
// dataset, accuracy per N), any file by Open, the device, N among the values the model
// serves, and what the model expects as input.
#include <QGroupBox>

class ElidingComboBox;
class ExplorerController;
class QComboBox;
class QLabel;
class QPushButton;

class ModelPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit ModelPanel(ExplorerController* controller, QWidget* parent = nullptr);

    QComboBox* modelBox() const;
    QComboBox* deviceBox() const;
    QComboBox* nBox() const;

Q_SIGNALS:
    void openRequested();

private:
    void showCatalog();
    void showModel();
    void showN();

    ExplorerController* controller_;
    ElidingComboBox* models_ = nullptr;
    QPushButton* open_ = nullptr;
    ElidingComboBox* devices_ = nullptr;
    ElidingComboBox* n_ = nullptr;
    QLabel* details_ = nullptr;
    bool updating_ = false;
};
