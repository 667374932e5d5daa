#include "ui/widgets/heatmap_drawing.h"

#include <QImage>
#include <QPaintEngine>
#include <QPainter>

#include <algorithm>
#include <climits>

QList<qint64> drawableShape(const mimo::TensorView& tensor)
{
    if (tensor.shape.empty() || tensor.values.empty())
        return {};
    const auto valueCount = qint64(tensor.values.size());
    qint64 count = 1;
    for (int64_t size : tensor.shape) {
        if (size <= 0 || size > INT_MAX || count > valueCount / size)
            return {};
        count *= size;
    }
    if (count != valueCount)
        return {};
    QList<qint64> shape(tensor.shape.begin(), tensor.shape.end());
    while (shape.size() > 4)
        shape[1] *= shape.takeFirst();
    return shape;
}

void drawCellImage(QPainter& painter, const QRect& target, const QImage& image)
{
    const QPaintEngine* engine = painter.paintEngine();
    const bool vector = engine && (engine->type() == QPaintEngine::Pdf || engine->type() == QPaintEngine::SVG);
    const int longest = std::max(image.width(), image.height());
    const int factor = vector && longest > 0 ? std::clamp(256 / longest, 1, 16) : 1;
    painter.drawImage(target, factor == 1 ? image
                                          : image.scaled(image.size() * factor, Qt::IgnoreAspectRatio,
                                                         Qt::FastTransformation));
}
