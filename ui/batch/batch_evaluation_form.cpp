#include "ui/batch/batch_evaluation_form.h"

#include "ui/batch/batch_model_list.h"
#include "ui/batch/dataset_choice.h"
#include "ui/widgets/device_label.h"
#include "ui/widgets/n_list.h"
#include "ui/window/dialog_directories.h"

#include "core/data/dataset_spec.h"
#include "core/vsa/key_family.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>

namespace {

const QString kGroup = QStringLiteral("batchEvaluation/");
enum KeysItem { TrainedKeys = 0, FamilyKeys = 1, ConfiguredKeys = 2 };

} // namespace

BatchEvaluationForm::BatchEvaluationForm(QWidget* parent) : QWidget(parent)
{

    models_ = new BatchModelList;

    datasetKind_ = new QComboBox;
    datasetKind_->setObjectName(QStringLiteral("datasetKind"));
    for (DatasetKind kind : allDatasetKinds())
        datasetKind_->addItem(datasetKindLabel(kind), int(kind));
    spec_ = new QLineEdit;
    spec_->setObjectName(QStringLiteral("datasetSpec"));
    QStringList forms;
    for (const auto& form : mimo::datasetSpecForms())
        forms << QString::fromStdString(form);
    spec_->setToolTip(tr("The dataset spec evaluated; type any of these forms:\n%1").arg(forms.join('\n')));
    browse_ = new QPushButton(tr("Browse…"));
    split_ = new QComboBox;
    split_->setObjectName(QStringLiteral("split"));
    split_->addItem(tr("Test split"), QStringLiteral("test"));
    split_->addItem(tr("Training split"), QStringLiteral("train"));
    pixels_ = new QCheckBox(tr("Read as pixel sequences (pixels:, for sequence models)"));
    pixels_->setObjectName(QStringLiteral("pixels"));
    ns_ = new QLineEdit;
    ns_->setObjectName(QStringLiteral("nValues"));
    ns_->setPlaceholderText(tr("e.g. 1, 2, 4; empty: every N each model serves"));
    keys_ = new QComboBox;
    keys_->setObjectName(QStringLiteral("keys"));
    keys_->addItem(tr("Trained keys"), int(TrainedKeys));
    keys_->addItem(tr("Drawn from a family"), int(FamilyKeys));
    family_ = new QComboBox;
    family_->setObjectName(QStringLiteral("keyFamily"));
    for (auto family : mimo::allKeyFamilies()) {
        family_->addItem(QString::fromStdString(mimo::keyFamilyName(family)), int(family));
        family_->setItemData(family_->count() - 1, QString::fromStdString(mimo::keyFamilyDescription(family)),
                             Qt::ToolTipRole);
    }
    seed_ = new QSpinBox;
    seed_->setObjectName(QStringLiteral("keySeed"));
    seed_->setRange(0, INT_MAX);
    seed_->setValue(1);
    seed_->setPrefix(tr("seed "));
    bn_ = new QComboBox;
    bn_->setObjectName(QStringLiteral("bn"));
    bn_->addItem(tr("Running statistics"), false);
    bn_->addItem(tr("Batch statistics (the official evaluation)"), true);
    bn_->setToolTip(tr("MIMOConv only; a MIMOFormer has layer norms"));
    batch_ = new QSpinBox;
    batch_->setObjectName(QStringLiteral("batch"));
    batch_->setRange(1, 65536);
    batch_->setValue(256);
    device_ = new QComboBox;
    device_->setObjectName(QStringLiteral("device"));
    limit_ = new QSpinBox;
    limit_->setObjectName(QStringLiteral("limit"));
    limit_->setRange(0, INT_MAX);
    limit_->setSingleStep(1000);
    limit_->setSuffix(tr(" items"));
    limit_->setSpecialValueText(tr("All items"));

    auto* specRow = new QHBoxLayout;
    specRow->addWidget(spec_, 1);
    specRow->addWidget(browse_);
    auto* splitRow = new QHBoxLayout;
    splitRow->addWidget(split_);
    splitRow->addWidget(pixels_, 1);
    auto* keysRow = new QHBoxLayout;
    keysRow->addWidget(keys_);
    keysRow->addWidget(family_);
    keysRow->addWidget(seed_);
    auto* form = new QFormLayout;
    form->addRow(tr("Dataset:"), datasetKind_);
    form->addRow(QString(), specRow);
    form->addRow(QString(), splitRow);
    form->addRow(tr("N values:"), ns_);
    form->addRow(tr("Keys:"), keysRow);
    form->addRow(tr("Batch norm:"), bn_);
    form->addRow(tr("Batch size:"), batch_);
    form->addRow(tr("Device:"), device_);
    form->addRow(tr("Limit:"), limit_);
    auto* top = new QHBoxLayout(this);
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(models_, 2);
    top->addLayout(form, 3);


    connect(datasetKind_, &QComboBox::currentIndexChanged, this, [this] {
        showDatasetKind();
        rebuildSpec();
    });
    connect(datasetKind_, &QComboBox::activated, this, [this] {
        const DatasetKind kind = allDatasetKinds()[std::size_t(datasetKindIndex())];
        if (datasetSource(kind) != DatasetSource::None && paths_.value(datasetKindKey(kind)).isEmpty())
            browse(); // the "…" in the label promises a file dialog
    });
    connect(spec_, &QLineEdit::textEdited, this, &BatchEvaluationForm::followTypedSpec);
    connect(browse_, &QPushButton::clicked, this, &BatchEvaluationForm::browse);
    connect(split_, &QComboBox::currentIndexChanged, this, &BatchEvaluationForm::rebuildSpec);
    connect(pixels_, &QCheckBox::toggled, this, &BatchEvaluationForm::rebuildSpec);
    connect(keys_, &QComboBox::currentIndexChanged, this, &BatchEvaluationForm::showKeysKind);
    setDevices({QStringLiteral("cpu")}, QStringLiteral("cpu"));
    loadSettings();
}

