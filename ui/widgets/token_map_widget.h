#pragma once
// A token-by-token map (attention: query tokens down, key tokens across) with the tokens
// written on both axes, at a cell size that can be chosen (zoom) or fitted to a size. Labels
// that would overlap at small cells are thinned to every k-th (the tooltip names every cell);
// the chosen query row is framed; a colour bar with the range's numbers sits under the cells.
// A click on a cell chooses its row as the query; Ctrl+wheel asks the view to zoom.
#include "core/explore/explorer_types.h"
#include "ui/export/export_item.h"
#include "ui/widgets/colormap.h"

#include <QStringList>
#include <QWidget>

class TokenMapWidget : public QWidget {
    Q_OBJECT
public:
    explicit TokenMapWidget(QWidget* parent = nullptr);

    // matrix [L, L]; tokens: L labels (fewer: numbered from 1).
    void setMap(const mimo::TensorView& matrix, const QStringList& tokens);
    void setColorRange(const ColorRange& range);
    void clear();
    const mimo::TensorView& matrix() const { return matrix_; }
    const ColorRange& colorRange() const { return range_; }
    int length() const; // 0 while cleared

    void setCellSize(int pixels); // resizes the widget to what that cell needs
    int cellSize() const { return cell_; }
    QSize sizeForCell(int cell) const;
    // The largest cell (at least 1) at which the whole map, its labels and colour bar fit `area`.
    int cellToFit(const QSize& area) const;
    // Every k-th label is written (1: all of them) at the current cell size.
    int labelStep() const;
    QString tokenLabel(int index) const;

    void setQuery(int row); // -1: none
    int query() const { return query_; }

    QRect cellRect(int row, int column) const;
    QRect colorBarRect() const;
    QStringList colorBarLabels() const;
    double valueAt(const QPoint& position) const; // NaN outside the cells
    QString toolTipAt(const QPoint& position) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // Drawn as on screen from target's top left; CSV: the matrix with the tokens on both axes.
    ExportItem exportItem(const QString& name, const QString& title) const;

Q_SIGNALS:
    void queryClicked(int row);
    void zoomRequested(int steps); // Ctrl+wheel: positive = larger

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override; // tooltips
    void mousePressEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    QPoint cellsOrigin() const;
    int rowLabelWidth() const;
    void measureLabels();
    int columnLabelHeight() const;
    int stepFor(int cell) const;
    void paintMap(QPainter& painter) const;

    mimo::TensorView matrix_;
    QStringList tokens_;
    ColorRange range_;
    mutable QImage image_; // one pixel per cell, in the range's colours; made when first drawn
    int cell_ = 12;
    int labelWidth_ = 0; // the widest token label in the widget's font
    int query_ = -1;
};
