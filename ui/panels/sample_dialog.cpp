#include "ui/panels/sample_dialog.h"

#include "ui/controller/explorer_controller.h"
#include "ui/controller/input_requests.h"
#include "ui/widgets/counted.h"

#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>

SampleDialog::SampleDialog(ExplorerController* controller, int selectedSlot, QWidget* parent)
    : QDialog(parent), controller_(controller)
{
    setWindowTitle(tr("Dataset samples"));
    auto* form = new QFormLayout(this);
    dataset_ = new QLineEdit(controller_->sampleDataset(), this);
    QStringList forms;
    for (const auto& spec : mimo::datasetSpecForms())
        forms << QString::fromStdString(spec);
    dataset_->setToolTip(tr("A dataset, in one of these forms:\n%1").arg(forms.join('\n')));
    dataset_->setPlaceholderText(tr("e.g. fashion-mnist:test"));
    form->addRow(tr("Dataset:"), dataset_);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    form->addRow(status_);
    random_ = new QRadioButton(tr("Random items"), this);
    ofClass_ = new QRadioButton(tr("Items of one class"), this);
    byIndex_ = new QRadioButton(tr("Items from index"), this);
    random_->setChecked(true);
    class_ = new QComboBox(this);
    index_ = new QSpinBox(this);
    index_->setRange(0, 0);
    seed_ = new QSpinBox(this);
    seed_->setRange(0, 1'000'000);
    seed_->setValue(int(QDateTime::currentMSecsSinceEpoch() % 1000));
    form->addRow(random_);
    form->addRow(ofClass_, class_);
    form->addRow(byIndex_, index_);
    form->addRow(tr("Seed:"), seed_);
    target_ = new QComboBox(this);
    target_->addItem(tr("Every slot"), 0);
    const int n = controller_->n();
    for (int i = 0; i < n; ++i)
        target_->addItem(tr("Slot %1 only").arg(i + 1), i + 1);
    target_->setCurrentIndex(selectedSlot > 0 && n > 1 ? selectedSlot + 1 : 0);
    form->addRow(tr("Fill:"), target_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(dataset_, &QLineEdit::editingFinished, this, &SampleDialog::describe);
    connect(class_, &QComboBox::activated, this, [this] { ofClass_->setChecked(true); });
    connect(index_, &QSpinBox::valueChanged, this, [this] { byIndex_->setChecked(true); });
    describe();
}

void SampleDialog::describe()
{
    if (dataset().isEmpty()) {
        status_->setText(tr("No dataset is known for this model; type one."));
        return;
    }
    status_->setText(tr("Opening %1…").arg(dataset()));
    controller_->inputs().describeDataset(dataset(), this, [this](qint64 size, const QStringList& classes) {
        status_->setText(tr("%1, %2").arg(counted(size, tr("1 item"), tr("%1 items")),
                                             counted(classes.size(), tr("1 class"), tr("%1 classes"))));
        index_->setRange(0, int(std::max<qint64>(0, size - 1)));
        class_->clear();
        for (int i = 0; i < classes.size(); ++i)
            class_->addItem(classes[i], i);
    });
}

QString SampleDialog::dataset() const { return dataset_->text().trimmed(); }

mimo::SampleQuery SampleDialog::query() const
{
    mimo::SampleQuery query;
    query.mode = random_->isChecked()  ? mimo::SampleQuery::Mode::Random
                 : ofClass_->isChecked() ? mimo::SampleQuery::Mode::OfClass
                                         : mimo::SampleQuery::Mode::Index;
    query.classIndex = class_->currentData().toInt();
    query.index = index_->value();
    query.seed = uint64_t(seed_->value());
    query.count = target_->currentData().toInt() == 0 ? controller_->n() : 1;
    return query;
}

int SampleDialog::firstSlot() const { return std::max(0, target_->currentData().toInt() - 1); }
