#pragma once
// The results of a batch evaluation as a table: one row per model and N (accuracy with its
// 95 % interval, correct / count, inputs per second, speedup, then the accuracy of every
// class), one row naming the problem for a model that failed. Sorted by clicking a header
// (numbers as numbers; clicking again reverses); Ctrl+C or the context menu copies the
// selection, or the whole table when nothing is selected, as tab-separated text.
#include "core/explore/batch_evaluation.h"

#include <QTableWidget>

class BatchResultsTable : public QTableWidget {
    Q_OBJECT
public:
    enum Column {
        ModelColumn,
        NColumn,
        AccuracyColumn,
        IntervalColumn,
        CorrectColumn,
        InputsPerSecondColumn,
        SpeedupColumn,
        NoteColumn,       // a failed model's error, a cancelled model's partial rows, a skipped N
        FirstClassColumn, // then one per class name, over all models
    };

    explicit BatchResultsTable(QWidget* parent = nullptr);

    void setResult(const mimo::BatchResult& result);
    QString cellText(int row, int column) const;  // "" for an empty cell
    int columnOf(const QString& header) const;    // -1 when absent (e.g. a class name)
    QString selectionAsText() const;              // header line, then the rows, tab-separated
    void copySelection() const;

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void sortBy(int column);

    int sortColumn_ = -1;                 // -1: the order evaluated
    Qt::SortOrder sortOrder_ = Qt::AscendingOrder;
};
