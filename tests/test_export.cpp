// Export of plots and heatmaps on the offscreen platform: every format gives a valid file of
// the size asked for (PNG decoded with its DPI, SVG parsed, PDF header and trailer), the
// clipboard gets the picture and the data, "export all" writes every view with its CSV and an
// index, and a failed write leaves no file behind and an existing file as it was.
#include "ui/export/export_all.h"
#include "ui/export/export_csv.h"
#include "ui/export/export_dialog.h"
#include "ui/export/export_item.h"
#include "ui/export/export_menu.h"
#include "ui/export/export_rendering.h"
#include "ui/export/export_writer.h"
#include "ui/inside/activations_view.h"
#include "ui/inside/attention_view.h"
#include "ui/inside/interference_view.h"
#include "ui/inside/throughput_view.h"
#include "ui/widgets/matrix_heatmap_widget.h"
#include "ui/widgets/tensor_view_widget.h"

#include <QAction>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QMimeData>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>
#include "ui/widgets/qcustomplot_no_keywords.h"

#include <cmath>
#include <memory>
#include <numeric>

namespace {

mimo::TensorView tensorOf(std::vector<int64_t> shape, float scale = 1.0f)
{
    mimo::TensorView tensor;
    tensor.name = "test";
    tensor.shape = std::move(shape);
    const int64_t count = std::accumulate(tensor.shape.begin(), tensor.shape.end(), int64_t(1), std::multiplies<>());
    for (int64_t i = 0; i < count; ++i)
        tensor.values.push_back(scale * float(std::sin(0.7 * double(i))));
    return tensor;
}

mimo::EvalRow row(int n, double accuracy, double inputsPerSecond, double speedup)
{
    mimo::EvalRow row;
    row.n = n;
    row.count = 200;
    row.correct = std::size_t(std::lround(accuracy * 200));
    row.accuracy = accuracy;
    row.ciLow = accuracy - 0.04;
    row.ciHigh = accuracy + 0.03;
    row.inputsPerSecond = inputsPerSecond;
    row.speedup = speedup;
    return row;
}

// A picture is drawn (not one flat colour) when it holds several clearly different colours.
int distinctColours(const QImage& image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2)
            colours.insert(image.pixel(x, y) & 0xF0F0F0F0u);
    return int(colours.size());
}

QStringList lines(const QString& csv) { return csv.split(QLatin1Char('\n'), Qt::SkipEmptyParts); }

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class ExportTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void pngHasTheSizeAndResolutionAsked();
    void svgIsWellFormed();
    void pdfHasHeaderAndTrailer();
    void clipboardGetsThePictureAndTheData();
    void itemsDescribeWhatTheViewsShow();
    void emptyViewsOfferNothing();
    void contextMenuOffersExportAndData();
    void dialogGuessesTheFormatAndRemembers();
    void exportAllWritesEveryViewWithItsData();
    void failedWriteLeavesNoFile();
    void failedWriteKeepsTheOldFile();
    void writerGetsImagesOfItsOwn();

private:
    QList<ExportItem> sampleItems() const; // throughput plots, matrix heatmap, tensor grid
    ExportOutcome waitFor(QSignalSpy& spy);

    QTemporaryDir settingsDir_;
    QTemporaryDir dir_;
    std::unique_ptr<ThroughputView> throughput_;
    std::unique_ptr<MatrixHeatmapWidget> matrix_;
    std::unique_ptr<TensorViewWidget> tensor_;
};

void ExportTest::initTestCase()
{
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
    QCoreApplication::setOrganizationName("MIMO Explorer Tests");
    QCoreApplication::setApplicationName("test_export");

    throughput_ = std::make_unique<ThroughputView>();
    throughput_->resize(1000, 700);
    throughput_->setSeries({{"model A", {row(1, 0.90, 1000, 1.0), row(2, 0.88, 1900, 1.9), row(4, 0.83, 3600, 3.6)}, {}},
                            {"model B", {row(1, 0.92, 800, 1.0), row(2, 0.90, 1500, 1.9)}, {}}});
    throughput_->show();
    QVERIFY(QTest::qWaitForWindowExposed(throughput_.get()));
    throughput_->flush();

    matrix_ = std::make_unique<MatrixHeatmapWidget>();
    matrix_->setMatrix(tensorOf({3, 3}), {"slot 1", "slot 2", "slot 3"}, {"slot 1", "slot 2", "slot 3"});
    matrix_->resize(matrix_->sizeHint());
    matrix_->show();

    tensor_ = std::make_unique<TensorViewWidget>();
    tensor_->setMaxChannels(2);
    tensor_->setTensor(tensorOf({2, 3, 4, 4}, 2.0f)); // 2 slots, 3 channels (2 shown), 4 x 4 maps
    tensor_->resize(tensor_->sizeHint());
    tensor_->show();
    QVERIFY(QTest::qWaitForWindowExposed(tensor_.get()));
}

