#pragma once
// A small labelled matrix such as the key-similarity matrix: one coloured cell per entry with
// its value written in it (when the cells are large enough), row and column labels, a fixed
// colour range (e.g. -1..1 for cosines) shown by a colour bar under the cells, and a tooltip
// with the exact value.
#include "core/explore/explorer_types.h"
#include "ui/export/export_item.h"
#include "ui/widgets/colormap.h"

#include <QStringList>
#include <QWidget>

class MatrixHeatmapWidget : public QWidget {
    Q_OBJECT
public:
    explicit MatrixHeatmapWidget(QWidget* parent = nullptr);

    // matrix must be rank 2; labels may be empty (then 1..R and 1..C).
    void setMatrix(const mimo::TensorView& matrix, const QStringList& rowLabels = {},
                   const QStringList& columnLabels = {});
    void setRange(double low, double high); // default -1..1, diverging
    void clear();
    const mimo::TensorView& matrix() const { return matrix_; }
    // Value under a widget position, or NaN outside the cells (tests, tooltips).
    double valueAt(const QPoint& position) const;
    QSize sizeHint() const override;
    QString rowLabel(int row) const;       // as drawn: the given label, else the row's number
    QString columnLabel(int column) const;
    // The colour bar under the cells (while there is a matrix): its range, texts and place.
    bool hasColorBar() const { return rowCount() > 0; }
    ColorRange colorRange() const;
    QStringList colorBarLabels() const;
    QRect colorBarRect() const;
    int cellSize() const;
    // Column labels wider than the cells stand upright, so they are never cut.
    bool columnLabelsUpright() const;

    // Draws the matrix with cells fitted to `target` (export: any painter, any scale). As an
    // export item: the cells as on screen, the matrix with its labels as CSV; not valid while
    // there is no matrix.
    void paintContent(QPainter& painter, const QRect& target) const;
    ExportItem exportItem(const QString& name, const QString& title) const;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct Geometry {
        QPoint origin; // of the first cell
        int cell = 0;  // the side of a cell
        bool rotated = false; // column labels upright
    };
    Geometry geometryFor(const QSize& area) const;
    int fittingCell(const QSize& area, bool rotated) const;
    int widestColumnLabel() const;
    QPoint cellsOrigin(bool rotated) const;
    QRect cellRect(int row, int column) const;
    static QRect cellRect(int row, int column, const Geometry& geometry);
    bool cellAt(const QPoint& position, int* row, int* column) const;
    int rowCount() const;    // 0 when cleared or not a matrix
    int columnCount() const;
    void paintCells(QPainter& painter, const QSize& area) const;
    QRect colorBarRect(const QSize& area) const;

    mimo::TensorView matrix_;
    QStringList rowLabels_, columnLabels_;
    double low_ = -1.0, high_ = 1.0;
    int hintRows_ = 4, hintColumns_ = 4; // the last matrix's size: clear() keeps the layout steady
};