void BatchEvaluationForm::setRunning(bool running)
{
    for (QWidget* widget :
         std::initializer_list<QWidget*>{datasetKind_, spec_, ns_, keys_, bn_, batch_, device_, limit_})
        widget->setEnabled(!running);
    models_->setEditable(!running);
    if (running) {
        browse_->setEnabled(false);
        split_->setEnabled(false);
        pixels_->setEnabled(false);
        family_->setEnabled(false);
        seed_->setEnabled(false);
    } else {
        showDatasetKind();
        showKeysKind();
    }
}

// --- Models ---------------------------------------------------------------------------------

void BatchEvaluationForm::setCatalog(const std::vector<mimo::ModelListing>& models) { models_->setCatalog(models); }

void BatchEvaluationForm::setCurrentModel(const QString& path) { models_->setCurrentModel(path); }


void BatchEvaluationForm::setDevices(const QStringList& devices, const QString& current)
{
    const QSignalBlocker blocker(device_);
    device_->clear();
    for (const QString& device : devices)
        device_->addItem(deviceLabel(device), device);
    int index = device_->findData(preferredDevice_);
    if (index < 0)
        index = device_->findData(current);
    device_->setCurrentIndex(std::max(index, 0));
}

// --- Dataset --------------------------------------------------------------------------------

int BatchEvaluationForm::datasetKindIndex() const { return std::max(datasetKind_->currentIndex(), 0); }

void BatchEvaluationForm::showDatasetKind()
{
    const DatasetKind kind = allDatasetKinds()[std::size_t(datasetKindIndex())];
    browse_->setEnabled(datasetSource(kind) != DatasetSource::None);
    split_->setEnabled(datasetHasSplit(kind));
    pixels_->setEnabled(datasetIsImages(kind));
    spec_->setPlaceholderText(kind == DatasetKind::OwnTestSplit ? tr("each model's own test split")
                              : datasetSource(kind) == DatasetSource::Folder ? tr("choose the folder with Browse…")
                              : datasetSource(kind) == DatasetSource::File   ? tr("choose the file with Browse…")
                                                                             : QString());
}

void BatchEvaluationForm::rebuildSpec()
{
    DatasetChoice choice;
    choice.kind = allDatasetKinds()[std::size_t(datasetKindIndex())];
    choice.path = paths_.value(datasetKindKey(choice.kind));
    choice.split = split_->currentData().toString();
    choice.pixels = pixels_->isChecked();
    spec_->setText(datasetSpec(choice));
}

void BatchEvaluationForm::followTypedSpec()
{
    const auto choice = datasetChoiceFromSpec(spec_->text());
    if (!choice)
        return; // a spec the combos cannot show: the text is what counts
    const QSignalBlocker kindBlocker(datasetKind_), splitBlocker(split_), pixelsBlocker(pixels_);
    datasetKind_->setCurrentIndex(datasetKind_->findData(int(choice->kind)));
    split_->setCurrentIndex(std::max(split_->findData(choice->split), 0));
    pixels_->setChecked(choice->pixels);
    if (!choice->path.isEmpty())
        paths_[datasetKindKey(choice->kind)] = choice->path;
    showDatasetKind();
}

