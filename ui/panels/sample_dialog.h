#pragma once
// Picks dataset samples for the slots: a dataset (the model's test split by default, any
// dataset spec otherwise), then random items, items of one class, or items from an index.
#include "core/explore/explorer_inputs.h"

#include <QDialog>

class ExplorerController;
class QComboBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;

class SampleDialog : public QDialog {
    Q_OBJECT
public:
    SampleDialog(ExplorerController* controller, int selectedSlot, QWidget* parent = nullptr);

    QString dataset() const;
    mimo::SampleQuery query() const;
    int firstSlot() const;

private:
    void describe();

    ExplorerController* controller_;
    QLineEdit* dataset_ = nullptr;
    QLabel* status_ = nullptr;
    QRadioButton* random_ = nullptr;
    QRadioButton* ofClass_ = nullptr;
    QRadioButton* byIndex_ = nullptr;
    QComboBox* class_ = nullptr;
    QSpinBox* index_ = nullptr;
    QSpinBox* seed_ = nullptr;
    QComboBox* target_ = nullptr;
};
