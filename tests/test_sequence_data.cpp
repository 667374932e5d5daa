// Byte-level text TSV files and dataset specs for sequence tasks.
#include "core/data/dataset_spec.h"
#include "core/data/listops.h"
#include "core/data/text_tsv.h"
#include "core/errors.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace mimo;

class SequenceDataTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void bytesBecomeTokensPlusOne();
    void readsLabelsAsIndicesOrNames();
    void headerCrlfAndBomAreAccepted();
    void badFilesAreNamed_data();
    void badFilesAreNamed();
    void specsOpenSequenceDatasets();

private:
    QString write(const QString& name, const QByteArray& content);
    QTemporaryDir dir_;
};

QString SequenceDataTest::write(const QString& name, const QByteArray& content)
{
    QFile file(dir_.filePath(name));
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(file.fileName()));
    file.write(content);
    return file.fileName();
}

void SequenceDataTest::bytesBecomeTokensPlusOne()
{
    const auto tokens = byteTokens("Ab\xc3\xa9", 6); // "Abé" in UTF-8: 4 bytes
    QCOMPARE(tokens, (std::vector<int32_t>{'A' + 1, 'b' + 1, 0xC3 + 1, 0xA9 + 1, 0, 0}));
    QCOMPARE(byteTokens("abcdef", 3), (std::vector<int32_t>{'a' + 1, 'b' + 1, 'c' + 1}));
    QCOMPARE(textFromTokens(byteTokens("Ab\xc3\xa9", 6)), std::string("Ab\xc3\xa9"));
    QCOMPARE(byteTokens(std::string(1, '\xff'), 1)[0], 256);
    QVERIFY_THROWS_EXCEPTION(mimo::Error, textFromTokens({257}));
}

void SequenceDataTest::readsLabelsAsIndicesOrNames()
{
    const auto numeric = TextTsvDataset::fromFile(
        write("numeric.tsv", "1\tgreat film\n0\tdull\n2\tsomething else entirely\n").toStdString(), 8);
    QCOMPARE(numeric.size(), size_t(3));
    QCOMPARE(numeric.classNames(), (std::vector<std::string>{"0", "1", "2"}));
    QCOMPARE(numeric.label(0), int64_t(1));
    QCOMPARE(numeric.vocabularySize(), kByteVocabulary);
    const Sample sample = numeric.sample(1);
    QCOMPARE(sample.modality, Modality::Sequence);
    QCOMPARE(sample.shape, (std::vector<int64_t>{8}));
    QCOMPARE(sample.tokens[0], int32_t('d' + 1));
    QCOMPARE(sample.tokens[4], 0);
    QCOMPARE(sample.label, int64_t(0));

    const auto named = TextTsvDataset::fromFile(write("named.tsv", "pos\tyes\nneg\tno\npos\tsure\n").toStdString(), 4);
    QCOMPARE(named.classNames(), (std::vector<std::string>{"neg", "pos"}));
    QCOMPARE(named.label(0), int64_t(1));
    QCOMPARE(named.label(1), int64_t(0));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, named.sample(3));
}

void SequenceDataTest::headerCrlfAndBomAreAccepted()
{
    const auto data = TextTsvDataset::fromFile(
        write("windows.tsv", "\xEF\xBB\xBFlabel\ttext\r\n0\tfirst\r\n\r\n1\tsecond\r\n").toStdString(), 6);
    QCOMPARE(data.size(), size_t(2));
    QCOMPARE(textFromTokens(data.sample(0).tokens), std::string("first"));
    QCOMPARE(textFromTokens(data.sample(1).tokens), std::string("second"));
}

void SequenceDataTest::badFilesAreNamed_data()
{
    QTest::addColumn<bool>("create");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("problem");
    QTest::newRow("missing file") << false << QByteArray() << "missing";
    QTest::newRow("empty") << true << QByteArray() << "empty";
    QTest::newRow("header only") << true << QByteArray("label\ttext\n") << "no examples";
    QTest::newRow("no tab") << true << QByteArray("0\tfine\n1 missing tab\n") << "line 2: no tab";
    QTest::newRow("empty label") << true << QByteArray("\tno label\n") << "line 1: the label is empty";
    QTest::newRow("empty text") << true << QByteArray("0\t\n") << "line 1: the text is empty";
    QTest::newRow("one class") << true << QByteArray("0\ta\n0\tb\n") << "at least two classes";
}

void SequenceDataTest::badFilesAreNamed()
{
    QFETCH(bool, create);
    QFETCH(QByteArray, content);
    QFETCH(QString, problem);
    const QString name = create ? "bad.tsv" : "absent.tsv";
    const QString path = create ? write(name, content) : dir_.filePath(name);
    try {
        TextTsvDataset::fromFile(path.toStdString());
        QFAIL("no error");
    } catch (const DataError& error) {
        QVERIFY2(QString(error.what()).contains(name), error.what());
        QVERIFY2(QString(error.what()).contains(problem), error.what());
    }
}

void SequenceDataTest::specsOpenSequenceDatasets()
{
    const QString text = write("reviews:test.tsv", "0\tbad\n1\tgood\n");
    DataOptions options;
    options.sequenceLength = 16;
    const auto data = openDataset(("text:" + text).toStdString(), options); // a colon in the file name
    QCOMPARE(data->size(), size_t(2));
    QCOMPARE(data->sampleShape(), (std::vector<int64_t>{16}));
    QCOMPARE(openDataset(("text:" + text).toStdString())->sampleShape(), (std::vector<int64_t>{1000}));

    listops::GeneratorConfig config;
    config.minLength = 5;
    config.maxLength = 30;
    const QString tsv = dir_.filePath("listops.tsv");
    listops::writeTsv(tsv.toStdString(), listops::generate(config, 5));
    options.sequenceLength = 32;
    const auto listopsData = openDataset(("listops:" + tsv).toStdString(), options);
    QCOMPARE(listopsData->size(), size_t(5));
    QCOMPARE(listopsData->vocabularySize(), int64_t(listops::kVocabularySize));
    QVERIFY_THROWS_EXCEPTION(mimo::Error, openDataset("text:"));
}

QTEST_GUILESS_MAIN(SequenceDataTest)
#include "test_sequence_data.moc"