void ExportTest::init()
{
    QSettings().clear();
}

QList<ExportItem> ExportTest::sampleItems() const
{
    return throughput_->exportItems() + QList<ExportItem>{matrix_->exportItem("keys", "Key similarity"),
                                                          tensor_->exportItem("channels", "Channels")};
}

ExportOutcome ExportTest::waitFor(QSignalSpy& spy)
{
    ExportOutcome outcome;
    if (spy.isEmpty() && !spy.wait(60000))
        return outcome;
    const QList<QVariant> arguments = spy.takeFirst();
    outcome.written = arguments.at(0).toStringList();
    outcome.errors = arguments.at(1).toStringList();
    return outcome;
}

void ExportTest::pngHasTheSizeAndResolutionAsked()
{
    const QList<ExportItem> items = sampleItems();
    QCOMPARE(items.size(), 4);
    for (const ExportItem& item : items) {
        const QByteArray bytes = renderPng(item, QSize(800, 500), 200.0);
        QImage image;
        QVERIFY2(image.loadFromData(bytes, "PNG"), qPrintable(item.name));
        QCOMPARE(image.size(), QSize(800, 500));
        QCOMPARE(image.dotsPerMeterX(), int(std::lround(200.0 / 0.0254)));
        QCOMPARE(image.dotsPerMeterY(), int(std::lround(200.0 / 0.0254)));
        QVERIFY2(distinctColours(image) >= 4, qPrintable(item.name)); // drawn, not a blank page
    }
    // A size that cannot be rendered gives no bytes and says why.
    QString error;
    QVERIFY(renderExport(items.first(), ExportFormat::Png, QSize(0, 500), 200.0, &error).isEmpty());
    QVERIFY(error.contains("0 x 500"));
}

void ExportTest::svgIsWellFormed()
{
    for (const ExportItem& item : sampleItems()) {
        const QByteArray bytes = renderSvg(item, QSize(800, 500));
        QXmlStreamReader reader(bytes);
        QVERIFY2(reader.readNextStartElement(), qPrintable(item.name));
        QCOMPARE(reader.name().toString(), QStringLiteral("svg"));
        while (!reader.atEnd())
            reader.readNext();
        QVERIFY2(!reader.hasError(), qPrintable(item.name + ": " + reader.errorString()));
        QSvgRenderer renderer(bytes);
        QVERIFY2(renderer.isValid(), qPrintable(item.name));
        QCOMPARE(renderer.viewBox(), QRect(0, 0, 800, 500));
        QVERIFY(bytes.contains(item.title.toUtf8())); // the <title>
    }
}

void ExportTest::pdfHasHeaderAndTrailer()
{
    for (const ExportItem& item : sampleItems()) {
        const QByteArray bytes = renderPdf(item, QSize(800, 500), 144.0);
        QVERIFY2(bytes.startsWith("%PDF-"), qPrintable(item.name));
        QVERIFY2(bytes.contains("%%EOF"), qPrintable(item.name));
        QVERIFY(bytes.size() > 1000);
    }
}

void ExportTest::clipboardGetsThePictureAndTheData()
{
    const ExportItem item = throughput_->exportItems().first();
    QVERIFY(copyToClipboard(item));
    QClipboard* clipboard = QGuiApplication::clipboard();
    QCOMPARE(clipboard->image().size(), item.size * 2);
    QCOMPARE(QString::fromUtf8(clipboard->mimeData()->data("text/csv")), item.csvText());
    QVERIFY(copyCsvToClipboard(item));
    QCOMPARE(clipboard->text(), item.csvText());
}

