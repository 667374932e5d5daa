#include "ui/batch/batch_results_table.h"
#include "ui/widgets/counted.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFileInfo>
#include <QHeaderView>
#include <QKeyEvent>
#include <QStyle>

#include <algorithm>

namespace {

constexpr int kSortRole = Qt::UserRole + 1;

// Numbers sort as numbers, text as text; an empty cell sorts before everything.
class SortableItem : public QTableWidgetItem {
public:
    SortableItem(const QString& text, const QVariant& key) : QTableWidgetItem(text)
    {
        setData(kSortRole, key);
        setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    }

    bool operator<(const QTableWidgetItem& other) const override
    {
        const QVariant a = data(kSortRole), b = other.data(kSortRole);
        if (!a.isValid() || !b.isValid())
            return !a.isValid() && b.isValid();
        if (a.typeId() == QMetaType::Double && b.typeId() == QMetaType::Double)
            return a.toDouble() < b.toDouble();
        return QString::localeAwareCompare(a.toString(), b.toString()) < 0;
    }
};

QString modelName(const mimo::BatchModelResult& model)
{
    return model.name.empty() ? QFileInfo(QString::fromStdString(model.path)).fileName()
                              : QString::fromStdString(model.name);
}

QStringList classNamesOf(const mimo::BatchModelResult& model)
{
    QStringList names;
    for (const auto& name : model.classNames)
        names << QString::fromStdString(name);
    std::size_t classes = 0;
    for (const auto& row : model.report.rows)
        classes = std::max(classes, row.perClassAccuracy.size());
    for (std::size_t i = std::size_t(names.size()); i < classes; ++i)
        names << BatchResultsTable::tr("class %1").arg(i);
    return names;
}

// The problem, with the model's file named (a broken file has no card name to show).
QString problemText(const mimo::BatchModelResult& model)
{
    const QString error = QString::fromStdString(model.error);
    const QString file = QFileInfo(QString::fromStdString(model.path)).fileName();
    return file.isEmpty() || error.contains(file) ? error : QStringLiteral("%1: %2").arg(file, error);
}

QString percent(double fraction, int decimals = 2) { return QString::number(100.0 * fraction, 'f', decimals); }

} // namespace

BatchResultsTable::BatchResultsTable(QWidget* parent) : QTableWidget(parent)
{
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setAlternatingRowColors(true);
    verticalHeader()->setVisible(false);
    horizontalHeader()->setSectionsClickable(true);
    horizontalHeader()->setHighlightSections(false);
    connect(horizontalHeader(), &QHeaderView::sectionClicked, this, &BatchResultsTable::sortBy);

    auto* copy = new QAction(tr("Copy"), this);
    connect(copy, &QAction::triggered, this, &BatchResultsTable::copySelection);
    auto* selectEverything = new QAction(tr("Select All"), this);
    connect(selectEverything, &QAction::triggered, this, &QTableWidget::selectAll);
    addAction(copy);
    addAction(selectEverything);
    setContextMenuPolicy(Qt::ActionsContextMenu);
    setResult({});
}

