#include "ui/panels/model_panel.h"

#include "ui/controller/explorer_controller.h"
#include "ui/widgets/device_label.h"
#include "ui/widgets/eliding_combo_box.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>

namespace {

QString accuracyText(const mimo::ModelInfo& info)
{
    QStringList parts;
    for (const auto& [n, accuracy] : info.card.testAccuracy)
        parts << QStringLiteral("N=%1: %2 %").arg(n).arg(100.0 * accuracy, 0, 'f', 1);
    return parts.join(QStringLiteral(", "));
}

QString entryText(const mimo::ModelListing& listing)
{
    const QString name = listing.card.name.empty() ? QFileInfo(QString::fromStdString(listing.path)).fileName()
                                                    : QString::fromStdString(listing.card.name);
    const QString accuracy = accuracyText(listing);
    return accuracy.isEmpty() ? name : QStringLiteral("%1 (%2)").arg(name, accuracy);
}

} // namespace

ModelPanel::ModelPanel(ExplorerController* controller, QWidget* parent)
    : QGroupBox(tr("Model"), parent), controller_(controller)
{
    auto* form = new QFormLayout(this);
    models_ = new ElidingComboBox(this); // "name (N=1: 88.9 %, …)" is longer than the side panel
    models_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    models_->setMinimumContentsLength(12);
    models_->setBaseToolTip(tr("The bundled models and the files you opened"));
    open_ = new QPushButton(tr("Open…"), this);
    open_->setToolTip(tr("Open a model file (.pt)"));
    auto* row = new QHBoxLayout;
    row->addWidget(models_, 1);
    row->addWidget(open_);
    form->addRow(tr("Model:"), row);
    devices_ = new ElidingComboBox(this);
    devices_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    devices_->setMinimumContentsLength(8);
    devices_->setBaseToolTip(tr("Where the model computes: a GPU (CUDA) when there is one, else the CPU. When the "
                                "GPU fails, the model moves to the CPU and a message says why"));
    form->addRow(tr("Device:"), devices_);
    n_ = new ElidingComboBox(this);
    n_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    n_->setMinimumContentsLength(8);
    n_->setBaseToolTip(tr("Inputs computed in one superposition; the same weights serve every value listed"));
    form->addRow(tr("N:"), n_);
    details_ = new QLabel(this);
    details_->setWordWrap(true);
    details_->setTextFormat(Qt::PlainText);
    details_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(details_);

    connect(open_, &QPushButton::clicked, this, &ModelPanel::openRequested);
    connect(models_, &QComboBox::activated, this, [this](int index) {
        const QString path = models_->itemData(index).toString();
        if (!path.isEmpty() && (!controller_->hasModel() || path.toStdString() != controller_->model().path))
            controller_->loadModel(path);
    });
    connect(devices_, &QComboBox::activated, this,
            [this](int index) { controller_->setDevice(devices_->itemData(index).toString()); });
    connect(n_, &QComboBox::activated, this, [this](int index) { controller_->setN(n_->itemData(index).toInt()); });
    connect(controller_, &ExplorerController::catalogChanged, this, &ModelPanel::showCatalog);
    connect(controller_, &ExplorerController::modelChanged, this, &ModelPanel::showModel);
    connect(controller_, &ExplorerController::stateChanged, this, &ModelPanel::showN);
    showCatalog();
    showModel();
}

QComboBox* ModelPanel::modelBox() const { return models_; }
QComboBox* ModelPanel::deviceBox() const { return devices_; }
QComboBox* ModelPanel::nBox() const { return n_; }

void ModelPanel::showCatalog()
{
    QSignalBlocker block(models_);
    models_->clear();
    for (const auto& listing : controller_->catalog())
        models_->addItem(entryText(listing), QString::fromStdString(listing.path));
    if (controller_->hasModel() && models_->findData(QString::fromStdString(controller_->model().path)) < 0)
        models_->addItem(QFileInfo(QString::fromStdString(controller_->model().path)).fileName(),
                         QString::fromStdString(controller_->model().path));
    if (controller_->hasModel())
        models_->setCurrentIndex(models_->findData(QString::fromStdString(controller_->model().path)));
    QSignalBlocker blockDevices(devices_);
    devices_->clear();
    for (const auto& device : controller_->devices())
        devices_->addItem(deviceLabel(device), device);
    if (controller_->hasModel())
        devices_->setCurrentIndex(devices_->findData(QString::fromStdString(controller_->model().device)));
}

void ModelPanel::showModel()
{
    showCatalog();
    if (!controller_->hasModel()) {
        details_->setText(tr("No model loaded."));
        return;
    }
    const auto& summary = controller_->model();
    const auto& info = summary.info;
    QStringList lines;
    lines << QString::fromStdString(info.describe());
    lines << tr("Input: %1").arg(QString::fromStdString(info.inputDescription()));
    if (!info.card.dataset.empty())
        lines << tr("Trained on: %1").arg(QString::fromStdString(info.card.dataset));
    const QString accuracy = accuracyText(info);
    if (!accuracy.isEmpty())
        lines << tr("Test accuracy: %1").arg(accuracy);
    // The file's name: a whole path does not wrap in a narrow panel (and says where the machine
    // keeps its files in every screenshot); the tooltip has the path.
    const QString path = QString::fromStdString(summary.path);
    lines << tr("File: %1").arg(QFileInfo(path).fileName());
    details_->setText(lines.join('\n'));
    details_->setToolTip(QDir::toNativeSeparators(QFileInfo(path).absoluteFilePath()));
    showN();
}

void ModelPanel::showN()
{
    QSignalBlocker block(n_);
    n_->clear();
    if (!controller_->hasModel())
        return;
    for (int n : controller_->model().info.supportedN())
        n_->addItem(n == 1 ? tr("N = 1 (no superposition)") : tr("N = %1").arg(n), n);
    n_->setCurrentIndex(n_->findData(controller_->n()));
}