void ExportTest::itemsDescribeWhatTheViewsShow()
{
    const QList<ExportItem> plots = throughput_->exportItems();
    QCOMPARE(plots.size(), 2);
    QCOMPARE(plots[0].name, QStringLiteral("throughput-accuracy"));
    QCOMPARE(plots[1].name, QStringLiteral("throughput-speedup"));
    const QStringList rows = lines(plots[0].csvText());
    QCOMPARE(rows.size(), 1 + 5); // header, then one line per model and N
    QCOMPARE(rows[0], QStringLiteral("model,n,count,correct,accuracy,ci_low,ci_high,inputs_per_second,speedup"));
    QCOMPARE(rows[3], QStringLiteral("model A,4,200,166,0.83,0.79,0.86,3600,3.6"));
    QCOMPARE(plots[0].size, throughput_->accuracyPlot()->size());

    const QStringList matrix = lines(matrix_->exportItem("keys", "Key similarity").csvText());
    QCOMPARE(matrix.size(), 4);
    QCOMPARE(matrix[0], QStringLiteral(",slot 1,slot 2,slot 3"));
    QVERIFY(matrix[2].startsWith("slot 2,"));

    const QStringList values = lines(tensor_->exportItem("channels", "Channels").csvText());
    QCOMPARE(values.size(), 1 + 2 * 2 * 16); // 2 slots x the 2 channels shown x 4 x 4
    QCOMPARE(values[0], QStringLiteral("slot,channel,row,column,value"));
    QCOMPARE(values[1], QStringLiteral("1,1,1,1,0"));

    // The inside views, fed as the controller would.
    mimo::InterferenceSummary summary;
    summary.n = 2;
    summary.featureCosine = {0.9, 0.8};
    summary.probabilityChange = {0.1, 0.2};
    summary.layers = {"layer1", "layer2"};
    summary.layerGap = {0.05, 0.2};
    summary.layerGapMeaning = "gap";
    summary.influence = tensorOf({2, 2}, 0.5f);
    summary.hasKeyInterference = true;
    summary.keyDimension = 64;
    summary.slotCosine = {0.7, 0.72};
    summary.curveN = {1, 2, 3};
    summary.theoryCosine = {1.0, 0.7, 0.57};
    summary.theoryFamily = "gaussian";
    InterferenceView interference;
    interference.resize(900, 800);
    interference.setSummary(summary);
    QStringList names;
    for (const ExportItem& item : interference.exportItems())
        names << item.name;
    QCOMPARE(names, (QStringList{"interference-slots", "interference-layers", "interference-influence",
                                 "interference-keys"}));
    QCOMPARE(lines(interference.exportItems()[0].csvText()).size(), 1 + 2);

    mimo::AttentionMaps maps;
    maps.length = 5;
    maps.superposed = tensorOf({5, 5});
    maps.alone = tensorOf({5, 5});
    maps.difference = tensorOf({5, 5});
    maps.tokens = {"[MAX", "2", "9", "]", "]"};
    AttentionView attention;
    attention.setMaps(maps);
    QCOMPARE(attention.exportItems().size(), 3);

    mimo::ActivationReport report;
    report.n = 2;
    report.stem = tensorOf({2, 2, 4, 4});
    report.keys = tensorOf({2, 8});
    report.bound = tensorOf({2, 2, 4, 4});
    report.superposition = tensorOf({2, 4, 4});
    report.layers.push_back({"layer1", tensorOf({2, 4, 4}), tensorOf({2, 2, 4, 4}), tensorOf({2, 2, 4, 4}),
                             tensorOf({2, 4, 4}), 0.1});
    ActivationsView activations;
    activations.setReport(report);
    activations.selectLayer("layer1");
    names.clear();
    for (const ExportItem& item : activations.exportItems()) {
        names << item.name;
        QVERIFY2(!item.csvText().isEmpty(), qPrintable(item.name));
    }
    QCOMPARE(names, (QStringList{"activations-grid", "activations-channel", "activations-histogram",
                                 "activations-comparison"}));
    // The comparison: one line per position, one column per panel.
    const QStringList comparison = lines(activations.exportItems()[3].csvText());
    QCOMPARE(comparison.size(), 1 + 16);
    QCOMPARE(comparison[0].split(',').size(), 2 + 1 + 2 + 2 + 1);
}

void ExportTest::emptyViewsOfferNothing()
{
    QVERIFY(ThroughputView().exportItems().isEmpty());
    QVERIFY(!MatrixHeatmapWidget().exportItem("m", "m").isValid());
    QVERIFY(!TensorViewWidget().exportItem("t", "t").isValid());
    InterferenceView interference;
    QVERIFY(interference.exportItems().isEmpty());
    AttentionView attention;
    QVERIFY(attention.exportItems().isEmpty());
    ActivationsView activations;
    QVERIFY(activations.exportItems().isEmpty());
}

