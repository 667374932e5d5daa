#include "ui/window/pipeline_figure.h"

#include "ui/widgets/colormap.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QtMath>

#include <algorithm>
#include <cmath>

namespace {

constexpr int kInputs = 3;
constexpr double kMaxScale = 1.5;

QString subscript(int i) { return QString(QChar(0x2080 + i)); }

QFont scaled(QFont font, double factor)
{
    if (font.pointSizeF() > 0)
        font.setPointSizeF(font.pointSizeF() * factor);
    else if (font.pixelSize() > 0)
        font.setPixelSize(std::max(1, int(std::lround(font.pixelSize() * factor))));
    return font;
}

QFont bold(QFont font)
{
    font.setBold(true);
    return font;
}

const QStringList& headings()
{
    static const QStringList texts{QObject::tr("1 · Bind"), QObject::tr("2 · Superpose"), QObject::tr("3 · Process"),
                                   QObject::tr("4 · Unbind")};
    return texts;
}

const QStringList& captions()
{
    static const QStringList texts{QObject::tr("N inputs, each with a key"), QObject::tr("one tensor, fixed width"),
                                   QObject::tr("runs once for all N"), QObject::tr("one result per input")};
    return texts;
}

QString networkTitle() { return QObject::tr("one network"); }
QString networkKind() { return QObject::tr("CNN or Transformer"); }

} // namespace

PipelineFigure::PipelineFigure(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("pipelineFigure"));
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    setToolTip(tr("Bind, superpose, process, unbind: %1 inputs, each bound to its own key, summed into one tensor, "
                  "processed by one network and unbound into one result each")
                   .arg(kInputs));
}

int PipelineFigure::minimumWidth() const
{
    const QFontMetricsF plain(font()), heavy(bold(font()));
    const double u = plain.height();
    double band = 11 * u;
    for (const QString& text : headings())
        band = std::max(band, heavy.horizontalAdvance(text) + u);
    for (const QString& text : captions())
        band = std::max(band, plain.horizontalAdvance(text) + u);
    band = std::max({band, heavy.horizontalAdvance(networkTitle()) + 2.6 * u, plain.horizontalAdvance(networkKind()) + 2.6 * u});
    return int(std::ceil(4 * band));
}

QSize PipelineFigure::minimumSizeHint() const { return {minimumWidth(), heightForWidth(minimumWidth())}; }
QSize PipelineFigure::sizeHint() const { return minimumSizeHint(); }
int PipelineFigure::heightForWidth(int width) const { return build(width, 1.0).height; }

PipelineFigure::Scene PipelineFigure::scene(int width, int height) const
{
    // The font grows with the room (a little less than it, so the texts keep theirs); the
    // figure is centred in the height it gets.
    const double byWidth = 0.95 * width / std::max(1, minimumWidth());
    const double byHeight = 0.97 * height / std::max(1, build(width, 1.0).height);
    const double factor = std::clamp(std::min(byWidth, byHeight), 1.0, kMaxScale);
    Scene scene = build(width, factor);
    if (height > scene.height) // the rows move apart (up to twice their distance) before bands show
        scene = build(width, factor, height - scene.height);
    const double offset = std::max(0, height - scene.height) / 2.0;
    for (Shape& shape : scene.shapes) {
        shape.rect.translate(0, offset);
        shape.line.translate(0, offset);
    }
    for (Text& text : scene.texts)
        text.rect.translate(0, offset);
    return scene;
}

