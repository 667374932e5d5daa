#include "ui/panels/key_panel.h"

#include "ui/controller/explorer_controller.h"
#include "ui/export/export_menu.h"
#include "ui/widgets/eliding_combo_box.h"
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
#include <QTimer>

#include <algorithm>
#include <numeric>

using Kind = mimo::KeyChoice::Kind;

KeyPanel::KeyPanel(ExplorerController* controller, QWidget* parent)
    : QGroupBox(tr("Binding keys"), parent), controller_(controller)
{
    auto* form = new QFormLayout(this);
    // Elided with the whole entry in the tooltip where the side panel is narrow.
    kind_ = new ElidingComboBox(this);
    kind_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    kind_->setMinimumContentsLength(12);
    kind_->setObjectName(QStringLiteral("keyKind"));
    kind_->addItem(tr("Trained keys (from the model)"), int(Kind::Trained));
    kind_->addItem(tr("Drawn from a family"), int(Kind::Family));
    kind_->addItem(tr("Permutation of the trained keys"), int(Kind::Permutation));
    kind_->addItem(tr("From a file"), int(Kind::Values));
    form->addRow(tr("Keys:"), kind_);
    family_ = new ElidingComboBox(this);
    family_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    family_->setMinimumContentsLength(8);
    family_->setObjectName(QStringLiteral("keyFamily"));
    for (auto family : {mimo::KeyFamily::Gaussian, mimo::KeyFamily::Sphere, mimo::KeyFamily::Bipolar,
                        mimo::KeyFamily::Orthogonal, mimo::KeyFamily::Unitary}) {
        family_->addItem(QString::fromStdString(mimo::keyFamilyName(family)), int(family));
        family_->setItemData(family_->count() - 1, QString::fromStdString(mimo::keyFamilyDescription(family)),
                             Qt::ToolTipRole);
    }
    form->addRow(tr("Family:"), family_);
    seed_ = new QSpinBox(this);
    seed_->setObjectName(QStringLiteral("keySeed"));
    seed_->setRange(0, 1'000'000);
    seed_->setValue(1);
    form->addRow(tr("Seed:"), seed_);
    permutation_ = new QLineEdit(this);
    permutation_->setObjectName(QStringLiteral("keyOrder"));
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
    // The seed applies as it changes, like the family: typed digits settle first, so "42" is
    // one edit, not "4" then "42"; Enter or leaving the field applies at once.
    seedTimer_ = new QTimer(this);
    seedTimer_->setSingleShot(true);
    seedTimer_->setInterval(400);
    connect(seedTimer_, &QTimer::timeout, this, &KeyPanel::apply);
    connect(seed_, &QSpinBox::valueChanged, this, [this] {
        if (seed_->isEnabled() && Kind(kind_->currentData().toInt()) == Kind::Family && !showing_)
            seedTimer_->start();
    });
    connect(seed_, &QSpinBox::editingFinished, this, &KeyPanel::applyPendingSeed);
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

// The window closes: a seed still settling is not applied to a controller going away (the
// seed field's focus-out while it is destroyed would apply it).
KeyPanel::~KeyPanel() { seedTimer_->stop(); }

mimo::KeyChoice KeyPanel::choiceFromControls() const
{
    mimo::KeyChoice choice;
    choice.kind = Kind(kind_->currentData().toInt());
    choice.family = mimo::KeyFamily(family_->currentData().toInt());
    choice.seed = uint64_t(seed_->value());
    for (const QString& word : permutation_->text().split(QRegularExpression(QStringLiteral("[\\s,]+")), Qt::SkipEmptyParts))
        choice.permutation.push_back(word.toInt());
    return choice;
}

void KeyPanel::applyPendingSeed()
{
    if (seedTimer_->isActive())
        apply();
}

bool KeyPanel::hasPendingEdit() const { return seedTimer_->isActive(); }

void KeyPanel::apply()
{
    seedTimer_->stop();
    const auto choice = choiceFromControls();
    if (choice.kind == Kind::Values) {
        Q_EMIT loadFileRequested();
        return;
    }
    controller_->setKeys(choice);
}

QString KeyPanel::orderText(const std::vector<int>& order)
{
    QStringList words;
    for (int i : order)
        words << QString::number(i);
    return words.join(' ');
}

QString KeyPanel::identityOrder() const
{
    std::vector<int> order(size_t(std::max(controller_->model().keyCount, 1)));
    std::iota(order.begin(), order.end(), 0);
    return orderText(order);
}

void KeyPanel::shuffle()
{
    if (!controller_->hasModel() || !controller_->model().keysAdjustable)
        return;
    std::vector<int> order(size_t(std::max(controller_->model().keyCount, 1)));
    std::iota(order.begin(), order.end(), 0);
    QRandomGenerator random(quint32(seed_->value()) + quint32(QRandomGenerator::global()->generate()));
    std::shuffle(order.begin(), order.end(), random);
    permutation_->setText(orderText(order));
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
        showing_ = true; // the controller's keys, not an edit to apply again
        family_->setCurrentIndex(family_->findData(int(keys.family)));
        seed_->setValue(int(keys.seed));
        showing_ = false;
    }
    if (keys.kind == Kind::Permutation)
        permutation_->setText(orderText(keys.permutation));
    else if (model && int(choiceFromControls().permutation.size()) != controller_->model().keyCount)
        permutation_->setText(identityOrder()); // choosing "Permutation" starts from the trained order
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
