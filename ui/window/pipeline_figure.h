#pragma once
// The figure of "What is a MIMONet?": bind -> superpose -> process -> unbind, drawn with
// QPainter in four equal bands (so text columns below can line up with them). Three inputs
// x1..x3 are each bound to a key k1..k3, the bound inputs are summed into one tensor of fixed
// width, one network processes it and unbinding fans out into one result per input. Its sizes
// come from the font: it scales with the font and, up to 1.5 times, with the room it gets.
#include <QFont>
#include <QLineF>
#include <QRectF>
#include <QStringList>
#include <QWidget>

#include <vector>

class PipelineFigure : public QWidget {
    Q_OBJECT
public:
    explicit PipelineFigure(QWidget* parent = nullptr);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    // The texts drawn at the current size that do not fit their place (or the figure); empty
    // when all fit.
    QStringList cutTexts() const;
    // The texts drawn at the current size, in drawing order (headings first).
    QStringList texts() const;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    struct Shape {
        enum Kind { Box, Sum, Bind, Node, Arrow } kind;
        QRectF rect;     // Box, Sum, Bind, Node: the outline
        QLineF line;     // Arrow: from p1 to p2
        int colour = -1; // an input's colour, -1 for none, -2 for the mix of all
    };
    struct Text {
        QRectF rect;
        QString text;
        QFont font;
    };
    struct Scene {
        std::vector<Shape> shapes;
        std::vector<Text> texts;
        int height = 0;
        double unit = 0; // the height of a line of text
    };
    // Drawn with the font scaled by `factor`, `extra` pixels of height spread between the rows.
    Scene build(int width, double factor, int extra = 0) const;
    Scene scene(int width, int height) const;     // as large as fits, at least the font's size
    int minimumWidth() const; // at the widget's own font

};
