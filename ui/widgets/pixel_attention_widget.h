#pragma once
// Where one query pixel of a pixel sequence attends, drawn on the image itself: the picture
// in gray with each pixel's attention laid over it in the colours of a range (a colour bar
// with its numbers under it), the query pixel framed. Pixels that are not in the sequence
// (after its last real token) keep the bare image. A click on a pixel chooses it as the query.
#include "ui/export/export_item.h"
#include "ui/widgets/colormap.h"

#include <QWidget>

#include <vector>

class PixelAttentionWidget : public QWidget {
    Q_OBJECT
public:
    explicit PixelAttentionWidget(QWidget* parent = nullptr);

    // pixels: height x width gray values in [0, 1], row by row.
    void setImage(int height, int width, const std::vector<float>& pixels);
    // One weight per pixel; NaN where the pixel is no token of the sequence.
    void setWeights(const std::vector<float>& weights, const ColorRange& range);
    void setQuery(int pixel); // -1: none
    void clear();
    int query() const { return query_; }
    const ColorRange& colorRange() const { return range_; }
    int imageHeight() const { return height_; }
    int imageWidth() const { return width_; }

    int cellSize() const; // the side of one pixel on screen
    QRect pixelRect(int pixel) const;
    int pixelAt(const QPoint& position) const; // -1 outside the image
    QRect colorBarRect() const;
    QStringList colorBarLabels() const;
    QString toolTipAt(const QPoint& position) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

    ExportItem exportItem(const QString& name, const QString& title) const;

Q_SIGNALS:
    void pixelClicked(int pixel);

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override; // tooltips
    void mousePressEvent(QMouseEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    int cellFor(const QSize& area) const;
    QPoint originFor(const QSize& area) const;
    void paintInto(QPainter& painter, const QSize& area) const;

    int height_ = 0, width_ = 0;
    std::vector<float> pixels_, weights_;
    ColorRange range_;
    int query_ = -1;
};
