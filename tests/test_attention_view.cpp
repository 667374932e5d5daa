// The Attention tab read as a class reads it, with the bundled MIMOFormers at 1280x800: a typed
// ListOps expression as token maps with its tokens on both axes, a long one zoomed and panned,
// and a pixel sequence on the image, its query chosen by clicking a pixel. Screenshots of the
// first and the last go next to the test (docs/images holds copies).
#include "explorer_fixtures.h"

#include "ui/inside/attention_view.h"
#include "ui/inside/inside_panel.h"
#include "ui/widgets/pixel_attention_widget.h"
#include "ui/widgets/token_map_widget.h"
#include "ui/window/main_window.h"

#include <QComboBox>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QTemporaryDir>
#include <QToolButton>
#include <QWheelEvent>
#include <QtTest>

using namespace explorer_fixtures;

namespace {


std::vector<mimo::InputSource> typed(const std::vector<std::string>& expressions)
{
    std::vector<mimo::InputSource> sources;
    for (const std::string& expression : expressions) {
        mimo::InputSource source;
        source.origin = mimo::InputSource::Origin::Text;
        source.text = expression;
        sources.push_back(source);
    }
    return sources;
}

QStringList tokensOf(const std::string& expression)
{
    return QString::fromStdString(expression).split(' ', Qt::SkipEmptyParts);
}

// The map (or image) of `view` lies inside the visible part of the maps' scroll area.
bool inSight(QWidget* view, QScrollArea* area)
{
    const QRect inViewport(view->mapTo(area->viewport(), QPoint(0, 0)), view->size());
    return area->viewport()->rect().contains(inViewport);
}

} // namespace

class AttentionViewTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void typedExpressionHasItsTokensOnBothAxes();
    void longSequenceZoomsAndPans();
    void pixelQueryOnTheImage();

private:
    std::unique_ptr<MainWindow> openAttention(const QString& model);

    QTemporaryDir settingsDir_;
};

void AttentionViewTest::initTestCase()
{
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
    QCoreApplication::setOrganizationName("MIMO Explorer Tests");
    QCoreApplication::setApplicationName("test_attention_view");
}

std::unique_ptr<MainWindow> AttentionViewTest::openAttention(const QString& model)
{
    auto window = openBundledWindow(model);
    InsidePanel* inside = window->insidePanel();
    inside->setCurrentWidget(inside->attentionView());
    return window;
}

