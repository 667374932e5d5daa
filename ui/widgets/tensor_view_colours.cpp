// The colours of a TensorViewWidget: the range each panel is coloured with (the range mode,
// a range shared from outside, the colour map chosen), the panels' images, and the colour bar
// that says which value each colour stands for.
#include "ui/widgets/tensor_view_widget.h"

#include "ui/widgets/color_bar.h"
#include "ui/widgets/colormap.h"

#include <algorithm>
#include <cmath>

void TensorViewWidget::setRangeMode(RangeMode mode)
{
    if (mode == rangeMode_)
        return;
    rangeMode_ = mode;
    recolour();
    update();
}

void TensorViewWidget::setFixedRange(double low, double high)
{
    const bool valid = std::isfinite(low) && std::isfinite(high) && low < high;
    if (!valid && !hasFixedRange_)
        return;
    if (valid && hasFixedRange_ && low == fixedLow_ && high == fixedHigh_)
        return;
    hasFixedRange_ = valid;
    fixedLow_ = valid ? low : 0.0;
    fixedHigh_ = valid ? high : 0.0;
    recolour();
    update();
}

void TensorViewWidget::setColorMap(ColorMapChoice choice)
{
    if (choice == colorMap_)
        return;
    colorMap_ = choice;
    recolour();
    update();
}

void TensorViewWidget::setColorBarShown(bool shown)
{
    colorBarShown_ = shown;
    relayout();
    updateGeometry();
}

bool TensorViewWidget::perPanelColours() const { return rangeMode_ == RangeMode::PerPanel && !hasFixedRange_; }

ColorRange TensorViewWidget::wholeRange() const
{
    const float* values = tensor_.values.data();
    const auto count = qsizetype(tensor_.values.size());
    if (hasFixedRange_)
        return {fixedLow_, fixedHigh_, fixedLow_ < 0.0 && fixedHigh_ > 0.0 ? ColorMapKind::Diverging : ColorMapKind::Sequential};
    if (rangeMode_ == RangeMode::Symmetric)
        return symmetricRangeFor(values, count);
    return colorRangeFor(values, count);
}

void TensorViewWidget::recolour()
{
    const ColorRange whole = perPanelColours() ? ColorRange{} : wholeRange();
    for (Panel& panel : panels_) {
        const float* first = tensor_.values.data() + panel.offset;
        const ColorRange range = applyColorMapChoice(
            perPanelColours() ? colorRangeFor(first, qsizetype(panel.rows) * panel.cols) : whole, colorMap_);
        panel.image = matrixImage(first, panel.rows, panel.cols, panel.cols, range, palette());
    }
}

ColorRange TensorViewWidget::colorBarRange() const
{
    if (!perPanelColours())
        return applyColorMapChoice(wholeRange(), colorMap_);
    // Each panel its own range: the bar shows the map of the first panel, without numbers.
    const ColorRange first = panels_.isEmpty() ? ColorRange{}
                                               : colorRangeFor(tensor_.values.data() + panels_.front().offset,
                                                               qsizetype(panels_.front().rows) * panels_.front().cols);
    return applyColorMapChoice(first, colorMap_);
}

QStringList TensorViewWidget::colorBarLabels() const
{
    return hasColorBar() ? colorbar::labels(colorBarRange(), perPanelColours()) : QStringList();
}

QRect TensorViewWidget::barRect(const QList<QRect>& panelRects, int width) const
{
    int bottom = 0;
    for (const QRect& rect : panelRects)
        bottom = std::max(bottom, rect.bottom() + 1);
    const int left = kMargin + slotLabelWidth();
    const int room = std::max(1, width - left - kMargin);
    return {left, bottom + kGap, std::min(room, colorbar::kPreferredWidth), colorbar::height(fontMetrics())};
}

QRect TensorViewWidget::colorBarRect() const { return hasColorBar() ? barRect(panelRects(), width()) : QRect(); }

