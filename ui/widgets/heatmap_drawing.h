#pragma once
// Drawing helpers the heatmap widgets share: which shape of a tensor can be drawn, and cell
// images drawn sharp on every device.
#include "core/explore/explorer_types.h"

#include <QList>
#include <QRect>

class QImage;
class QPainter;

// Rank 1..4 with leading dims merged into the first, or empty when the values do not fill the
// shape (or there are none): then nothing is drawn rather than something misleading.
QList<qint64> drawableShape(const mimo::TensorView& tensor);

// Draws an image of one pixel per value into `target` without smoothing. PDF and SVG viewers
// smooth a scaled image, which would blur the cells into each other: there each value becomes
// a block of pixels first (nearest neighbour), up to about 256 pixels a side.
void drawCellImage(QPainter& painter, const QRect& target, const QImage& image);