void BatchEvaluationForm::browse()
{
    const DatasetKind kind = allDatasetKinds()[std::size_t(datasetKindIndex())];
    const QString key = datasetKindKey(kind);
    const QString label = datasetKindLabel(kind).remove(QStringLiteral("…"));
    const QString from = paths_.value(key, dialogDirectory("datasets"));
    QString chosen;
    if (datasetSource(kind) == DatasetSource::Folder)
        chosen = QFileDialog::getExistingDirectory(this, label, from);
    else if (datasetSource(kind) == DatasetSource::File)
        chosen = QFileDialog::getOpenFileName(this, label, from, tr("TSV files (*.tsv);;All files (*)"));
    if (chosen.isEmpty())
        return;
    rememberDirectory("datasets", chosen);
    paths_[key] = chosen;
    rebuildSpec();
}

// --- Keys -----------------------------------------------------------------------------------

void BatchEvaluationForm::showKeysKind()
{
    const bool family = keys_->currentData().toInt() == FamilyKeys;
    family_->setEnabled(family);
    seed_->setEnabled(family);
}

// --- The form as a config -------------------------------------------------------------------

bool BatchEvaluationForm::read(mimo::BatchConfig* config, QString* problem) const
{
    QStringList problems;
    for (const QString& path : models_->checkedPaths())
        config->models.push_back(path.toStdString());
    if (config->models.empty())
        problems << tr("Check at least one model to evaluate (or add model files).");

    config->dataset = spec_->text().trimmed().toStdString();
    const DatasetKind kind = allDatasetKinds()[std::size_t(datasetKindIndex())];
    if (config->dataset.empty() && kind != DatasetKind::OwnTestSplit)
        problems << (datasetSource(kind) == DatasetSource::None
                         ? tr("The dataset spec is empty: type one, or choose \"%1\".")
                               .arg(datasetKindLabel(DatasetKind::OwnTestSplit))
                         : tr("Choose the %1 with Browse…, or type a dataset spec.")
                               .arg(datasetSource(kind) == DatasetSource::Folder ? tr("folder") : tr("file")));

    QString bad;
    config->ns = parseNList(ns_->text(), &bad);
    if (!bad.isEmpty())
        problems << tr("Cannot read the N values: \"%1\" is not a whole number of 1 or more. Write them like "
                       "1, 2, 4, or leave the line empty for every N each model serves.")
                        .arg(bad);

    switch (keys_->currentData().toInt()) {
    case FamilyKeys:
        config->keys.kind = mimo::KeyChoice::Kind::Family;
        config->keys.family = mimo::KeyFamily(family_->currentData().toInt());
        config->keys.seed = uint64_t(seed_->value());
        break;
    case ConfiguredKeys: config->keys = configKeys_; break;
    default: config->keys = mimo::KeyChoice{}; break;
    }
    config->batchStatisticsBn = bn_->currentData().toBool();
    config->batch = batch_->value();
    config->device = device_->currentData().toString().toStdString();
    if (config->device.empty())
        config->device = "cpu";
    config->limit = std::size_t(limit_->value());
    config->dataDir = dataDir_;
    config->skipUnservedN = skipUnservedN_;
    if (problem && !problems.isEmpty())
        *problem = problems.front();
    return problems.isEmpty();
}

mimo::BatchConfig BatchEvaluationForm::config() const
{
    mimo::BatchConfig config;
    read(&config, nullptr);
    return config;
}