void ExportTest::contextMenuOffersExportAndData()
{
    QVERIFY(throughput_->accuracyPlot()->contextMenuPolicy() == Qt::CustomContextMenu);
    const ExportItem item = throughput_->exportItems().first();
    std::unique_ptr<QMenu> menu(makeExportMenu(throughput_.get(), item));
    QStringList texts;
    for (QAction* action : menu->actions()) {
        texts << action->text();
        QVERIFY(action->isEnabled());
    }
    QCOMPARE(texts, (QStringList{"Export…", "Copy to Clipboard", "Copy Data as CSV"}));
    QGuiApplication::clipboard()->clear();
    menu->actions()[1]->trigger();
    QCOMPARE(QGuiApplication::clipboard()->image().size(), item.size * 2);
    menu->actions()[2]->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(), item.csvText());

    // Nothing shown: the actions are there but disabled, and there is no data to copy.
    MatrixHeatmapWidget empty;
    std::unique_ptr<QMenu> emptyMenu(makeExportMenu(&empty, empty.exportItem("m", "m")));
    QCOMPARE(emptyMenu->actions().size(), 2);
    for (QAction* action : emptyMenu->actions())
        QVERIFY(!action->isEnabled());
}

void ExportTest::dialogGuessesTheFormatAndRemembers()
{
    const QList<ExportItem> items = sampleItems();
    {
        ExportDialog dialog(items, 2);
        QCOMPARE(dialog.item().name, items[2].name);
        QCOMPARE(dialog.pixels(), items[2].size * 2);
        QCOMPARE(dialog.dpi(), 144.0);
        QCOMPARE(dialog.format(), ExportFormat::Png);
        dialog.setPath(dir_.filePath("keys.svg"));
        QCOMPARE(dialog.format(), ExportFormat::Svg);
        dialog.setFormat(ExportFormat::Pdf);
        QCOMPARE(dialog.path(), dir_.filePath("keys.pdf"));
        dialog.setPixels(QSize(800, 500));
        dialog.setDpi(200);

        dialog.setPath(dir_.filePath("missing/keys.pdf"));
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY(dialog.problem().contains(QDir::toNativeSeparators(dir_.filePath("missing"))));

        dialog.setPath(dir_.filePath("keys.pdf"));
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }
    ExportDialog again(items, 2);
    QCOMPARE(again.format(), ExportFormat::Pdf);
    QCOMPARE(again.dpi(), 200.0);
    QCOMPARE(again.pixels(), QSize(800, 500)); // remembered for this view
    QCOMPARE(QFileInfo(again.path()).absolutePath(), QFileInfo(dir_.path()).absoluteFilePath()); // and the folder
    again.selectItem(3);
    QCOMPARE(again.pixels(), items[3].size * 2); // another view: its own default
    QCOMPARE(QFileInfo(again.path()).fileName(), items[3].name + ".pdf");
}

void ExportTest::exportAllWritesEveryViewWithItsData()
{
    QList<ExportItem> items = sampleItems();
    items << matrix_->exportItem("keys", "Key similarity again"); // a repeated name gets a suffix
    const QString folder = dir_.filePath("all/" + exportAllFolderName());
    ExportWriter writer;
    QSignalSpy spy(&writer, &ExportWriter::finished);
    QCOMPARE(exportAll(items, folder, &writer, throughput_.get()), 5 * 4 + 2);
    const ExportOutcome outcome = waitFor(spy);
    QVERIFY2(outcome.errors.isEmpty(), qPrintable(outcome.errors.join('\n')));

    QStringList expected;
    for (const char* name : {"throughput-accuracy", "throughput-speedup", "keys", "channels", "keys-2"})
        for (const char* suffix : {"png", "svg", "pdf", "csv"})
            expected << QString("%1.%2").arg(name, suffix);
    expected << "window.png" << "index.json";
    QStringList written;
    for (const QString& path : outcome.written) {
        QCOMPARE(QFileInfo(path).absolutePath(), QFileInfo(folder).absoluteFilePath());
        written << QFileInfo(path).fileName();
    }
    QCOMPARE(written, expected);
    QCOMPARE(QDir(folder).entryList(QDir::Files).size(), expected.size()); // no temporary files left

    const QImage png(QDir(folder).filePath("keys.png"));
    QCOMPARE(png.size(), items[2].size * 2);
    QCOMPARE(png.dotsPerMeterX(), int(std::lround(144.0 / 0.0254)));
    QVERIFY(readAll(QDir(folder).filePath("channels.pdf")).startsWith("%PDF-"));
    QVERIFY(QSvgRenderer(QDir(folder).filePath("throughput-speedup.svg")).isValid());
    QCOMPARE(QString::fromUtf8(readAll(QDir(folder).filePath("throughput-accuracy.csv"))), items[0].csvText());
    QCOMPARE(lines(QString::fromUtf8(readAll(QDir(folder).filePath("throughput-accuracy.csv")))).size(), 1 + 5);
    QCOMPARE(QImage(QDir(folder).filePath("window.png")).size(),
             throughput_->size() * throughput_->devicePixelRatio());

    const QJsonObject index = QJsonDocument::fromJson(readAll(QDir(folder).filePath("index.json"))).object();
    const QJsonArray views = index.value("views").toArray();
    QCOMPARE(views.size(), 5);
    QCOMPARE(views[4].toObject().value("name").toString(), QStringLiteral("keys-2"));
    QCOMPARE(views[4].toObject().value("files").toArray().size(), 4);
    QCOMPARE(index.value("window").toString(), QStringLiteral("window.png"));
}

