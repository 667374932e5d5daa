// Tests for core/data/listops: generator, evaluator, tokenizer, TSV files and the dataset.
#include "core/data/listops.h"
#include "core/errors.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <set>

using namespace mimo::listops;

namespace {

// what() of the E thrown by f, or an empty string when nothing is thrown. Any other
// exception escapes and fails the test.
template <class E = mimo::DataError, class F>
QString errorOf(F&& f) {
    try {
        f();
    } catch (const E& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

GeneratorConfig shortConfig(uint64_t seed = 7) {
    GeneratorConfig c;
    c.minLength = 10;
    c.maxLength = 100;
    c.seed = seed;
    return c;
}

void writeFile(const QString& path, const QByteArray& content) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(content), content.size());
}

} // namespace

class TestListOps : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void treeDepthCountsNestedOperators() {
        QCOMPARE(treeDepth(tokenize("7")), 0);
        QCOMPARE(treeDepth(tokenize("[MAX 2 9 ]")), 1);
        QCOMPARE(treeDepth(tokenize("[MAX 2 [MIN 3 4 ] ]")), 2);
        QCOMPARE(treeDepth(tokenize("[SM [MED 1 [MAX 5 6 ] ] [MIN 3 4 ] 2 ]")), 3);
        std::vector<int32_t> padded = tokenize("[MIN 1 [SM 2 3 ] ]");
        padded.resize(40, kPadId); // padding does not count
        QCOMPARE(treeDepth(padded), 2);
        // The dataset groups its items by it, for accuracy by depth.
        const ListOpsDataset data({Example{"[MAX 2 9 ]", 9}, Example{"[MAX 2 [MIN 3 4 ] ]", 3}}, 8);
        QCOMPARE(data.groupKind(), std::string("tree depth"));
        QCOMPARE(data.group(0), 1);
        QCOMPARE(data.group(1), 2);
    }

    void generatorIsDeterministic() {
        const auto a = generate(shortConfig(3), 300);
        const auto b = generate(shortConfig(3), 300);
        QCOMPARE(a.size(), std::size_t(300));
        for (std::size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(a[i].source, b[i].source);
            QCOMPARE(a[i].label, b[i].label);
        }
        // A longer request starts with the shorter one.
        const auto c = generate(shortConfig(3), 400);
        for (std::size_t i = 0; i < a.size(); ++i) QCOMPARE(c[i].source, a[i].source);
    }

    void differentSeedsDiffer() {
        const auto a = generate(shortConfig(1), 100);
        const auto b = generate(shortConfig(2), 100);
        std::set<std::string> first;
        for (const auto& e : a) first.insert(e.source);
        int shared = 0;
        for (const auto& e : b) shared += first.count(e.source) ? 1 : 0;
        QVERIFY2(shared < 20, qPrintable(QString("%1 of 100 sources shared").arg(shared)));
        QVERIFY(a[0].source != b[0].source);
    }

    void generatorOutputIsPinned() {
        // Guards the platform-independent sampling: changing it silently changes every dataset.
        GeneratorConfig c = shortConfig(42);
        c.maxLength = 20;
        const auto e = generate(c, 2);
        QCOMPARE(e[0].source, std::string("( ( ( ( ( ( [MED 7 ) 9 ) 8 ) ( ( ( ( ( [MAX 7 ) 1 ) 7 ) 8 ) ] ) ) 5 ) ] )"));
        QCOMPARE(e[0].label, 8);
        QCOMPARE(e[1].label, 7);
        QCOMPARE(e[1].source, std::string("( ( ( ( [MED 7 ) ( ( ( ( ( ( ( ( [MAX 5 ) 8 ) ( ( ( ( ( [MIN 6 ) 1 ) 1 ) 2 ) ] ) ) "
                                         "8 ) 5 ) 4 ) 2 ) ] ) ) 5 ) ] )"));
    }

    void lengthsStayInsideWindow_data() {
        QTest::addColumn<int>("maxDepth");
        QTest::addColumn<int>("maxArgs");
        QTest::addColumn<int>("minLength");
        QTest::addColumn<int>("maxLength");
        QTest::addColumn<int>("count");
        QTest::newRow("lra") << 10 << 10 << 500 << 2000 << 150;
        QTest::newRow("short") << 10 << 10 << 10 << 100 << 2000;
        QTest::newRow("narrow") << 10 << 10 << 50 << 52 << 50;
        QTest::newRow("binary-shallow") << 4 << 2 << 3 << 30 << 100;
    }

    void lengthsStayInsideWindow() {
        QFETCH(int, maxDepth);
        QFETCH(int, maxArgs);
        QFETCH(int, minLength);
        QFETCH(int, maxLength);
        QFETCH(int, count);
        GeneratorConfig c{maxDepth, maxArgs, minLength, maxLength, 11};
        const auto examples = generate(c, static_cast<std::size_t>(count));
        QCOMPARE(examples.size(), static_cast<std::size_t>(count));
        for (const auto& e : examples) {
            const int length = static_cast<int>(tokenize(e.source).size());
            QVERIFY2(length > minLength && length < maxLength, e.source.c_str());
        }
    }

    void generatedSourcesAreDistinct() {
        const auto examples = generate(shortConfig(), 3000);
        std::set<std::string> sources;
        for (const auto& e : examples) sources.insert(e.source);
        QCOMPARE(sources.size(), examples.size());
    }

    void generatedLabelsMatchEvaluation() {
        const auto examples = generate(GeneratorConfig{}, 100);
        std::set<int> labels;
        for (const auto& e : examples) {
            QCOMPARE(e.label, evaluate(e.source));
            QCOMPARE(e.label, evaluate(compactForm(e.source)));
            labels.insert(e.label);
        }
        QVERIFY(labels.size() >= 5); // not a degenerate evaluator
    }

    void generatedSourcesUseLraRendering() {
        for (const auto& e : generate(shortConfig(), 300)) {
            QCOMPARE(lraForm(compactForm(e.source)), e.source);
            QVERIFY(e.source.rfind("( ", 0) == 0);
            QVERIFY(e.source.find("  ") == std::string::npos);
        }
    }

    void generateZeroIsEmpty() {
        QVERIFY(generate(GeneratorConfig{}, 0).empty());
    }

    void generatorRejectsInvalidConfig_data() {
        QTest::addColumn<int>("maxDepth");
        QTest::addColumn<int>("maxArgs");
        QTest::addColumn<int>("minLength");
        QTest::addColumn<int>("maxLength");
        QTest::addColumn<QString>("expected");
        QTest::newRow("maxDepth 0") << 0 << 10 << 500 << 2000 << "maxDepth";
        QTest::newRow("maxDepth huge") << 5000 << 10 << 500 << 2000 << "maxDepth";
        QTest::newRow("maxArgs 1") << 10 << 1 << 500 << 2000 << "maxArgs";
        QTest::newRow("negative minLength") << 10 << 10 << -1 << 2000 << "minLength";
        QTest::newRow("empty window") << 10 << 10 << 99 << 100 << "length window";
        QTest::newRow("reversed window") << 10 << 10 << 200 << 100 << "length window";
    }

    void generatorRejectsInvalidConfig() {
        QFETCH(int, maxDepth);
        QFETCH(int, maxArgs);
        QFETCH(int, minLength);
        QFETCH(int, maxLength);
        QFETCH(QString, expected);
        const GeneratorConfig c{maxDepth, maxArgs, minLength, maxLength, 0};
        const QString message = errorOf<mimo::Error>([&] { generate(c, 1); });
        QVERIFY2(message.contains(expected), qPrintable(message));
        QCOMPARE(errorOf<mimo::Error>([&] { validate(c); }), message);
    }

    void leafOnlyWindowHoldsTheTenDigits() {
        // Only the ten leaves fit (0, 2): ten examples exist (an eleventh never turns up, below).
        const auto digits = generate(GeneratorConfig{10, 10, 0, 2, 5}, 10);
        std::set<std::string> sources;
        for (const auto& e : digits) sources.insert(e.source);
        QCOMPARE(sources, (std::set<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}));
    }

    void generatorReportsImpossibleConfig_data() {
        QTest::addColumn<int>("maxDepth");
        QTest::addColumn<int>("maxArgs");
        QTest::addColumn<int>("minLength");
        QTest::addColumn<int>("maxLength");
        QTest::addColumn<int>("seed");
        QTest::addColumn<int>("count");
        QTest::addColumn<QStringList>("expected");
        // Depth 3 with binary nodes cannot exceed 10 tokens: refused before any sampling.
        QTest::newRow("depth too shallow for the window")
            << 3 << 2 << 500 << 2000 << 0 << 1 << QStringList{"no tree is longer than 10"};
        // Only the ten leaves fit (0, 2): an eleventh example never turns up.
        QTest::newRow("eleventh leaf") << 10 << 10 << 0 << 2 << 5 << 11
                                       << QStringList{"consecutive attempts", "10 of 11"};
        // No tree has 2 or 3 tokens (a leaf has 1, an operator node at least 4).
        QTest::newRow("no tree of 2 or 3 tokens") << 10 << 10 << 1 << 4 << 0 << 1
                                                  << QStringList{"consecutive attempts"};
    }

    void generatorReportsImpossibleConfig() {
        QFETCH(int, maxDepth);
        QFETCH(int, maxArgs);
        QFETCH(int, minLength);
        QFETCH(int, maxLength);
        QFETCH(int, seed);
        QFETCH(int, count);
        QFETCH(QStringList, expected);
        const GeneratorConfig c{maxDepth, maxArgs, minLength, maxLength, static_cast<uint64_t>(seed)};
        const QString message = errorOf<mimo::Error>([&] { generate(c, static_cast<std::size_t>(count)); });
        for (const QString& e : expected) QVERIFY2(message.contains(e), qPrintable(message));
    }

    void rendersLraForm() {
        QCOMPARE(lraForm("[MAX 2 9 ]"), std::string("( ( ( [MAX 2 ) 9 ) ] )"));
        QCOMPARE(lraForm("[MAX 2 9 X"), std::string("( ( ( [MAX 2 ) 9 ) ] )"));
        QCOMPARE(lraForm("7"), std::string("7"));
        QCOMPARE(lraForm("[MIN 1 [SM 2 3 ] ]"), std::string("( ( ( [MIN 1 ) ( ( ( [SM 2 ) 3 ) ] ) ) ] )"));
        QCOMPARE(lraForm("( ( ( [MAX 2 ) 9 ) ] )"), std::string("( ( ( [MAX 2 ) 9 ) ] )"));
        QVERIFY(errorOf([] { lraForm("[MAX 2", "typed"); }).startsWith("typed: "));
    }

    void compactFormDropsParentheses() {
        QCOMPARE(compactForm("( ( ( [MAX 2 ) 9 ) ] )"), std::string("[MAX 2 9 ]"));
        QCOMPARE(compactForm("  [MIN\t3  4 ]\n"), std::string("[MIN 3 4 ]"));
        QCOMPARE(compactForm(""), std::string());
    }

    void evaluatesExpressions_data() {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<int>("value");
        QTest::newRow("leaf") << "7" << 7;
        QTest::newRow("min") << "[MIN 4 2 7 ]" << 2;
        QTest::newRow("max") << "[MAX 2 9 ]" << 9;
        QTest::newRow("max lra form") << "( ( ( [MAX 2 ) 9 ) ] )" << 9;
        QTest::newRow("med odd") << "[MED 3 1 2 ]" << 2;
        QTest::newRow("med even truncates") << "[MED 1 2 3 4 ]" << 2;
        QTest::newRow("med even 8.5") << "[MED 9 8 ]" << 8;
        QTest::newRow("med even 4.5") << "[MED 0 9 ]" << 4;
        QTest::newRow("med even exact") << "[MED 2 6 1 7 ]" << 4;
        QTest::newRow("sm") << "[SM 5 7 9 ]" << 1;
        QTest::newRow("sm small") << "[SM 1 2 ]" << 3;
        QTest::newRow("single argument") << "[MIN 5 ]" << 5;
        QTest::newRow("nested") << "[MAX 2 [MIN 4 7 ] 0 ]" << 4;
        QTest::newRow("deeper") << "[SM [MED 1 2 [MAX 5 6 ] 7 ] [MIN 3 8 ] 9 ]" << 6;
        QTest::newRow("X closes") << "[SM 4 [MAX 1 8 X 3 X" << 5;
        QTest::newRow("any whitespace") << "\t[MIN\n8  [MAX 3 9 ]\r\n]  " << 8;
    }

    void evaluatesExpressions() {
        QFETCH(QString, expression);
        QFETCH(int, value);
        QCOMPARE(evaluate(expression.toStdString()), value);
        QCOMPARE(evaluate(lraForm(expression.toStdString())), value);
    }

    void evaluateRejectsBadInput_data() {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("expected");
        QTest::newRow("word") << "hello" << "unknown token 'hello' at token 1";
        QTest::newRow("empty") << "" << "empty expression";
        QTest::newRow("blank") << "  \n " << "empty expression";
        QTest::newRow("two digits") << "[MAX 2 10 ]" << "unknown token '10' at token 3";
        QTest::newRow("glued bracket") << "[MAX 2 9]" << "unknown token '9]' at token 3";
        QTest::newRow("unclosed") << "[MAX 2 [MIN 9" << "operator [MIN at token 3 is never closed";
        QTest::newRow("extra close") << "[MAX 2 9 ] ]" << "']' at token 5 closes no operator";
        QTest::newRow("lone close") << "]" << "']' at token 1 closes no operator";
        QTest::newRow("no arguments") << "[MAX 1 [SM ] ]" << "operator [SM at token 3 has no arguments";
        QTest::newRow("trailing digit") << "[MAX 2 9 ] 3" << "unexpected '3' at token 5 after the end";
        QTest::newRow("trailing operator") << "4 [MIN 1 ]" << "unexpected '[MIN' at token 2 after the end";
        QTest::newRow("two leaves") << "3 4" << "at token 2 after the end";
        QTest::newRow("unclosed paren") << "( ( ( [MAX 2 ) 9 ) ]" << "1 '(' never closed";
        QTest::newRow("stray paren") << "( [MAX 2 9 ] ) )" << "')' at token 7 has no matching '('";
        QTest::newRow("lower case") << "[max 2 9 ]" << "unknown token '[max'";
    }

    void evaluateRejectsBadInput() {
        QFETCH(QString, expression);
        QFETCH(QString, expected);
        const QString message = errorOf([&] { evaluate(expression.toStdString(), "input.txt"); });
        QVERIFY2(message.startsWith("input.txt: "), qPrintable(message));
        QVERIFY2(message.contains(expected), qPrintable(message));
        QVERIFY(!errorOf([&] { evaluate(expression.toStdString()); }).isEmpty());
    }

    void tokenizerIds() {
        QCOMPARE(kVocabularySize, 16);
        QCOMPARE(vocabulary().size(), std::size_t(16));
        QCOMPARE(vocabulary()[0], std::string("<pad>"));
        for (int id = 1; id < kVocabularySize; ++id)
            QCOMPARE(tokenize(vocabulary()[std::size_t(id)]), std::vector<int32_t>{id});
        QCOMPARE(tokenize("0 9"), (std::vector<int32_t>{1, 10}));
        QCOMPARE(tokenize("[MIN [MAX [MED [SM ] X"), (std::vector<int32_t>{11, 12, 13, 14, 15, 15}));
        QCOMPARE(tokenize("( ( ( [MAX 2 ) 9 ) ] )"), (std::vector<int32_t>{12, 3, 10, 15}));
        QVERIFY(tokenize("( )").empty());
    }

    void tokenizerRoundTrip() {
        for (const auto& e : generate(shortConfig(5), 200)) {
            const auto ids = tokenize(e.source);
            QCOMPARE(detokenize(ids), compactForm(e.source));
            QCOMPARE(detokenize(padOrTruncate(ids, ids.size() + 30)), compactForm(e.source));
            QCOMPARE(tokenize(detokenize(ids)), ids);
        }
        QCOMPARE(detokenize({12, 3, 0, 10, 15, 0}), std::string("[MAX 2 9 ]"));
        QCOMPARE(detokenize({}), std::string());
    }

    void tokenizerRejectsUnknownToken() {
        const QString message = errorOf([] { tokenize("[MAX 2 nine ]", "sample.tsv"); });
        QVERIFY2(message.startsWith("sample.tsv: ") && message.contains("'nine' at token 3"), qPrintable(message));
        QVERIFY(errorOf([] { tokenize("[AVG 1 2 ]"); }).startsWith("<text>: "));
    }

    void detokenizeRejectsBadIds_data() {
        QTest::addColumn<QList<int>>("ids");
        QTest::addColumn<QString>("expected");
        QTest::newRow("id past the vocabulary") << QList<int>{12, 16} << "id 16 at position 1";
        QTest::newRow("negative id") << QList<int>{-1} << "id -1";
    }

    void detokenizeRejectsBadIds() {
        QFETCH(QList<int>, ids);
        QFETCH(QString, expected);
        const std::vector<int32_t> tokens(ids.begin(), ids.end());
        const QString message = errorOf<mimo::Error>([&] { detokenize(tokens); });
        QVERIFY2(message.contains(expected), qPrintable(message));
    }

    void padsAndTruncates() {
        QCOMPARE(padOrTruncate({5, 6}, 5), (std::vector<int32_t>{5, 6, 0, 0, 0}));
        QCOMPARE(padOrTruncate({5, 6, 7, 8}, 2), (std::vector<int32_t>{5, 6}));
        QCOMPARE(padOrTruncate({5, 6}, 2), (std::vector<int32_t>{5, 6}));
        QVERIFY(padOrTruncate({5}, 0).empty());
    }

    void tsvRoundTrip() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = dir.filePath("basic_test.tsv").toStdString();
        const auto examples = generate(shortConfig(9), 50);
        writeTsv(path, examples);
        const auto back = readTsv(path);
        QCOMPARE(back.size(), examples.size());
        for (std::size_t i = 0; i < back.size(); ++i) {
            QCOMPARE(back[i].source, examples[i].source);
            QCOMPARE(back[i].label, examples[i].label);
        }
        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        QCOMPARE(lines.first(), QByteArray("Source\tTarget\r")); // CRLF, as the official writer's
        QCOMPARE(lines.at(1),
                 QByteArray::fromStdString(examples[0].source + "\t" + std::to_string(examples[0].label) + "\r"));
        QVERIFY(!QFile::exists(QString::fromStdString(path + ".partial")));
        // Overwriting replaces the file as a whole.
        writeTsv(path, {{"[MAX 2 9 ]", 9}});
        QCOMPARE(readTsv(path).size(), std::size_t(1));
        writeTsv(path, {});
        QVERIFY(readTsv(path).empty());
    }

    void tsvAcceptsCrlf() {
        QTemporaryDir dir;
        const QString path = dir.filePath("crlf.tsv");
        writeFile(path, "Source\tTarget\r\n( ( ( [MAX 2 ) 9 ) ] )\t9\r\n[SM 4 5 ]\t9\r\n\r\n");
        const auto e = readTsv(path.toStdString());
        QCOMPARE(e.size(), std::size_t(2));
        QCOMPARE(e[0].source, std::string("( ( ( [MAX 2 ) 9 ) ] )"));
        QCOMPARE(e[1].label, 9);
    }

    void tsvRejectsBadFiles_data() {
        QTest::addColumn<bool>("create");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        const QByteArray h = "Source\tTarget\n";
        QTest::newRow("missing file") << false << QByteArray() << "cannot open";
        QTest::newRow("empty file") << true << QByteArray() << "empty";
        QTest::newRow("wrong header") << true << QByteArray("Input\tOutput\n7\t7\n") << "line 1: expected the header";
        QTest::newRow("no header") << true << QByteArray("[MAX 2 9 ]\t9\n") << "line 1: expected the header";
        QTest::newRow("no tab") << true << h + "7\t7\n[MAX 2 9 ] 9\n" << "line 3: no tab";
        QTest::newRow("label missing") << true << h + "7\t\n" << "line 2: the label is missing";
        QTest::newRow("label word") << true << h + "7\tseven\n" << "line 2: label 'seven' is not an integer";
        QTest::newRow("label fraction") << true << h + "7\t7.0\n" << "line 2: label '7.0' is not an integer";
        QTest::newRow("label extra field") << true << h + "7\t7\tx\n" << "line 2: label '7\tx' is not an integer";
        QTest::newRow("label too big") << true << h + "7\t7\n[MAX 2 9 ]\t12\n" << "line 3: label 12 is outside 0..9";
        QTest::newRow("label negative") << true << h + "7\t-1\n" << "line 2: label -1 is outside 0..9";
        QTest::newRow("source word") << true << h + "hello\t3\n" << "line 2: the source is not a ListOps expression";
        QTest::newRow("source unbalanced") << true << h + "[MAX 2 9\t9\n" << "never closed";
        QTest::newRow("source empty") << true << h + "\t3\n" << "empty expression";
        QTest::newRow("wrong label") << true << h + "[MAX 2 9 ]\t9\n\n[MIN 2 9 ]\t9\n" << "line 4: label 9 disagrees";
    }

    void tsvRejectsBadFiles() {
        QFETCH(bool, create);
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = dir.filePath("broken_listops.tsv");
        if (create) writeFile(path, content);
        std::string source;
        const QString message = errorOf([&] {
            try {
                readTsv(path.toStdString());
            } catch (const mimo::DataError& e) {
                source = e.source();
                throw;
            }
        });
        QVERIFY2(message.contains("broken_listops.tsv"), qPrintable(message));
        QVERIFY2(message.contains(expected), qPrintable(message));
        QCOMPARE(source, path.toStdString());
    }

    void tsvWithoutLabelCheck() {
        QTemporaryDir dir;
        const QString path = dir.filePath("noisy.tsv");
        writeFile(path, "Source\tTarget\n[MIN 2 9 ]\t9\n");
        QCOMPARE(readTsv(path.toStdString(), false).at(0).label, 9);
        writeFile(path, "Source\tTarget\n[MIN 2 nine ]\t9\n");
        QVERIFY(errorOf([&] { readTsv(path.toStdString(), false); }).contains("'nine'"));
    }

    void writeTsvRejectsBadExamples_data() {
        QTest::addColumn<QString>("source");
        QTest::addColumn<int>("label");
        QTest::addColumn<QString>("expected");
        QTest::newRow("label 10") << "7" << 10 << "label 10";
        QTest::newRow("tab in the source") << "7\t3" << 7 << "tab";
        QTest::newRow("line break in the source") << "7\n3" << 7 << "line break";
    }

    void writeTsvRejectsBadExamples() {
        QFETCH(QString, source);
        QFETCH(int, label);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const std::string path = dir.filePath("out.tsv").toStdString();
        const QString message = errorOf([&] { writeTsv(path, {{source.toStdString(), label}}); });
        QVERIFY2(message.contains(expected), qPrintable(message));
        QVERIFY(!QFile::exists(QString::fromStdString(path)));
    }

    void writeTsvNamesAMissingFolder() {
        QTemporaryDir dir;
        const QString noDir = dir.filePath("missing/out.tsv");
        QVERIFY(errorOf<mimo::Error>([&] { writeTsv(noDir.toStdString(), {{"7", 7}}); }).contains("out.tsv"));
    }

    void writeTsvLeavesAFolderAsItIs() {
        // `mimo listops generate --out FOLDER` once replaced an empty folder with the file.
        QTemporaryDir dir;
        const QString folder = dir.filePath("empty");
        QVERIFY(QDir().mkpath(folder));
        const QString error = errorOf<mimo::DataError>([&] { writeTsv(folder.toStdString(), {{"7", 7}}); });
        QVERIFY2(error.contains("is a folder") && error.contains(folder), qPrintable(error));
        QVERIFY(QFileInfo(folder).isDir());
        QVERIFY(QDir(folder).isEmpty());
        QVERIFY(!QFileInfo::exists(folder + ".partial"));
    }

    void datasetSamples() {
        const std::vector<Example> examples = {{"( ( ( [MAX 2 ) 9 ) ] )", 9}, {"[SM 1 2 3 4 5 6 7 8 ]", 6}, {"4", 4}};
        const ListOpsDataset data(examples, 6, "tiny");
        QCOMPARE(data.name(), std::string("tiny"));
        QCOMPARE(data.size(), std::size_t(3));
        QVERIFY(data.modality() == mimo::Modality::Sequence);
        QCOMPARE(data.sampleShape(), std::vector<int64_t>{6});
        QCOMPARE(data.vocabularySize(), int64_t(16));
        QCOMPARE(data.sequenceLength(), std::size_t(6));
        QCOMPARE(data.classNames().size(), std::size_t(10));
        QCOMPARE(data.classNames()[3], std::string("3"));
        mimo::Sample s = data.sample(0);
        QVERIFY(s.modality == mimo::Modality::Sequence);
        QCOMPARE(s.shape, std::vector<int64_t>{6});
        QCOMPARE(s.tokens, (std::vector<int32_t>{12, 3, 10, 15, 0, 0}));
        QCOMPARE(s.label, int64_t(9));
        QVERIFY(s.pixels.empty());
        QCOMPARE(data.sample(1).tokens, (std::vector<int32_t>{14, 2, 3, 4, 5, 6})); // truncated
        QCOMPARE(data.label(1), int64_t(6));
        QCOMPARE(data.text(1), std::string("[SM 1 2 3 4 5 6 7 8 ]"));
        QCOMPARE(data.text(0), std::string("[MAX 2 9 ]"));
        QVERIFY(errorOf<mimo::Error>([&] { data.sample(3); }).contains("index 3"));
        QVERIFY(errorOf<mimo::Error>([&] { data.label(99); }).contains("tiny"));
        const ListOpsDataset lra(examples);
        QCOMPARE(lra.sample(2).tokens.size(), std::size_t(2000));
        QCOMPARE(lra.name(), std::string("ListOps"));
    }

    void datasetFromTsv() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("basic_val.tsv").toStdString();
        const auto examples = generate(GeneratorConfig{}, 20);
        writeTsv(path, examples);
        const ListOpsDataset data = ListOpsDataset::fromTsv(path);
        QCOMPARE(data.name(), std::string("basic_val.tsv"));
        QCOMPARE(data.size(), std::size_t(20));
        for (std::size_t i = 0; i < data.size(); ++i) {
            const mimo::Sample s = data.sample(i);
            QCOMPARE(s.tokens, padOrTruncate(tokenize(examples[i].source), 2000));
            QCOMPARE(s.label, int64_t(examples[i].label));
        }
        QCOMPARE(ListOpsDataset::fromTsv(path, 2048).sample(0).tokens.size(), std::size_t(2048));
        QVERIFY(errorOf([&] { ListOpsDataset::fromTsv(path + ".nope"); }).contains("basic_val.tsv.nope"));
    }

    void datasetRejectsBadExamples_data() {
        QTest::addColumn<QStringList>("sources");
        QTest::addColumn<QList<int>>("labels");
        QTest::addColumn<int>("length");
        QTest::addColumn<bool>("dataError"); // a DataError, not only a mimo::Error
        QTest::addColumn<QString>("expected");
        QTest::newRow("label 11") << QStringList{"7"} << QList<int>{11} << 10 << true << "example 0: label 11";
        QTest::newRow("unknown token") << QStringList{"7", "[MAX oops ]"} << QList<int>{7, 1} << 10 << true << "'oops'";
        QTest::newRow("length 0") << QStringList{"7"} << QList<int>{7} << 0 << false << "length";
    }

    void datasetRejectsBadExamples() {
        QFETCH(QStringList, sources);
        QFETCH(QList<int>, labels);
        QFETCH(int, length);
        QFETCH(bool, dataError);
        QFETCH(QString, expected);
        QCOMPARE(sources.size(), labels.size());
        std::vector<Example> examples;
        for (qsizetype i = 0; i < sources.size(); ++i) examples.push_back({sources[i].toStdString(), labels[i]});
        const auto make = [&] { ListOpsDataset(examples, static_cast<std::size_t>(length), "set"); };
        const QString message = dataError ? errorOf(make) : errorOf<mimo::Error>(make);
        QVERIFY2(message.contains(expected), qPrintable(message));
    }
};

QTEST_APPLESS_MAIN(TestListOps)
#include "test_listops.moc"
