#pragma once
// What a user would see cut in a window, found by walking its widgets: texts (labels, combo
// boxes, buttons, tab titles, probability bars) cut without a tooltip that gives them whole,
// scroll areas that scroll inside other scroll areas, plots cut by their parents and legends
// squeezed. Each returns descriptions of what it found, empty when all is well.
#include "ui/panels/probability_bars.h"
#include "ui/widgets/pipeline_diagram.h"
#include "ui/widgets/qcustomplot_no_keywords.h"

#include <QAbstractButton>
#include <QAbstractScrollArea>
#include <QComboBox>
#include <QLabel>
#include <QStringList>
#include <QStyle>
#include <QStyleOptionComboBox>
#include <QTabBar>
#include <QTextDocument>
#include <QTextLayout>

namespace layout_checks {

inline QString withoutMnemonics(QString text)
{
    text.replace(QStringLiteral("&&"), QString(QChar(0xE000)));
    text.remove(QLatin1Char('&'));
    text.replace(QChar(0xE000), QLatin1Char('&'));
    return text;
}

inline QString asPlainText(const QString& text)
{
    if (!Qt::mightBeRichText(text))
        return text;
    QTextDocument document;
    document.setHtml(text);
    return document.toPlainText();
}

// The tooltip gives the whole text (whitespace and line breaks aside).
inline bool toolTipCarries(const QWidget* widget, const QString& whole)
{
    return asPlainText(widget->toolTip()).simplified().contains(whole.simplified());
}

inline QString describe(const QWidget* widget, const QString& text)
{
    return QStringLiteral("%1 \"%2\" (%3x%4)")
        .arg(QString::fromLatin1(widget->metaObject()->className()), text)
        .arg(widget->width())
        .arg(widget->height());
}

// Parts of `area` (the widget's rect unless given: where its text is drawn) outside an
// ancestor, up to a scroll area's viewport whose content may be scrolled to: cut by its parents.
inline bool clippedByAncestors(const QWidget* widget, QRect area = {})
{
    QRect rect = area.isNull() ? widget->rect() : area;
    for (const QWidget* child = widget; child->parentWidget() && !child->isWindow(); child = child->parentWidget()) {
        const QWidget* parent = child->parentWidget();
        rect.translate(child->pos());
        if (qobject_cast<const QAbstractScrollArea*>(parent->parentWidget()) &&
            static_cast<const QAbstractScrollArea*>(parent->parentWidget())->viewport() == parent) {
            // Inside a scroll area: whatever is below can be scrolled to, but nothing may lie
            // beyond the viewport's left or right edge.
            return rect.left() < 0 || rect.right() > parent->width() - 1;
        }
        if (!parent->rect().contains(rect))
            return true;
    }
    return false;
}

// The label's lines as Qt wraps them at `width`: any wider than the width (a word too long)?
inline bool wrappedLineTooWide(const QLabel* label, const QString& text, int width)
{
    for (const QString& paragraph : text.split(QLatin1Char('\n'))) {
        QTextLayout layout(paragraph, label->font());
        QTextOption option;
        option.setWrapMode(QTextOption::WordWrap);
        layout.setTextOption(option);
        layout.beginLayout();
        for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
            line.setLineWidth(width);
            if (line.naturalTextWidth() > width + 1.0) {
                layout.endLayout();
                return true;
            }
        }
        layout.endLayout();
    }
    return false;
}

inline QString labelProblem(const QLabel* label)
{
    if (!label->pixmap().isNull() || label->text().isEmpty())
        return {};
    QString text = asPlainText(label->text());
    if (label->buddy())
        text = withoutMnemonics(text);
    if (text.trimmed().isEmpty())
        return {};
    if (text.endsWith(QChar(0x2026))) { // elided by the program: the tooltip must have it whole
        const QString shown = text.chopped(1).trimmed();
        return toolTipCarries(label, shown) && label->toolTip().size() > shown.size()
                   ? QString()
                   : describe(label, text) + QStringLiteral(" is elided without its whole text in a tooltip");
    }
    const int margin = label->margin();
    const QRect room = label->contentsRect().adjusted(margin, margin, -margin, -margin);
    const QFontMetrics metrics(label->font());
    const QSize oneLine = metrics.boundingRect(QRect(0, 0, 100000, 100000), 0, text).size();
    // Where the text is drawn: a short text in a wide label may be cut by nothing at all.
    const QRect drawn = QStyle::alignedRect(label->layoutDirection(), label->alignment(),
                                            oneLine.boundedTo(room.size()), room);
    bool cut = clippedByAncestors(label, drawn);
    if (!label->wordWrap()) {
        cut = cut || oneLine.width() > room.width() + 1 || oneLine.height() > room.height() + 1;
    } else {
        cut = cut || wrappedLineTooWide(label, text, room.width()) ||
              label->heightForWidth(label->width()) > label->height() + 1;
    }
    if (cut && !toolTipCarries(label, text))
        return describe(label, text) + QStringLiteral(" is cut without a tooltip giving it whole (needs %1 px high)")
                                           .arg(label->wordWrap() ? label->heightForWidth(label->width())
                                                                  : metrics.boundingRect(QRect(0, 0, 100000, 100000), 0, text).height());
    return {};
}

inline QString buttonProblem(const QAbstractButton* button)
{
    const QString text = withoutMnemonics(button->text());
    if (text.trimmed().isEmpty())
        return {};
    const bool cut = button->width() < button->sizeHint().width() || clippedByAncestors(button);
    if (cut && !toolTipCarries(button, text))
        return describe(button, text) + QStringLiteral(" is cut without a tooltip giving it whole");
    return {};
}