void AttentionViewTest::typedExpressionHasItsTokensOnBothAxes()
{
    auto window = openAttention("listops-short-mimoformer.pt");
    auto* controller = window->controller();
    const std::vector<std::string> expressions{"[MAX 4 [MIN 7 2 ] 9 ]", "[SM 3 3 ]", "[MED 1 5 8 ]", "[MIN 6 2 ]"};
    controller->inputs().setInputs(typed(expressions), 0);
    AttentionView* view = window->insidePanel()->attentionView();
    QVERIFY(QTest::qWaitFor([&] { return view->maps().length == 8 && waitUntilIdle(*window, 1000); }, 60000));
    QTest::qWait(50);
    // Real tokens only, padding dropped: 8 x 8, and the tokens written on both axes.
    const QStringList tokens = tokensOf(expressions[0]);
    QCOMPARE(view->display(), AttentionView::Display::AllMaps);
    for (TokenMapWidget* map : view->tokenMaps()) {
        QCOMPARE(map->length(), 8);
        QCOMPARE(map->labelStep(), 1); // every token named
        for (int i = 0; i < 8; ++i)
            QCOMPARE(map->tokenLabel(i), tokens[i]);
        QVERIFY(map->cellSize() >= map->fontMetrics().height());
        // Eight tokens fit at 1280x800: all three maps in sight, nothing to pan.
        if (!inSight(map, view->mapsArea()))
            saveShot(*window, "attention-listops-failed.png");
        QVERIFY2(inSight(map, view->mapsArea()),
                 qPrintable(QStringLiteral("a map %1x%2 at %3,%4 is out of the viewport %5x%6")
                                .arg(map->width()).arg(map->height())
                                .arg(map->mapTo(view->mapsArea()->viewport(), QPoint(0, 0)).x())
                                .arg(map->mapTo(view->mapsArea()->viewport(), QPoint(0, 0)).y())
                                .arg(view->mapsArea()->viewport()->width()).arg(view->mapsArea()->viewport()->height())));
    }
    QVERIFY(!view->mapsArea()->horizontalScrollBar()->isVisible());
    // The query starts where superposition changes the most; a click on a row chooses another
    // in every map, and the hint names it.
    TokenMapWidget* superposed = view->tokenMaps()[0];
    QVERIFY(view->query() >= 0);
    QTest::mouseClick(superposed, Qt::LeftButton, {}, superposed->cellRect(2, 5).center());
    QCOMPARE(view->query(), 2);
    for (TokenMapWidget* map : view->tokenMaps())
        QCOMPARE(map->query(), 2);
    QVERIFY2(view->queryText().contains(QString("token 3 \u201c[MIN\u201d")), qPrintable(view->queryText()));
    // A cell's tooltip names both tokens and the weight.
    const QString tip = superposed->toolTipAt(superposed->cellRect(2, 0).center());
    QVERIFY2(tip.contains("\u201c[MIN\u201d") && tip.contains("\u201c[MAX\u201d"), qPrintable(tip));
    // Another head keeps the chosen query (the same sequence).
    controller->inspections().setAttentionSelection(0, 1, 1);
    QVERIFY(QTest::qWaitFor([&] { return view->maps().layer == 1 && view->maps().head == 1; }, 30000));
    QCOMPARE(view->query(), 2);
    // The difference has its own range, centred on 0; in superposition and alone share theirs.
    QCOMPARE(view->tokenMaps()[2]->colorRange().kind, ColorMapKind::Diverging);
    QCOMPARE(view->tokenMaps()[2]->colorRange().low, -view->tokenMaps()[2]->colorRange().high);
    QCOMPARE(view->tokenMaps()[0]->colorRange().high, view->tokenMaps()[1]->colorRange().high);
    // Exports: the three maps, each with the tokens in its CSV.
    const QList<ExportItem> items = view->exportItems();
    QCOMPARE(items.size(), 3);
    QVERIFY(items[0].csvText().contains("[MIN"));
    // One map alone takes the room of three.
    const int threeCell = superposed->cellSize();
    view->setDisplay(AttentionView::Display::Difference);
    QTest::qWait(50);
    QVERIFY(!superposed->isVisible());
    QVERIFY(view->tokenMaps()[2]->cellSize() >= threeCell);
    QCOMPARE(view->exportItems().size(), 1);
    view->setDisplay(AttentionView::Display::AllMaps);
    QVERIFY(saveShot(*window, "attention-listops.png"));
}