PipelineFigure::Scene PipelineFigure::build(int width, double factor, int extra) const
{
    const QFont plain = scaled(font(), factor), heavy = bold(plain);
    const double u = QFontMetricsF(plain).height();
    const double bw = width / 4.0;
    Scene scene;
    scene.unit = u;
    auto text = [&scene](const QRectF& rect, const QString& string, const QFont& font) {
        scene.texts.push_back({rect, string, font});
    };
    auto arrow = [&scene](QPointF from, QPointF to, int colour) {
        scene.shapes.push_back({Shape::Arrow, {}, QLineF(from, to), colour});
    };

    const double top = 0.3 * u;
    for (int band = 0; band < 4; ++band)
        text(QRectF(band * bw, top, bw, 1.4 * u), headings()[band], heavy);
    const double pitch = 3.4 * u + std::min(3.4 * u, 0.5 * extra / (kInputs - 1));
    double row[kInputs]{};
    for (int i = 0; i < kInputs; ++i)
        row[i] = top + 1.7 * u + 2.3 * u + i * pitch;
    const double centre = row[kInputs / 2];

    // 1. Bind: x_i -> (bind with k_i).
    const double bindX = 0.66 * bw, bindR = 0.75 * u;
    for (int i = 0; i < kInputs; ++i) {
        const QRectF input(0.5 * u, row[i] - 0.8 * u, 2.6 * u, 1.6 * u);
        scene.shapes.push_back({Shape::Box, input, {}, i});
        text(input, QStringLiteral("x") + subscript(i + 1), plain);
        const QRectF key(bindX - 1.1 * u, row[i] - bindR - 0.35 * u - 1.2 * u, 2.2 * u, 1.2 * u);
        scene.shapes.push_back({Shape::Box, key, {}, i});
        text(key, QStringLiteral("k") + subscript(i + 1), plain);
        arrow(QPointF(key.center().x(), key.bottom()), QPointF(bindX, row[i] - bindR), i);
        arrow(QPointF(input.right(), row[i]), QPointF(bindX - bindR, row[i]), i);
        scene.shapes.push_back({Shape::Bind, QRectF(bindX - bindR, row[i] - bindR, 2 * bindR, 2 * bindR), {}, i});
    }

    // 2. Superpose: the bound inputs into one sum, a tensor as wide as one input.
    const double sumX = bw + 0.3 * bw, sumR = 0.9 * u;
    for (int i = 0; i < kInputs; ++i) {
        const QPointF from(bindX + bindR, row[i]);
        const QPointF to(sumX, centre);
        const QLineF line(from, to);
        arrow(from, line.pointAt(1.0 - sumR / line.length()), i);
    }
    scene.shapes.push_back({Shape::Sum, QRectF(sumX - sumR, centre - sumR, 2 * sumR, 2 * sumR), {}, -1});
    const QRectF sum(2 * bw - 0.4 * u - 2.6 * u, centre - 0.8 * u, 2.6 * u, 1.6 * u);
    arrow(QPointF(sumX + sumR, centre), QPointF(sum.left(), centre), -2);
    scene.shapes.push_back({Shape::Box, sum, {}, -2});
    text(sum, QStringLiteral("s"), plain);

    // 3. Process: one network, once.
    const QRectF network(2 * bw + 0.6 * u, row[0] - 0.8 * u, bw - 1.2 * u, row[kInputs - 1] - row[0] + 1.6 * u);
    arrow(QPointF(sum.right(), centre), QPointF(network.left(), centre), -2);
    scene.shapes.push_back({Shape::Box, network, {}, -1});
    text(QRectF(network.left(), centre - 1.4 * u, network.width(), 1.3 * u), networkTitle(), heavy);
    text(QRectF(network.left(), centre + 0.1 * u, network.width(), 1.3 * u), networkKind(), plain);

    // 4. Unbind: one result per input.
    const double nodeX = 3 * bw + 0.3 * bw, nodeR = 0.45 * u;
    arrow(QPointF(network.right(), centre), QPointF(nodeX - nodeR, centre), -2);
    scene.shapes.push_back({Shape::Node, QRectF(nodeX - nodeR, centre - nodeR, 2 * nodeR, 2 * nodeR), {}, -2});
    for (int i = 0; i < kInputs; ++i) {
        const QRectF result(4 * bw - 0.5 * u - 2.6 * u, row[i] - 0.8 * u, 2.6 * u, 1.6 * u);
        const QLineF line(QPointF(nodeX, centre), QPointF(result.left(), row[i]));
        arrow(line.pointAt(nodeR / line.length()), QPointF(result.left(), row[i]), i);
        scene.shapes.push_back({Shape::Box, result, {}, i});
        text(result, QStringLiteral("y") + subscript(i + 1), plain);
    }

    const double captionTop = row[kInputs - 1] + 1.3 * u;
    for (int band = 0; band < 4; ++band)
        text(QRectF(band * bw, captionTop, bw, 1.4 * u), captions()[band], plain);
    scene.height = int(std::ceil(captionTop + 1.4 * u + 0.3 * u));
    return scene;
}

