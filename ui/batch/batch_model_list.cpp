#include "ui/batch/batch_model_list.h"

#include "ui/window/dialog_directories.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QListWidget>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

BatchModelList::BatchModelList(QWidget* parent) : QGroupBox(tr("Models"), parent)
{
    list_ = new QListWidget;
    list_->setObjectName(QStringLiteral("models"));
    list_->setToolTip(tr("Check the models to evaluate"));
    add_ = new QPushButton(tr("Add Model Files…"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(list_, 1);
    layout->addWidget(add_);
    connect(add_, &QPushButton::clicked, this, &BatchModelList::addFiles);
    connect(list_, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
        // Someone changed the current model's check by hand: it is theirs to keep now.
        if (item->data(Qt::UserRole).toString() == autoChecked_)
            autoChecked_.clear();
    });
}

QListWidgetItem* BatchModelList::find(const QString& path) const
{
    for (int i = 0; i < list_->count(); ++i)
        if (list_->item(i)->data(Qt::UserRole).toString() == path)
            return list_->item(i);
    return nullptr;
}

void BatchModelList::addItem(const QString& name, const QString& path, const QString& tip, bool checked)
{
    auto* item = new QListWidgetItem(name.isEmpty() ? QFileInfo(path).fileName() : name);
    item->setData(Qt::UserRole, path);
    item->setToolTip(tip.isEmpty() ? path : tip);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
    const QSignalBlocker blocker(list_);
    list_->addItem(item);
}

void BatchModelList::check(const QString& path, bool usersChoice)
{
    QListWidgetItem* item = find(path);
    if (!item) {
        addedFiles_ << path;
        addItem(QString(), path, path, true);
        return;
    }
    const QSignalBlocker blocker(usersChoice ? nullptr : list_);
    item->setCheckState(Qt::Checked);
}

void BatchModelList::setCatalog(const std::vector<mimo::ModelListing>& models)
{
    const QStringList checked = checkedPaths();
    QStringList listed;
    {
        const QSignalBlocker blocker(list_);
        list_->clear();
    }
    for (const auto& model : models) {
        const QString path = QString::fromStdString(model.path);
        QStringList ns;
        for (int n : model.supportedN())
            ns << QString::number(n);
        const QString tip = tr("%1\n%2\nN = %3").arg(path, QString::fromStdString(model.describe()), ns.join(", "));
        addItem(QString::fromStdString(model.card.name), path, tip, checked.contains(path));
        listed << path;
    }
    for (const QString& path : addedFiles_)
        if (!listed.contains(path))
            addItem(QString(), path, path, checked.contains(path));
}

void BatchModelList::setCurrentModel(const QString& path)
{
    if (path.isEmpty())
        return;
    if (!find(path)) {
        addedFiles_ << path;
        addItem(QString(), path, path, false);
    }
    const QSignalBlocker blocker(list_);
    if (!autoChecked_.isEmpty() && autoChecked_ != path)
        if (QListWidgetItem* previous = find(autoChecked_))
            previous->setCheckState(Qt::Unchecked);
    find(path)->setCheckState(Qt::Checked);
    autoChecked_ = path;
}

QStringList BatchModelList::checkedPaths() const
{
    QStringList paths;
    for (int i = 0; i < list_->count(); ++i)
        if (list_->item(i)->checkState() == Qt::Checked)
            paths << list_->item(i)->data(Qt::UserRole).toString();
    return paths;
}

void BatchModelList::setCheckedPaths(const QStringList& paths)
{
    {
        const QSignalBlocker blocker(list_);
        for (int i = 0; i < list_->count(); ++i)
            list_->item(i)->setCheckState(Qt::Unchecked);
    }
    autoChecked_.clear();
    for (const QString& path : paths)
        check(path, false);
}

void BatchModelList::setEditable(bool editable)
{
    list_->setEnabled(editable);
    add_->setEnabled(editable);
}

void BatchModelList::addFiles()
{
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Add Model Files"), dialogDirectory("models"),
                                                            tr("Model files (*.pt);;All files (*)"));
    if (files.isEmpty())
        return;
    rememberDirectory("models", files.front());
    for (const QString& file : files)
        check(QFileInfo(file).absoluteFilePath(), true);
}