void AttentionViewTest::longSequenceZoomsAndPans()
{
    auto window = openAttention("listops-short-mimoformer.pt");
    // 64 tokens: "[MAX", 62 digits, "]".
    std::string longExpression = "[MAX";
    for (int i = 0; i < 62; ++i)
        longExpression += " " + std::to_string((i * 7) % 10);
    longExpression += " ]";
    window->controller()->inputs().setInputs(typed({longExpression, "[SM 3 3 ]", "[MED 1 5 8 ]", "[MIN 6 2 ]"}), 0);
    AttentionView* view = window->insidePanel()->attentionView();
    QVERIFY(QTest::qWaitFor([&] { return view->maps().length == 64 && waitUntilIdle(*window, 1000); }, 60000));
    QTest::qWait(50);
    // Readable by default: every token named, a line of text per cell; the scroll bars pan.
    TokenMapWidget* superposed = view->tokenMaps()[0];
    QCOMPARE(superposed->labelStep(), 1);
    QVERIFY(superposed->cellSize() >= superposed->fontMetrics().height());
    QVERIFY(!view->fitsMaps());
    QVERIFY(saveShot(*window, "attention-64-tokens.png"));
    QScrollArea* area = view->mapsArea();
    QVERIFY(area->horizontalScrollBar()->isVisible() || area->verticalScrollBar()->isVisible());
    area->verticalScrollBar()->setValue(area->verticalScrollBar()->maximum());
    QVERIFY(area->verticalScrollBar()->value() > 0 || !area->verticalScrollBar()->isVisible());
    // Fit: each map whole in view, the labels thinned and the hint says so.
    auto* fit = view->findChild<QToolButton*>("zoomFit");
    QVERIFY(fit && fit->text() == "Fit");
    QTest::mouseClick(fit, Qt::LeftButton);
    QVERIFY(view->fitsMaps());
    QTest::qWait(50);
    for (TokenMapWidget* map : view->tokenMaps())
        QVERIFY2(inSight(map, area), "a fitted map is out of sight");
    QVERIFY(superposed->labelStep() > 1);
    QVERIFY2(view->queryText().contains("every"), qPrintable(view->queryText()));
    // Ctrl+wheel on a map zooms in; − zooms out again.
    const int fitted = superposed->cellSize();
    QWheelEvent wheel(QPointF(superposed->cellRect(1, 1).center()), superposed->mapToGlobal(superposed->cellRect(1, 1).center()),
                      QPoint(), QPoint(0, 120), Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(superposed, &wheel);
    QVERIFY(superposed->cellSize() > fitted);
    QVERIFY(!view->fitsMaps());
    view->zoomOut();
    QVERIFY(superposed->cellSize() <= fitted + 1);
}

void AttentionViewTest::pixelQueryOnTheImage()
{
    auto window = openAttention("fmnist-seq-mimoformer.pt");
    AttentionView* view = window->insidePanel()->attentionView();
    QVERIFY(QTest::qWaitFor([&] { return view->maps().length > 0 && waitUntilIdle(*window, 1000); }, 60000));
    QTest::qWait(50);
    const mimo::AttentionMaps& maps = view->maps();
    QCOMPARE(maps.imageWidth, 14);
    QCOMPARE(view->display(), AttentionView::Display::OnTheImage);
    // Click a pixel of the picture in superposition: it is the query in all three pictures.
    PixelAttentionWidget* superposed = view->imageViews()[0];
    PixelAttentionWidget* alone = view->imageViews()[1];
    const int pixel = 5 * 14 + 7;
    QVERIFY(pixel < maps.length);
    QTest::mouseClick(superposed, Qt::LeftButton, {}, superposed->pixelRect(pixel).center());
    QCOMPARE(view->query(), pixel);
    for (PixelAttentionWidget* image : view->imageViews())
        QCOMPARE(image->query(), pixel);
    QVERIFY2(view->queryText().contains("pixel (5,7)"), qPrintable(view->queryText()));
    // What a pixel shows is that query's row of the map, in superposition and alone.
    const int key = 6 * 14 + 7;
    const float inSuperposition = maps.superposed.values[size_t(pixel) * size_t(maps.length) + size_t(key)];
    const float byItself = maps.alone.values[size_t(pixel) * size_t(maps.length) + size_t(key)];
    QVERIFY2(superposed->toolTipAt(superposed->pixelRect(key).center()).contains(QString::number(double(inSuperposition), 'g', 4)),
             qPrintable(superposed->toolTipAt(superposed->pixelRect(key).center())));
    QVERIFY(alone->toolTipAt(alone->pixelRect(key).center()).contains(QString::number(double(byItself), 'g', 4)));
    // The two share one range, so a colour means the same weight in both.
    QCOMPARE(superposed->colorRange().high, alone->colorRange().high);
    // Pixels after the last real token are no tokens: the picture says so.
    if (maps.length < 196)
        QVERIFY(superposed->toolTipAt(superposed->pixelRect(195).center()).contains("not read"));
    // Big enough to see: a pixel at least 8 px on a 1280x800 window, the pictures side by side.
    QVERIFY(superposed->cellSize() >= 8);
    QVERIFY(superposed->geometry().right() < alone->geometry().left());
    QCOMPARE(view->exportItems().size(), 3);
    QVERIFY(view->exportItems()[0].name.contains("query"));
    QVERIFY(saveShot(*window, "attention-pixels.png"));
}

QTEST_MAIN(AttentionViewTest)
#include "test_attention_view.moc"