QStringList PipelineFigure::texts() const
{
    QStringList all;
    for (const Text& text : scene(width(), height()).texts)
        all << text.text;
    return all;
}

QStringList PipelineFigure::cutTexts() const
{
    QStringList problems;
    const QRectF area(rect());
    for (const Text& text : scene(width(), height()).texts) {
        const QFontMetricsF metrics(text.font);
        if (metrics.horizontalAdvance(text.text) > text.rect.width() + 0.5 || metrics.height() > text.rect.height() + 0.5 ||
            !area.contains(text.rect))
            problems << QStringLiteral("figure text \"%1\" (%2 px wide, %3 px room; figure %4x%5)")
                            .arg(text.text)
                            .arg(metrics.horizontalAdvance(text.text))
                            .arg(text.rect.width())
                            .arg(width())
                            .arg(height());
    }
    return problems;
}

void PipelineFigure::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const Scene drawn = scene(width(), height());
    const QColor ink = palette().color(QPalette::WindowText);
    const QColor paper = palette().color(QPalette::Base);
    const double u = drawn.unit;
    auto colourOf = [&ink](int colour) { return colour >= 0 ? inputColour(colour) : ink; };
    auto tint = [&paper](const QColor& colour) { return wash(colour, paper, 0.22f); }; // a light wash on the page
    for (const Shape& shape : drawn.shapes) {
        const QColor line = colourOf(shape.colour);
        painter.setPen(QPen(line, std::max(1.0, 0.09 * u)));
        switch (shape.kind) {
        case Shape::Box:
            if (shape.colour == -2) { // the sum: a stripe of each input's colour
                const double stripe = shape.rect.width() / kInputs;
                painter.setPen(Qt::NoPen);
                for (int i = 0; i < kInputs; ++i)
                    painter.fillRect(QRectF(shape.rect.left() + i * stripe, shape.rect.top(), stripe, shape.rect.height()),
                                     tint(inputColour(i)));
                painter.setPen(QPen(ink, std::max(1.0, 0.09 * u)));
                painter.setBrush(Qt::NoBrush);
            } else {
                painter.setBrush(shape.colour >= 0 ? tint(line) : paper);
            }
            painter.drawRoundedRect(shape.rect, 0.25 * u, 0.25 * u);
            break;
        case Shape::Bind: { // circular convolution: a circled asterisk
            painter.setBrush(paper);
            painter.drawEllipse(shape.rect);
            const QPointF c = shape.rect.center();
            const double r = 0.55 * shape.rect.width() / 2;
            for (int k = 0; k < 3; ++k) {
                const double angle = qDegreesToRadians(90.0 + 60.0 * k);
                const QPointF d(r * std::cos(angle), r * std::sin(angle));
                painter.drawLine(c - d, c + d);
            }
            break;
        }
        case Shape::Sum: { // a circled plus
            painter.setBrush(paper);
            painter.drawEllipse(shape.rect);
            const QPointF c = shape.rect.center();
            const double r = 0.55 * shape.rect.width() / 2;
            painter.drawLine(c - QPointF(r, 0), c + QPointF(r, 0));
            painter.drawLine(c - QPointF(0, r), c + QPointF(0, r));
            break;
        }
        case Shape::Node:
            painter.setBrush(ink);
            painter.drawEllipse(shape.rect);
            break;
        case Shape::Arrow: {
            const QLineF arrowLine = shape.line;
            const double head = 0.45 * u;
            const QLineF back = QLineF(arrowLine.p2(), arrowLine.p1());
            QLineF side1 = back, side2 = back;
            side1.setLength(head);
            side2.setLength(head);
            side1.setAngle(back.angle() + 25);
            side2.setAngle(back.angle() - 25);
            painter.drawLine(QLineF(arrowLine.p1(), arrowLine.pointAt(1.0 - 0.5 * head / std::max(1e-6, arrowLine.length()))));
            QPainterPath tip;
            tip.moveTo(arrowLine.p2());
            tip.lineTo(side1.p2());
            tip.lineTo(side2.p2());
            tip.closeSubpath();
            painter.fillPath(tip, line);
            break;
        }
        }
    }
    painter.setPen(ink);
    for (const Text& text : drawn.texts) {
        painter.setFont(text.font);
        painter.drawText(text.rect, Qt::AlignCenter, text.text);
    }
}