void BatchEvaluationForm::setConfig(const mimo::BatchConfig& config)
{
    QStringList models;
    for (const auto& model : config.models)
        models << QString::fromStdString(model);
    models_->setCheckedPaths(models);

    const QString spec = QString::fromStdString(config.dataset);
    spec_->setText(spec);
    followTypedSpec(); // the combos follow when they can show the spec; the text stays as given
    ns_->setText(formatNList(config.ns));

    using Kind = mimo::KeyChoice::Kind;
    if (keys_->count() > ConfiguredKeys)
        keys_->removeItem(ConfiguredKeys);
    if (config.keys.kind == Kind::Trained) {
        keys_->setCurrentIndex(TrainedKeys);
    } else if (config.keys.kind == Kind::Family && config.keys.seed <= quint64(INT_MAX)) {
        keys_->setCurrentIndex(FamilyKeys);
        family_->setCurrentIndex(std::max(family_->findData(int(config.keys.family)), 0));
        seed_->setValue(int(config.keys.seed));
    } else {
        configKeys_ = config.keys;
        keys_->addItem(tr("As configured: %1").arg(QString::fromStdString(config.keys.describe())),
                       int(ConfiguredKeys));
        keys_->setCurrentIndex(ConfiguredKeys);
    }
    showKeysKind();
    bn_->setCurrentIndex(config.batchStatisticsBn ? 1 : 0);
    batch_->setValue(std::clamp(config.batch, batch_->minimum(), batch_->maximum()));
    limit_->setValue(int(std::min<std::size_t>(config.limit, std::size_t(INT_MAX))));
    const QString device = QString::fromStdString(config.device);
    if (device_->findData(device) < 0)
        device_->addItem(deviceLabel(device), device);
    device_->setCurrentIndex(device_->findData(device));
    dataDir_ = config.dataDir;
    skipUnservedN_ = config.skipUnservedN;
}

// --- Settings -------------------------------------------------------------------------------

void BatchEvaluationForm::loadSettings()
{
    QSettings settings;
    for (DatasetKind kind : allDatasetKinds()) {
        const QString key = datasetKindKey(kind);
        const QString path = settings.value(kGroup + "paths/" + key).toString();
        if (!path.isEmpty())
            paths_[key] = path;
    }
    const QSignalBlocker kindBlocker(datasetKind_), splitBlocker(split_), pixelsBlocker(pixels_);
    if (const auto kind = datasetKindFromKey(settings.value(kGroup + "datasetKind").toString()))
        datasetKind_->setCurrentIndex(datasetKind_->findData(int(*kind)));
    split_->setCurrentIndex(std::max(split_->findData(settings.value(kGroup + "split", "test")), 0));
    pixels_->setChecked(settings.value(kGroup + "pixels", false).toBool());
    if (settings.contains(kGroup + "spec"))
        spec_->setText(settings.value(kGroup + "spec").toString());
    else
        rebuildSpec();
    ns_->setText(settings.value(kGroup + "ns").toString());
    keys_->setCurrentIndex(settings.value(kGroup + "keys").toString() == "family" ? FamilyKeys : TrainedKeys);
    if (const auto family = mimo::parseKeyFamily(settings.value(kGroup + "family").toString().toStdString()))
        family_->setCurrentIndex(std::max(family_->findData(int(*family)), 0));
    seed_->setValue(settings.value(kGroup + "seed", 1).toInt());
    bn_->setCurrentIndex(settings.value(kGroup + "bn").toString() == "batch" ? 1 : 0);
    batch_->setValue(settings.value(kGroup + "batch", 256).toInt());
    limit_->setValue(settings.value(kGroup + "limit", 0).toInt());
    preferredDevice_ = settings.value(kGroup + "device").toString();
    const int device = device_->findData(preferredDevice_);
    if (device >= 0)
        device_->setCurrentIndex(device);
    showDatasetKind();
    showKeysKind();
}

void BatchEvaluationForm::remember()
{
    preferredDevice_ = device_->currentData().toString();
    QSettings settings;
    settings.setValue(kGroup + "datasetKind", datasetKindKey(allDatasetKinds()[std::size_t(datasetKindIndex())]));
    for (auto it = paths_.cbegin(); it != paths_.cend(); ++it)
        settings.setValue(kGroup + "paths/" + it.key(), it.value());
    settings.setValue(kGroup + "split", split_->currentData());
    settings.setValue(kGroup + "pixels", pixels_->isChecked());
    settings.setValue(kGroup + "spec", spec_->text().trimmed());
    settings.setValue(kGroup + "ns", ns_->text().trimmed());
    settings.setValue(kGroup + "keys", keys_->currentData().toInt() == FamilyKeys ? "family" : "trained");
    settings.setValue(kGroup + "family",
                      QString::fromStdString(mimo::keyFamilyName(mimo::KeyFamily(family_->currentData().toInt()))));
    settings.setValue(kGroup + "seed", seed_->value());
    settings.setValue(kGroup + "bn", bn_->currentData().toBool() ? "batch" : "running");
    settings.setValue(kGroup + "batch", batch_->value());
    settings.setValue(kGroup + "limit", limit_->value());
    settings.setValue(kGroup + "device", device_->currentData());
}

