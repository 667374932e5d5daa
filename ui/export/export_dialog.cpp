#include "ui/export/export_dialog.h"

#include "ui/window/dialog_directories.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace {

const QString kDirectoryKey = QStringLiteral("export");
const QString kFormatKey = QStringLiteral("export/format");
const QString kDpiKey = QStringLiteral("export/dpi");
const QString kKeepProportionsKey = QStringLiteral("export/keepProportions");
QString sizeKey(const ExportItem& item) { return QStringLiteral("export/size/") + item.name; }

QString withSuffix(const QString& path, ExportFormat format)
{
    const QFileInfo info(path);
    ExportFormat named;
    const QString base = exportFormatForPath(path, &named) ? info.completeBaseName() : info.fileName();
    return QDir(info.path()).filePath(base + QLatin1Char('.') + exportFormatSuffix(format));
}

} // namespace

ExportDialog::ExportDialog(const QList<ExportItem>& items, int current, QWidget* parent)
    : QDialog(parent), items_(items)
{
    Q_ASSERT(!items_.isEmpty());
    setWindowTitle(tr("Export View"));
    view_ = new QComboBox(this);
    for (const ExportItem& item : items_)
        view_->addItem(item.title);
    view_->setCurrentIndex(std::clamp(current, 0, int(items_.size()) - 1));
    format_ = new QComboBox(this);
    format_->addItem(tr("PNG image"), int(ExportFormat::Png));
    format_->addItem(tr("PDF document (vector)"), int(ExportFormat::Pdf));
    format_->addItem(tr("SVG drawing (vector)"), int(ExportFormat::Svg));
    width_ = new QSpinBox(this);
    height_ = new QSpinBox(this);
    for (QSpinBox* side : {width_, height_}) {
        side->setRange(1, 20000);
        side->setSuffix(tr(" px"));
    }
    keepProportions_ = new QCheckBox(tr("Keep proportions"), this);
    dpi_ = new QSpinBox(this);
    dpi_->setRange(10, 2400);
    dpi_->setSuffix(tr(" DPI"));
    dpi_->setToolTip(tr("Recorded in PNG images and sets the PDF page's size; the drawing is the same"));
    path_ = new QLineEdit(this);
    auto* browse = new QPushButton(tr("Browse…"), this);
    problem_ = new QLabel(this);
    problem_->setWordWrap(true);
    problem_->hide();

    auto* sizeRow = new QHBoxLayout;
    sizeRow->addWidget(width_);
    sizeRow->addWidget(new QLabel(QStringLiteral("×"), this));
    sizeRow->addWidget(height_);
    sizeRow->addWidget(keepProportions_);
    sizeRow->addStretch(1);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(path_, 1);
    pathRow->addWidget(browse);
    auto* form = new QFormLayout;
    form->addRow(tr("&View:"), view_);
    form->labelForField(view_)->setVisible(items_.size() > 1);
    view_->setVisible(items_.size() > 1);
    form->addRow(tr("&Format:"), format_);
    // Rows of several widgets: a label with a buddy, so "&" marks a mnemonic and is not shown.
    const auto labelFor = [this](const QString& text, QWidget* buddy) {
        auto* label = new QLabel(text, this);
        label->setBuddy(buddy);
        return label;
    };
    form->addRow(labelFor(tr("&Size:"), width_), sizeRow);
    form->addRow(tr("&Resolution:"), dpi_);
    form->addRow(labelFor(tr("F&ile:"), path_), pathRow);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(problem_);
    layout->addWidget(buttons);

    const QSettings settings;
    ExportFormat format = ExportFormat::Png;
    exportFormatForPath(QStringLiteral("x.") + settings.value(kFormatKey).toString(), &format);
    format_->setCurrentIndex(format_->findData(int(format)));
    dpi_->setValue(int(std::lround(settings.value(kDpiKey, kDefaultExportDpi).toDouble())));
    keepProportions_->setChecked(settings.value(kKeepProportionsKey, true).toBool());
    itemChosen();
    formatChosen();

    connect(view_, &QComboBox::currentIndexChanged, this, &ExportDialog::itemChosen);
    connect(format_, &QComboBox::currentIndexChanged, this, &ExportDialog::formatChosen);
    connect(path_, &QLineEdit::textEdited, this, &ExportDialog::pathEdited);
    connect(width_, &QSpinBox::valueChanged, this, &ExportDialog::widthEdited);
    connect(height_, &QSpinBox::valueChanged, this, &ExportDialog::heightEdited);
    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(buttons, &QDialogButtonBox::accepted, this, &ExportDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);
}

const ExportItem& ExportDialog::item() const { return items_[std::max(0, view_->currentIndex())]; }
ExportFormat ExportDialog::format() const { return ExportFormat(format_->currentData().toInt()); }
QSize ExportDialog::pixels() const { return {width_->value(), height_->value()}; }
double ExportDialog::dpi() const { return dpi_->value(); }
QString ExportDialog::path() const
{
    const QString text = path_->text().trimmed();
    return text.isEmpty() ? QString() : withSuffix(text, format());
}
QString ExportDialog::problem() const { return problem_->text(); }

void ExportDialog::selectItem(int index) { view_->setCurrentIndex(index); }
void ExportDialog::setFormat(ExportFormat format) { format_->setCurrentIndex(format_->findData(int(format))); }
void ExportDialog::setDpi(double dpi) { dpi_->setValue(int(std::lround(dpi))); }

