#include "ui/panels/key_panel.h"

#include "ui/controller/explorer_controller.h"
#include "ui/export/export_menu.h"
#include "ui/widgets/matrix_heatmap_widget.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSpinBox>

#include <algorithm>
#include <numeric>

using Kind = mimo::KeyChoice::Kind;

KeyPanel::KeyPanel(ExplorerController* controller, QWidget* parent)
    : QGroupBox(tr("Binding keys"), parent), controller_(controller)
{
    auto* form = new QFormLayout(this);
    kind_ = new QComboBox(this);
    kind_->addItem(tr("Trained keys (from the model)"), int(Kind::Trained));
    kind_->addItem(tr("Drawn from a family"), int(Kind::Family));
    kind_->addItem(tr("Permutation of the trained keys"), int(Kind::Permutation));
    kind_->addItem(tr("From a file"), int(Kind::Values));
    form->addRow(tr("Keys:"), kind_);
    family_ = new QComboBox(this);
    for (auto family : {mimo::KeyFamily::Gaussian, mimo::KeyFamily::Sphere, mimo::KeyFamily::Bipolar,
                        mimo::KeyFamily::Orthogonal, mimo::KeyFamily::Unitary}) {
        family_->addItem(QString::fromStdString(mimo::keyFamilyName(family)), int(family));
        family_->setItemData(family_->count() - 1, QString::fromStdString(mimo::keyFamilyDescription(family)),
                             Qt::ToolTipRole);
    }
    form->addRow(tr("Family:"), family_);
    seed_ = new QSpinBox(this);
    seed_->setRange(0, 1'000'000);
    seed_->setValue(1);
    form->addRow(tr("Seed:"), seed_);
    permutation_ = new QLineEdit(this);
    permutation_->setPlaceholderText(tr("e.g. 1 0 3 2"));
    permutation_->setToolTip(tr("Slot i binds with trained key number i of this list"));
    shuffle_ = new QPushButton(tr("Shuffle"), this);
    auto* permutationRow = new QHBoxLayout;
    permutationRow->addWidget(permutation_, 1);
    permutationRow->addWidget(shuffle_);
    form->addRow(tr("Order:"), permutationRow);
    apply_ = new QPushButton(tr("Apply"), this);
    load_ = new QPushButton(tr("Load…"), this);
    save_ = new QPushButton(tr("Save…"), this);
    reset_ = new QPushButton(tr("Reset to trained"), this);
    auto* buttons = new QGridLayout;
    buttons->addWidget(apply_, 0, 0);
    buttons->addWidget(reset_, 0, 1);
    buttons->addWidget(load_, 1, 0);
    buttons->addWidget(save_, 1, 1);
    form->addRow(buttons);
    description_ = new QLabel(this);
    description_->setWordWrap(true);
    form->addRow(description_);
    similarity_ = new MatrixHeatmapWidget(this);
    similarity_->setToolTip(tr("Cosine similarity of the keys binding the slots: near 0 off the diagonal means "
                               "little interference"));
    form->addRow(similarity_);
    installExportMenu(similarity_, [this] { return exportItems().value(0); }); // none: the menu is disabled

    connect(kind_, &QComboBox::activated, this, [this](int index) {
        const int kind = kind_->itemData(index).toInt();
        showControlsFor(kind);
        if (kind == int(Kind::Values))
            Q_EMIT loadFileRequested();
        else if (kind == int(Kind::Trained))
            controller_->setKeys({});
        else
            apply();
    });
    connect(apply_, &QPushButton::clicked, this, &KeyPanel::apply);
    connect(family_, &QComboBox::activated, this, &KeyPanel::apply);
    connect(seed_, &QSpinBox::editingFinished, this, &KeyPanel::apply);
    connect(permutation_, &QLineEdit::returnPressed, this, &KeyPanel::apply);
    connect(shuffle_, &QPushButton::clicked, this, &KeyPanel::shuffle);
    connect(load_, &QPushButton::clicked, this, &KeyPanel::loadFileRequested);
    connect(save_, &QPushButton::clicked, this, &KeyPanel::saveRequested);
    connect(reset_, &QPushButton::clicked, this, [this] { controller_->setKeys({}); });
    connect(controller_, &ExplorerController::modelChanged, this, &KeyPanel::showKeys);
    connect(controller_, &ExplorerController::stateChanged, this, &KeyPanel::showKeys);
    connect(controller_, &ExplorerController::keySimilarityChanged, this, [this] {
        const int n = int(controller_->keySimilarity().shape.empty() ? 0 : controller_->keySimilarity().shape[0]);
        QStringList labels;
        for (int i = 0; i < n; ++i)
            labels << tr("slot %1").arg(i + 1);
        similarity_->setMatrix(controller_->keySimilarity(), labels, labels);
    });
    showKeys();
}

