#pragma once
// Asks how to export a view: which view (when several are offered), the format (PNG, PDF or
// SVG, also taken from the file name's suffix), the size in pixels (by default twice the
// view's natural size, proportions kept unless unticked), the DPI and the file. The format,
// the DPI, the last size per view and the folder are remembered (QSettings).
#include "ui/export/export_item.h"
#include "ui/export/export_rendering.h"

#include <QDialog>
#include <QList>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    // `items` must not be empty; `current` is the one chosen first.
    explicit ExportDialog(const QList<ExportItem>& items, int current = 0, QWidget* parent = nullptr);

    const ExportItem& item() const;
    ExportFormat format() const;
    QSize pixels() const;
    double dpi() const;
    QString path() const; // with the format's suffix

    // What people set in the fields (tests).
    void selectItem(int index);
    void setFormat(ExportFormat format);
    void setPixels(const QSize& pixels);
    void setDpi(double dpi);
    void setPath(const QString& path);
    QString problem() const; // why the last accept() was refused, "" otherwise

    void accept() override; // refuses a missing folder or an impossible size; remembers the choices

private:
    void itemChosen();
    void formatChosen();
    void pathEdited();
    void widthEdited();
    void heightEdited();
    void browse();
    QString defaultPath() const;
    void showProblem(const QString& text);

    QList<ExportItem> items_;
    QComboBox* view_ = nullptr;
    QComboBox* format_ = nullptr;
    QSpinBox* width_ = nullptr;
    QSpinBox* height_ = nullptr;
    QCheckBox* keepProportions_ = nullptr;
    QSpinBox* dpi_ = nullptr;
    QLineEdit* path_ = nullptr;
    QLabel* problem_ = nullptr;
    QString browsedPath_; // chosen in the file dialog, which already asked about replacing it
};
