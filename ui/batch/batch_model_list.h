#pragma once
// The models a batch evaluation runs: the catalog's models and files added by hand, each with
// a check box. The explorer's current model is checked for the user until they choose
// otherwise (unchecking it, or another current model unchecks it again).
#include "core/model/model_catalog.h"

#include <QGroupBox>
#include <QString>
#include <QStringList>

#include <vector>

class QListWidget;
class QListWidgetItem;
class QPushButton;

class BatchModelList : public QGroupBox {
    Q_OBJECT
public:
    explicit BatchModelList(QWidget* parent = nullptr);

    // The models offered; checks and files added by hand are kept.
    void setCatalog(const std::vector<mimo::ModelListing>& models);
    // The explorer's model: listed and checked (the previous current one is unchecked unless
    // someone chose it since).
    void setCurrentModel(const QString& path);
    // The checked models' paths, in list order; setting them checks exactly these (a path not
    // listed is added).
    QStringList checkedPaths() const;
    void setCheckedPaths(const QStringList& paths);
    void setEditable(bool editable);

private:
    QListWidgetItem* find(const QString& path) const;
    // Listed and checked, added when missing. The user's choice (not the form's) is theirs to
    // keep: the current model is then no longer unchecked for them.
    void check(const QString& path, bool usersChoice);
    void addItem(const QString& name, const QString& path, const QString& tip, bool checked);
    void addFiles();

    QListWidget* list_ = nullptr;
    QPushButton* add_ = nullptr;
    QString autoChecked_;    // checked because it was the current model
    QStringList addedFiles_; // model files added by hand
};