mimo::KeyChoice KeyPanel::choiceFromControls() const
{
    mimo::KeyChoice choice;
    choice.kind = Kind(kind_->currentData().toInt());
    choice.family = mimo::KeyFamily(family_->currentData().toInt());
    choice.seed = quint64(seed_->value());
    for (const QString& word : permutation_->text().split(QRegularExpression(QStringLiteral("[\\s,]+")), Qt::SkipEmptyParts))
        choice.permutation.push_back(word.toInt());
    return choice;
}

void KeyPanel::apply()
{
    const auto choice = choiceFromControls();
    if (choice.kind == Kind::Values) {
        Q_EMIT loadFileRequested();
        return;
    }
    controller_->setKeys(choice);
}

void KeyPanel::shuffle()
{
    std::vector<int> order(size_t(std::max(controller_->model().keyCount, 1)));
    std::iota(order.begin(), order.end(), 0);
    QRandomGenerator random(quint32(seed_->value()) + quint32(QRandomGenerator::global()->generate()));
    std::shuffle(order.begin(), order.end(), random);
    QStringList words;
    for (int i : order)
        words << QString::number(i);
    permutation_->setText(words.join(' '));
    kind_->setCurrentIndex(kind_->findData(int(Kind::Permutation)));
    showControlsFor(int(Kind::Permutation));
    apply();
}

void KeyPanel::showControlsFor(int kind)
{
    const bool adjustable = controller_->hasModel() && controller_->model().keysAdjustable;
    family_->setEnabled(adjustable && kind == int(Kind::Family));
    seed_->setEnabled(adjustable && kind == int(Kind::Family));
    permutation_->setEnabled(adjustable && kind == int(Kind::Permutation));
    shuffle_->setEnabled(adjustable);
    apply_->setEnabled(adjustable && (kind == int(Kind::Family) || kind == int(Kind::Permutation)));
}

void KeyPanel::showKeys()
{
    const bool model = controller_->hasModel();
    const bool adjustable = model && controller_->model().keysAdjustable;
    for (QWidget* widget : std::initializer_list<QWidget*>{kind_, load_, save_, reset_})
        widget->setEnabled(adjustable);
    const auto& keys = controller_->keys();
    {
        QSignalBlocker block(kind_);
        kind_->setCurrentIndex(kind_->findData(int(keys.kind)));
    }
    if (keys.kind == Kind::Family) {
        family_->setCurrentIndex(family_->findData(int(keys.family)));
        seed_->setValue(int(keys.seed));
    }
    if (keys.kind == Kind::Permutation) {
        QStringList words;
        for (int i : keys.permutation)
            words << QString::number(i);
        permutation_->setText(words.join(' '));
    }
    showControlsFor(int(keys.kind));
    if (!model) {
        description_->setText(tr("No model loaded."));
        similarity_->clear();
        return;
    }
    const auto& summary = controller_->model();
    description_->setText(tr("In use: %1.\n%2%3")
                              .arg(QString::fromStdString(keys.describe()), QString::fromStdString(summary.keyDescription))
                              .arg(keys.kind == Kind::Family ? tr(".\nDrawn keys are scaled to the trained keys' mean "
                                                                  "length, so only their directions differ.")
                                                             : QStringLiteral(".")));
    if (!adjustable)
        similarity_->clear();
}

QList<ExportItem> KeyPanel::exportItems() const
{
    const ExportItem item =
        similarity_->exportItem(QStringLiteral("key-similarity"), tr("Cosine similarity of the binding keys"));
    return item.isValid() ? QList<ExportItem>{item} : QList<ExportItem>{};
}