inline QString comboProblem(const QComboBox* combo)
{
    const QString text = combo->currentText();
    if (text.isEmpty() || combo->isEditable())
        return {};
    QStyleOptionComboBox option;
    option.initFrom(combo);
    option.editable = false;
    option.frame = combo->hasFrame();
    option.currentText = text;
    option.subControls = QStyle::SC_All;
    const QRect field = combo->style()->subControlRect(QStyle::CC_ComboBox, &option, QStyle::SC_ComboBoxEditField, combo);
    const int room = field.width() - 2; // the label's inset (QCommonStyle, CE_ComboBoxLabel)
    const bool cut = QFontMetrics(combo->font()).horizontalAdvance(text) > room || clippedByAncestors(combo);
    if (cut && !toolTipCarries(combo, text))
        return describe(combo, text) + QStringLiteral(" is cut without a tooltip giving it whole");
    return {};
}

inline QStringList tabProblems(const QTabBar* tabs)
{
    QStringList problems;
    const int space = tabs->style()->pixelMetric(QStyle::PM_TabBarTabHSpace, nullptr, tabs);
    for (int i = 0; i < tabs->count(); ++i) {
        const QString text = withoutMnemonics(tabs->tabText(i));
        const QRect rect = tabs->tabRect(i);
        const bool cut = rect.width() < QFontMetrics(tabs->font()).horizontalAdvance(text) + space ||
                         !tabs->rect().contains(rect);
        if (cut && !asPlainText(tabs->tabToolTip(i)).contains(text))
            problems << QStringLiteral("tab \"%1\" is cut without a tooltip giving it whole").arg(text);
    }
    return problems;
}

// Every visible text of the window that is cut without a tooltip giving it whole.
inline QStringList cutTexts(QWidget* window)
{
    QStringList problems;
    for (QWidget* widget : window->findChildren<QWidget*>()) {
        if (!widget->isVisible() || widget->window() != window)
            continue;
        QString problem;
        if (auto* label = qobject_cast<QLabel*>(widget))
            problem = labelProblem(label);
        else if (auto* button = qobject_cast<QAbstractButton*>(widget))
            problem = buttonProblem(button);
        else if (auto* combo = qobject_cast<QComboBox*>(widget))
            problem = comboProblem(combo);
        else if (auto* tabs = qobject_cast<QTabBar*>(widget))
            problems << tabProblems(tabs);
        else if (auto* diagram = qobject_cast<PipelineDiagram*>(widget))
            for (const QString& text : diagram->cutTexts())
                problem += QStringLiteral("pipeline: \"%1\" is cut at width %2; ").arg(text).arg(diagram->width());
        else if (auto* bars = qobject_cast<ProbabilityBars*>(widget))
            for (const QString& text : bars->cutTexts())
                problem += QStringLiteral("probability bars: \"%1\" is elided at width %2; ").arg(text).arg(bars->width());
        if (!problem.isEmpty())
            problems << problem;
    }
    return problems;
}

inline bool scrolls(const QAbstractScrollArea* area)
{
    return area->horizontalScrollBarPolicy() != Qt::ScrollBarAlwaysOff ||
           area->verticalScrollBarPolicy() != Qt::ScrollBarAlwaysOff;
}

// Scroll areas (that can scroll) inside other scroll areas of the same window, shown or not.
inline QStringList nestedScrollAreas(QWidget* window)
{
    QStringList problems;
    for (QAbstractScrollArea* area : window->findChildren<QAbstractScrollArea*>()) {
        if (!scrolls(area))
            continue;
        for (QWidget* up = area->parentWidget(); up && !area->isWindow(); up = up->parentWidget()) {
            auto* outer = qobject_cast<QAbstractScrollArea*>(up);
            if (outer && scrolls(outer))
                problems << QStringLiteral("%1 \"%2\" scrolls inside %3 \"%4\"")
                                .arg(QString::fromLatin1(area->metaObject()->className()), area->objectName(),
                                     QString::fromLatin1(outer->metaObject()->className()), outer->objectName());
            if (up->isWindow())
                break;
        }
    }
    return problems;
}

// A plot's legend entries squeezed or outside the plot (drawn cut: "cosine to alo").
inline QStringList legendProblems(QWidget* window)
{
    QStringList problems;
    for (QCustomPlot* plot : window->findChildren<QCustomPlot*>()) {
        if (!plot->isVisible() || !plot->legend || !plot->legend->visible())
            continue;
        plot->replot();
        const QRect legend = plot->legend->outerRect();
        if (plot->legend->itemCount() > 0 && plot->legend->minimumOuterSizeHint().width() > legend.width())
            problems << QStringLiteral("a legend needs %1 px and gets %2").arg(plot->legend->minimumOuterSizeHint().width()).arg(legend.width());
        for (int i = 0; i < plot->legend->itemCount(); ++i) {
            const QRect item = plot->legend->item(i)->outerRect();
            if (!plot->rect().contains(item))
                problems << QStringLiteral("legend entry %1 lies outside its plot").arg(i);
        }
    }
    return problems;
}

inline QStringList plotsCutOnTheRight(QWidget* window)
{
    QStringList problems;
    for (QCustomPlot* plot : window->findChildren<QCustomPlot*>())
        if (plot->isVisible() && clippedByAncestors(plot))
            problems << QStringLiteral("a plot (%1x%2) is cut by its parents").arg(plot->width()).arg(plot->height());
    return problems;
}

} // namespace layout_checks