void ExportDialog::setPixels(const QSize& pixels)
{
    const QSignalBlocker widthBlocker(width_), heightBlocker(height_);
    width_->setValue(pixels.width());
    height_->setValue(pixels.height());
}

void ExportDialog::setPath(const QString& path)
{
    path_->setText(path);
    pathEdited();
}

QString ExportDialog::defaultPath() const
{
    return QDir(dialogDirectory(kDirectoryKey)).filePath(item().name + QLatin1Char('.') + exportFormatSuffix(format()));
}

void ExportDialog::itemChosen()
{
    // A path still named after the previous view follows the new one; a name people typed stays.
    const QString previousBase = QFileInfo(path_->text()).completeBaseName();
    const bool defaultName = path_->text().isEmpty()
                             || std::any_of(items_.begin(), items_.end(),
                                            [&](const ExportItem& item) { return item.name == previousBase; });
    if (defaultName) {
        const QString folder = path_->text().isEmpty() ? dialogDirectory(kDirectoryKey) : QFileInfo(path_->text()).path();
        path_->setText(QDir(folder).filePath(item().name + QLatin1Char('.') + exportFormatSuffix(format())));
    }
    const QSize remembered = QSettings().value(sizeKey(item())).toSize();
    setPixels(remembered.isValid() && !remembered.isEmpty() ? remembered : defaultExportPixels(item()));
}

void ExportDialog::formatChosen()
{
    if (!path_->text().trimmed().isEmpty())
        path_->setText(withSuffix(path_->text().trimmed(), format()));
    dpi_->setEnabled(format() != ExportFormat::Svg);
}

void ExportDialog::pathEdited()
{
    ExportFormat named;
    if (exportFormatForPath(path_->text().trimmed(), &named) && named != format()) {
        const QSignalBlocker blocker(format_); // the suffix people typed stays as it is
        format_->setCurrentIndex(format_->findData(int(named)));
        dpi_->setEnabled(named != ExportFormat::Svg);
    }
}

void ExportDialog::widthEdited()
{
    if (!keepProportions_->isChecked())
        return;
    const QSize natural = item().size;
    const QSignalBlocker blocker(height_);
    height_->setValue(std::max(1, int(std::lround(double(width_->value()) * natural.height() / natural.width()))));
}

void ExportDialog::heightEdited()
{
    if (!keepProportions_->isChecked())
        return;
    const QSize natural = item().size;
    const QSignalBlocker blocker(width_);
    width_->setValue(std::max(1, int(std::lround(double(height_->value()) * natural.width() / natural.height()))));
}

void ExportDialog::browse()
{
    const QString filter = format() == ExportFormat::Pdf   ? tr("PDF documents (*.pdf)")
                           : format() == ExportFormat::Svg ? tr("SVG drawings (*.svg)")
                                                           : tr("PNG images (*.png)");
    const QString all = tr("PNG images (*.png)") + QStringLiteral(";;") + tr("PDF documents (*.pdf)")
                        + QStringLiteral(";;") + tr("SVG drawings (*.svg)");
    QString chosenFilter = filter;
    const QString chosen = QFileDialog::getSaveFileName(this, tr("Export View"), path().isEmpty() ? defaultPath() : path(),
                                                        all, &chosenFilter);
    if (chosen.isEmpty())
        return;
    ExportFormat named;
    if (!exportFormatForPath(chosen, &named)) // no suffix typed: the filter chosen says which
        named = chosenFilter.contains(QStringLiteral("*.pdf"))   ? ExportFormat::Pdf
                : chosenFilter.contains(QStringLiteral("*.svg")) ? ExportFormat::Svg
                                                                 : ExportFormat::Png;
    browsedPath_ = withSuffix(chosen, named);
    setPath(browsedPath_);
    setFormat(named);
}

void ExportDialog::showProblem(const QString& text)
{
    problem_->setText(text);
    problem_->setVisible(!text.isEmpty());
}

void ExportDialog::accept()
{
    const QString target = path();
    if (target.isEmpty())
        return showProblem(tr("Choose a file to export to."));
    const QFileInfo info(target);
    if (!info.absoluteDir().exists())
        return showProblem(tr("The folder %1 does not exist.").arg(QDir::toNativeSeparators(info.absolutePath())));
    if (info.isDir())
        return showProblem(tr("%1 is a folder; choose a file name.").arg(QDir::toNativeSeparators(target)));
    const QString sizeProblem = exportSizeProblem(pixels(), dpi());
    if (!sizeProblem.isEmpty())
        return showProblem(sizeProblem);
    if (info.exists() && target != browsedPath_
        && QMessageBox::question(this, tr("Replace File"),
                                 tr("%1 already exists. Replace it?").arg(QDir::toNativeSeparators(target)))
               != QMessageBox::Yes)
        return;
    showProblem({});
    QSettings settings;
    settings.setValue(kFormatKey, exportFormatSuffix(format()));
    settings.setValue(kDpiKey, dpi());
    settings.setValue(kKeepProportionsKey, keepProportions_->isChecked());
    settings.setValue(sizeKey(item()), pixels());
    rememberDirectory(kDirectoryKey, target);
    QDialog::accept();
}