void BatchResultsTable::setResult(const mimo::BatchResult& result)
{
    QStringList classes;
    for (const auto& model : result.models)
        for (const QString& name : classNamesOf(model))
            if (!classes.contains(name))
                classes << name;

    setRowCount(0);
    setColumnCount(FirstClassColumn + int(classes.size()));
    QStringList headers{tr("Model"), tr("N"), tr("Accuracy (%)"), tr("95 % interval (%)"), tr("Correct / count"),
                        tr("Inputs/s"), tr("Speedup"), tr("Note")};
    headers << classes;
    setHorizontalHeaderLabels(headers);
    for (int c = FirstClassColumn; c < columnCount(); ++c)
        horizontalHeaderItem(c)->setToolTip(tr("Accuracy (%) on class %1").arg(headers[c]));

    const QIcon warning = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    auto addRow = [&](const mimo::BatchModelResult& model) {
        const int row = rowCount();
        insertRow(row);
        auto* name = new SortableItem(modelName(model), modelName(model));
        name->setToolTip(QString::fromStdString(model.path)
                         + (model.dataset.empty() ? QString() : QStringLiteral("\n") + QString::fromStdString(model.dataset)));
        setItem(row, ModelColumn, name);
        return row;
    };
    auto setNote = [&](int row, const QString& note, bool problem) {
        auto* item = new SortableItem(note, note);
        item->setToolTip(note);
        if (problem)
            item->setIcon(warning);
        setItem(row, NoteColumn, item);
    };

    for (const auto& model : result.models) {
        if (model.report.rows.empty() && !model.error.empty()) {
            setNote(addRow(model), problemText(model), true);
            continue;
        }
        const QStringList names = classNamesOf(model);
        for (const auto& evaluated : model.report.rows) {
            const int row = addRow(model);
            setItem(row, NColumn, new SortableItem(QString::number(evaluated.n), double(evaluated.n)));
            setItem(row, AccuracyColumn, new SortableItem(percent(evaluated.accuracy), evaluated.accuracy));
            setItem(row, IntervalColumn,
                    new SortableItem(QStringLiteral("%1 – %2").arg(percent(evaluated.ciLow), percent(evaluated.ciHigh)),
                                     evaluated.ciLow));
            setItem(row, CorrectColumn,
                    new SortableItem(QStringLiteral("%1 / %2").arg(evaluated.correct).arg(evaluated.count),
                                     double(evaluated.correct)));
            setItem(row, InputsPerSecondColumn,
                    new SortableItem(QString::number(evaluated.inputsPerSecond, 'f', evaluated.inputsPerSecond < 100 ? 1 : 0),
                                     evaluated.inputsPerSecond));
            setItem(row, SpeedupColumn,
                    new SortableItem(QString::number(evaluated.speedup, 'f', 2) + QStringLiteral("x"), evaluated.speedup));
            for (std::size_t c = 0; c < evaluated.perClassAccuracy.size() && c < std::size_t(names.size()); ++c) {
                const double accuracy = evaluated.perClassAccuracy[c];
                setItem(row, FirstClassColumn + int(classes.indexOf(names[int(c)])),
                        new SortableItem(percent(accuracy, 1), accuracy));
            }
            if (!model.error.empty())
                setNote(row, problemText(model), true);
            else if (model.report.cancelled)
                setNote(row, counted(qint64(evaluated.count), tr("cancelled: 1 item evaluated"),
                                         tr("cancelled: %1 items evaluated")), false);
        }
        for (int n : model.skippedNs) {
            const int row = addRow(model);
            setItem(row, NColumn, new SortableItem(QString::number(n), double(n)));
            setNote(row, tr("this model does not serve N=%1").arg(n), false);
        }
    }
    if (sortColumn_ >= 0 && sortColumn_ < columnCount())
        sortItems(sortColumn_, sortOrder_);
    resizeColumnsToContents();
    // A long error would push the class columns out of sight; its tooltip holds all of it.
    const int noteWidth = 32 * fontMetrics().averageCharWidth();
    if (columnWidth(NoteColumn) > noteWidth)
        setColumnWidth(NoteColumn, noteWidth);
}

QString BatchResultsTable::cellText(int row, int column) const
{
    const QTableWidgetItem* cell = item(row, column);
    return cell ? cell->text() : QString();
}

int BatchResultsTable::columnOf(const QString& header) const
{
    for (int c = 0; c < columnCount(); ++c)
        if (horizontalHeaderItem(c) && horizontalHeaderItem(c)->text() == header)
            return c;
    return -1;
}

void BatchResultsTable::sortBy(int column)
{
    sortOrder_ = column == sortColumn_ && sortOrder_ == Qt::AscendingOrder ? Qt::DescendingOrder : Qt::AscendingOrder;
    sortColumn_ = column;
    sortItems(column, sortOrder_);
    horizontalHeader()->setSortIndicatorShown(true);
    horizontalHeader()->setSortIndicator(column, sortOrder_);
}

QString BatchResultsTable::selectionAsText() const
{
    const QModelIndexList selected = selectionModel() ? selectionModel()->selectedIndexes() : QModelIndexList{};
    QList<int> rows, columns;
    if (selected.isEmpty()) {
        for (int r = 0; r < rowCount(); ++r)
            rows << r;
        for (int c = 0; c < columnCount(); ++c)
            columns << c;
    } else {
        for (const QModelIndex& index : selected) {
            if (!rows.contains(index.row()))
                rows << index.row();
            if (!columns.contains(index.column()))
                columns << index.column();
        }
        std::sort(rows.begin(), rows.end());
        std::sort(columns.begin(), columns.end());
    }
    // Tabs and line breaks inside a cell (an error message) would break the table apart.
    auto clean = [](QString text) { return text.replace(QLatin1Char('\t'), QLatin1Char(' ')).replace(QLatin1Char('\n'), QLatin1Char(' ')); };
    QStringList lines, cells;
    for (int c : columns)
        cells << clean(horizontalHeaderItem(c) ? horizontalHeaderItem(c)->text() : QString());
    lines << cells.join(QLatin1Char('\t'));
    for (int r : rows) {
        cells.clear();
        for (int c : columns)
            cells << (selected.isEmpty() || selectionModel()->isSelected(model()->index(r, c)) ? clean(cellText(r, c))
                                                                                                : QString());
        lines << cells.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

void BatchResultsTable::copySelection() const { QApplication::clipboard()->setText(selectionAsText()); }

void BatchResultsTable::keyPressEvent(QKeyEvent* event)
{
    if (event->matches(QKeySequence::Copy)) {
        copySelection();
        event->accept();
        return;
    }
    QTableWidget::keyPressEvent(event);
}