void ExportTest::failedWriteLeavesNoFile()
{
    // A regular file used as a folder fails for everyone, root included.
    const QString plain = dir_.filePath("plain-file");
    {
        QFile file(plain);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not a folder");
    }
    const QString inFile = plain + "/view.png";
    const QString inMissing = dir_.filePath("missing-folder/view.png");
    ExportWriter writer;
    QSignalSpy spy(&writer, &ExportWriter::finished);
    writer.write({{inFile, QByteArray("png bytes"), {}}, {inMissing, QByteArray("png bytes"), {}}});
    const ExportOutcome outcome = waitFor(spy);
    QVERIFY(outcome.written.isEmpty());
    QCOMPARE(outcome.errors.size(), 2);
    QVERIFY2(outcome.errors[0].startsWith(QDir::toNativeSeparators(inFile) + ": "), qPrintable(outcome.errors[0]));
    QVERIFY2(outcome.errors[1].startsWith(QDir::toNativeSeparators(inMissing) + ": "), qPrintable(outcome.errors[1]));
    QVERIFY(!QFileInfo::exists(inMissing));
    QVERIFY(!QFileInfo::exists(dir_.filePath("missing-folder"))); // a single export creates no folder
    QCOMPARE(readAll(plain), QByteArray("not a folder"));
}

void ExportTest::failedWriteKeepsTheOldFile()
{
    // The atomic write goes through a temporary file named after the target plus ".XXXXXX":
    // next to a 250-character name, that name exceeds the file system's 255, so the write fails
    // after the target exists (for everyone, root included) and must leave it as it was.
    QTemporaryDir dir;
    const QString path = dir.filePath(QString(246, QLatin1Char('v')) + ".png");
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            QSKIP("this file system does not take 250-character names");
        file.write("old picture");
    }
    ExportWriter writer;
    QSignalSpy spy(&writer, &ExportWriter::finished);
    writer.write({{path, renderPng(matrix_->exportItem("keys", "Key similarity"), QSize(200, 200), 144.0), {}}});
    const ExportOutcome outcome = waitFor(spy);
    QVERIFY(outcome.written.isEmpty());
    QCOMPARE(outcome.errors.size(), 1);
    QVERIFY2(outcome.errors[0].startsWith(QDir::toNativeSeparators(path) + ": "), qPrintable(outcome.errors[0]));
    QCOMPARE(readAll(path), QByteArray("old picture"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1); // no temporary file left
}

void ExportTest::writerGetsImagesOfItsOwn()
{
    // A painted image keeps its paint engine, and destroying that on the writer's thread while
    // the GUI thread paints corrupted the heap: the writer's thread gets fresh copies only.
    const ExportItem item = throughput_->exportItems().first();
    const QImage painted = renderImage(item, item.size, kDefaultExportDpi);
    QVERIFY(!painted.isNull());
    const QList<ExportFile> own = detachedForWriter({ExportFile{dir_.filePath("own.png"), {}, painted},
                                                     ExportFile{dir_.filePath("own.csv"), "a,b\n", {}}});
    QCOMPARE(own.size(), 2);
    QVERIFY(own[0].image.cacheKey() != painted.cacheKey()); // another image, not a shared one
    QCOMPARE(own[0].image, painted);                         // with the same pixels
    QCOMPARE(own[0].image.dotsPerMeterX(), painted.dotsPerMeterX());
    QCOMPARE(own[1].bytes, QByteArray("a,b\n"));
    QVERIFY(own[1].image.isNull());
}

QTEST_MAIN(ExportTest)
#include "test_export.moc"
