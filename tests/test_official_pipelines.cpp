// Official pipelines (issue 17, section 3): an imported MIMOConv records its dataset's official
// test-time preprocessing (MNIST's centre crop, SVHN's and CIFAR's statistics) and is fed
// accordingly; older model files without a crop still load; the ListOps generator writes CRLF
// like the official writer and counts length without parentheses; an official ListOps run's
// vocabulary reorders the imported embeddings.
#include "cli_runner.h"
#include "core/data/image_preprocess.h"
#include "core/data/image_set.h"
#include "core/data/listops.h"
#include "core/errors.h"
#include "core/eval/conv_evaluation.h"
#include "core/model/model_file.h"
#include "core/model/official_import.h"
#include "core/model/official_pipelines.h"
#include "core/model/torch_save_reader.h"
#include "test_support.h"

#include <torch/torch.h>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace mimo;
using mimo::testing::errorOf;
using mimo::testing::Run;
using mimo::testing::run;
using mimo::testing::writeFile;

namespace {

bool pythonTorch()
{
    QProcess probe;
    probe.start("/usr/bin/python3", {"-c", "import torch"});
    return probe.waitForFinished(60000) && probe.exitCode() == 0;
}

// An official-style MIMOConv checkpoint (tests/fixtures/official_mimoconv.py) in `out`.
std::string officialConv(const QString& out, int channels, int classes)
{
    QProcess process;
    process.start("/usr/bin/python3", {qEnvironmentVariable("MIMO_SOURCE_DIR") + "/tests/fixtures/official_mimoconv.py",
                                       out, "--channels", QString::number(channels), "--classes",
                                       QString::number(classes)});
    if (!process.waitForFinished(120000) || process.exitCode() != 0)
        return {};
    return (out + "/checkpoint.pt").toStdString();
}

bool near(const std::vector<float>& values, const std::vector<float>& expected)
{
    if (values.size() != expected.size())
        return false;
    for (std::size_t i = 0; i < values.size(); ++i)
        if (std::abs(values[i] - expected[i]) > 1e-6f)
            return false;
    return true;
}

// Tokens of a written ListOps source as the generator counts them: parentheses are not tokens.
int lengthWithoutParentheses(const QByteArray& source)
{
    int count = 0;
    for (const QByteArray& token : source.split(' '))
        if (!token.isEmpty() && token != "(" && token != ")")
            ++count;
    return count;
}

} // namespace

class OfficialPipelinesTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;

private Q_SLOTS:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void pipelinesHoldTheOfficialNumbers()
    {
        const auto mnist = officialPipeline("mnist");
        QCOMPARE(mnist.input.height, 20);
        QCOMPARE(mnist.input.width, 20);
        QCOMPARE(mnist.input.cropFrom, 28);
        QVERIFY(near(mnist.input.mean, {0.1307f}));
        QVERIFY(near(mnist.input.stddev, {0.3081f}));
        const auto svhn = officialPipeline("svhn");
        QCOMPARE(svhn.input.height, 32);
        QCOMPARE(svhn.input.cropFrom, 0);
        QVERIFY(near(svhn.input.mean, {109.9f / 255, 109.7f / 255, 113.8f / 255}));
        QVERIFY(near(svhn.input.stddev, {50.1f / 255, 50.6f / 255, 50.8f / 255}));
        QVERIFY(near(officialPipeline("cifar10").input.mean, {0.4914f, 0.4822f, 0.4465f}));
        QVERIFY(near(officialPipeline("cifar100").input.stddev, {0.2675f, 0.2565f, 0.2761f}));
        QCOMPARE(officialPipeline("cifar100").numClasses, 100);
        QCOMPARE(officialPipeline("fashion-mnist").input.height, 28);
        QVERIFY_THROWS_EXCEPTION(Error, officialPipeline("imagenet"));
    }

    void centreCropFollowsTorchvision()
    {
        QCOMPARE(centreCropOffset(28, 20), 4);
        QCOMPARE(centreCropOffset(28, 19), 4); // round(4.5) is 4 in Python
        QCOMPARE(centreCropOffset(28, 17), 6); // round(5.5) is 6
        QCOMPARE(centreCropOffset(20, 20), 0);
    }

    void modelFilesWithAndWithoutCrop()
    {
        MimoConvConfig config = convPreset("fmnist-mimoconv");
        const std::string plain = toJson(config);
        QVERIFY(plain.find("crop_from") == std::string::npos); // older readers see what they always saw
        QCOMPARE(convConfigFromJson(plain).input.cropFrom, 0);
        config.input = officialPipeline("mnist").input;
        const auto back = convConfigFromJson(toJson(config));
        QCOMPARE(back.input.cropFrom, 28);
        QCOMPARE(back.input.height, 20);
        config.input.cropFrom = 12; // smaller than the crop
        QVERIFY_THROWS_EXCEPTION(Error, config.validate());
    }

    void croppedInputsAreWhatTheModelSees()
    {
        // A 28x28 digit whose every pixel is distinct along the diagonal: the centre 20x20 starts at 4.
        std::vector<uint8_t> pixels(28 * 28);
        for (int y = 0; y < 28; ++y)
            for (int x = 0; x < 28; ++x)
                pixels[std::size_t(y * 28 + x)] = uint8_t(y * 9 + x);
        const ImageInputSpec spec = officialPipeline("mnist").input;
        const auto prepared = prepareImagePixels(pixels.data(), 28, 28, 1, 28, "digit", spec);
        QCOMPARE(prepared.height, 20);
        QCOMPARE(prepared.display[0], float(4 * 9 + 4) / 255.0f);
        QCOMPARE(prepared.display[19 * 20 + 19], float(23 * 9 + 23) / 255.0f);
        QVERIFY(std::abs(prepared.normalized[0] - (prepared.display[0] - 0.1307f) / 0.3081f) < 1e-6f);

        // Evaluation: a 28x28 dataset batch is cropped the same way before normalising.
        auto set = std::make_shared<ImageSet>();
        set->count = 1;
        set->channels = 1;
        set->height = set->width = 28;
        set->pixels = pixels;
        set->labels = {3};
        std::vector<std::string> digits;
        for (int d = 0; d < 10; ++d)
            digits.push_back(std::to_string(d));
        const ImageSetDataset data("digits", set, digits);
        MimoConvConfig config = convPreset("fmnist-mimoconv");
        config.input = spec;
        const auto batch = imageBatch(data, {0}, config);
        QCOMPARE(batch.sizes().vec(), (std::vector<int64_t>{1, 1, 20, 20}));
        for (int i : {0, 7 * 20 + 11, 399})
            QVERIFY(std::abs(batch.flatten()[i].item<float>() - prepared.normalized[std::size_t(i)]) < 1e-5f);

        // mimo image prepare shows the crop as a step of its own.
        const QString bmp = dir_.filePath("tiny.bmp");
        writeFile(bmp, QByteArray::fromHex("424d3e000000000000003600000028000000020000000100000001001800000000000800000013"
                                           "0b0000130b00000000000000000000ffffff0000000000"));
        const Run cropped = run("mimo", {"image", "prepare", bmp, "--size", "20", "--crop-from", "28"});
        QVERIFY2(cropped.exitCode == 0 && cropped.out.contains("kept the centre 20x20 at x=4, y=4 of 28x28"),
                 qPrintable(cropped.out + cropped.err));
        const Run tooSmall = run("mimo", {"image", "prepare", bmp, "--size", "20", "--crop-from", "10"});
        QVERIFY(tooSmall.exitCode != 0 && tooSmall.err.contains("crop_from 10"));
    }

    void importRecordsEachDatasetsPipeline()
    {
        if (!pythonTorch())
            QSKIP("Debian's python3-torch is not installed (scripts/setup.sh installs it)");
        const std::string gray = officialConv(dir_.filePath("gray"), 1, 10);
        const std::string colour = officialConv(dir_.filePath("colour"), 3, 10);
        const std::string hundred = officialConv(dir_.filePath("hundred"), 3, 100);
        QVERIFY(!gray.empty() && !colour.empty() && !hundred.empty());
        const auto importAs = [&](const std::string& checkpoint, const std::string& dataset, const QString& name) {
            OfficialImportOptions options;
            options.dataset = dataset;
            const std::string out = dir_.filePath(name).toStdString();
            const auto result = importOfficialCheckpoint(checkpoint, out, options);
            const auto loaded = loadConvModel(out);
            if (loaded.model->config().input.cropFrom != result.architecture.input.cropFrom)
                throw std::runtime_error(out + ": the crop was not written");
            return std::make_pair(result, loaded.card);
        };

        // One channel: MNIST's official pipeline, inferred or named.
        for (const std::string dataset : {"", "mnist"}) {
            const auto [result, card] = importAs(gray, dataset, "mnist.pt");
            const auto& input = result.architecture.input;
            QCOMPARE(input.height, 20);
            QCOMPARE(input.cropFrom, 28);
            QVERIFY(near(input.mean, {0.1307f}));
            QVERIFY(near(input.stddev, {0.3081f}));
            QVERIFY(QString::fromStdString(card.dataset).contains("centre-cropped to 20x20"));
            QCOMPARE(card.classNames.at(7), std::string("7"));
            QCOMPARE(result.notes.empty(), !dataset.empty()); // the assumption is said
        }
        // Three channels and ten classes: CIFAR-10 unless told SVHN, and the note says so.
        {
            const auto [result, card] = importAs(colour, "", "cifar10.pt");
            QVERIFY(near(result.architecture.input.mean, {0.4914f, 0.4822f, 0.4465f}));
            QCOMPARE(card.classNames.front(), std::string("airplane"));
            QVERIFY(!result.notes.empty() && QString::fromStdString(result.notes[0]).contains("--dataset svhn"));
        }
        {
            const auto [result, card] = importAs(colour, "svhn", "svhn.pt");
            QVERIFY(near(result.architecture.input.mean, {109.9f / 255, 109.7f / 255, 113.8f / 255}));
            QVERIFY(near(result.architecture.input.stddev, {50.1f / 255, 50.6f / 255, 50.8f / 255}));
            QCOMPARE(result.architecture.input.height, 32);
            QCOMPARE(card.classNames.front(), std::string("0"));
            QVERIFY(QString::fromStdString(card.dataset).contains("SVHN"));
        }
        {
            const auto [result, card] = importAs(hundred, "", "cifar100.pt");
            QVERIFY(near(result.architecture.input.mean, {0.5071f, 0.4867f, 0.4408f}));
            QCOMPARE(int(card.classNames.size()), 100);
        }
        // --size replaces the side and drops the crop.
        OfficialImportOptions sized;
        sized.dataset = "mnist";
        sized.inputSize = 28;
        const auto resized = importOfficialCheckpoint(gray, dir_.filePath("sized.pt").toStdString(), sized);
        QCOMPARE(resized.architecture.input.height, 28);
        QCOMPARE(resized.architecture.input.cropFrom, 0);
        QVERIFY(near(resized.architecture.input.mean, {0.1307f}));
        // A dataset the weights cannot have come from is refused, naming the checkpoint.
        for (const auto& [checkpoint, dataset, needle] :
             std::vector<std::tuple<std::string, std::string, QString>>{{colour, "mnist", "channels"},
                                                                         {gray, "svhn", "channels"},
                                                                         {colour, "cifar100", "classes"}}) {
            OfficialImportOptions options;
            options.dataset = dataset;
            const QString message = errorOf(
                [&] { importOfficialCheckpoint(checkpoint, dir_.filePath("refused.pt").toStdString(), options); });
            QVERIFY2(message.contains(QString::fromStdString(checkpoint)) && message.contains(needle),
                     qPrintable(message));
        }
        // The command line says what it recorded.
        const Run cli = run("mimo", {"import-official", QString::fromStdString(gray), "--out", dir_.filePath("cli.pt")});
        QVERIFY2(cli.exitCode == 0, qPrintable(cli.err));
        QVERIFY2(cli.out.contains("preprocessing: MNIST") && cli.out.contains("note: one input channel"),
                 qPrintable(cli.out));
        const Run unknown = run("mimo", {"import-official", QString::fromStdString(gray), "--out",
                                         dir_.filePath("x.pt"), "--dataset", "imagenet"});
        QVERIFY(unknown.exitCode != 0);
    }

    void listopsGeneratorWritesCrlf()
    {
        const std::string crlf = dir_.filePath("crlf.tsv").toStdString();
        listops::writeTsv(crlf, {{"( ( ( [MAX 2 ) 9 ) ] )", 9}, {"7", 7}});
        QFile file(QString::fromStdString(crlf));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("Source\tTarget\r\n( ( ( [MAX 2 ) 9 ) ] )\t9\r\n7\t7\r\n"));
        const std::string lf = dir_.filePath("lf.tsv").toStdString();
        listops::writeTsv(lf, {{"7", 7}}, listops::LineEnding::Lf);
        QFile lfFile(QString::fromStdString(lf));
        QVERIFY(lfFile.open(QIODevice::ReadOnly));
        QCOMPARE(lfFile.readAll(), QByteArray("Source\tTarget\n7\t7\n"));
        QCOMPARE(listops::readTsv(crlf).size(), std::size_t(2)); // both read back
        QCOMPARE(listops::readTsv(lf).size(), std::size_t(1));
    }

    void generatedLengthsCountNoParentheses()
    {
        const QString out = dir_.filePath("generated.tsv");
        const Run generated = run("mimo", {"listops", "generate", "--count", "300", "--min-length", "20", "--max-length",
                                           "100", "--seed", "5", "--out", out});
        QVERIFY2(generated.exitCode == 0, qPrintable(generated.err));
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.startsWith("Source\tTarget\r\n"));
        QCOMPARE(bytes.count("\r\n"), bytes.count('\n')); // every line ends in CRLF
        const QList<QByteArray> lines = bytes.split('\n');
        int longest = 0, withParentheses = 0;
        for (int i = 1; i < lines.size(); ++i) {
            if (lines[i].isEmpty())
                continue;
            const QByteArray source = lines[i].left(lines[i].indexOf('\t'));
            const int length = lengthWithoutParentheses(source);
            QVERIFY2(length > 20 && length <= 99, source.constData());
            longest = std::max(longest, length);
            withParentheses = std::max(withParentheses, int(source.split(' ').size()));
        }
        QVERIFY(longest > 60);           // the window is used, not just its short end
        QVERIFY(withParentheses > 99);   // counted with parentheses the same trees are longer
        QCOMPARE(listops::readTsv(out.toStdString()).size(), std::size_t(300));
        const QString lf = dir_.filePath("generated-lf.tsv");
        QCOMPARE(run("mimo", {"listops", "generate", "--count", "5", "--min-length", "5", "--max-length", "30",
                              "--line-endings", "lf", "--out", lf})
                     .exitCode,
                 0);
        QFile lfFile(lf);
        QVERIFY(lfFile.open(QIODevice::ReadOnly));
        QVERIFY(!lfFile.readAll().contains('\r'));
    }

    void listopsVocabularyReordersTheEmbeddings()
    {
        if (!pythonTorch())
            QSKIP("Debian's python3-torch is not installed (scripts/setup.sh installs it)");
        const QString out = dir_.filePath("former");
        QProcess fixture;
        fixture.start("/usr/bin/python3", {qEnvironmentVariable("MIMO_SOURCE_DIR") + "/tests/fixtures/official_mimoformer.py",
                                           out, "--model", "performer"});
        QVERIFY(fixture.waitForFinished(120000));
        QCOMPARE(fixture.exitCode(), 0);
        const std::string checkpoint = (out + "/checkpoint.pth.tar").toStdString();
        // The run numbered the tokens its own way: ours id k is theirs 16 + ... (a permutation in 1..19).
        const std::vector<std::pair<std::string, int>> theirs{
            {"[MIN", 19}, {"[MAX", 3}, {"[MED", 17}, {"[SM", 5}, {"X", 2}, {"0", 18}, {"1", 7}, {"2", 16},
            {"3", 9}, {"4", 14}, {"5", 11}, {"6", 12}, {"7", 13}, {"8", 10}, {"9", 15}};
        QByteArray file = "<pad>\t0\r\n";
        for (const auto& [token, id] : theirs)
            file += QByteArray::fromStdString(token) + "\t" + QByteArray::number(id) + "\r\n";
        const QString vocabulary = dir_.filePath("vocab.tsv");
        writeFile(vocabulary, file);

        OfficialImportOptions options;
        options.inputKind = "listops";
        options.vocabularyFile = vocabulary.toStdString();
        const std::string imported = (out + "/vocab.pt").toStdString();
        const auto result = importOfficialCheckpoint(checkpoint, imported, options);
        QVERIFY(!result.notes.empty() && QString::fromStdString(result.notes[0]).contains("vocab.tsv"));
        const auto official =
            readTorchSaveTensors(checkpoint).at("model_state_dict/model.embeddings.word_embeddings.weight");
        const auto ours =
            loadFormerModel(imported).model->named_parameters()["model.embeddings.word_embeddings.weight"];
        const auto& names = listops::vocabulary();
        for (const auto& [token, id] : theirs) {
            const std::string name = token == "X" ? "]" : token;
            const auto at = std::find(names.begin(), names.end(), name) - names.begin();
            QVERIFY2(torch::equal(ours[at], official[id]), token.c_str());
        }
        QVERIFY(torch::equal(ours[0], official[0])); // padding stays

        // Without a vocabulary the command says what it assumes.
        const Run plain = run("mimo", {"import-official", QString::fromStdString(checkpoint), "--input-kind", "listops",
                                       "--out", out + "/plain.pt"});
        QVERIFY2(plain.exitCode == 0, qPrintable(plain.err));
        QVERIFY2(plain.out.contains("run's vocabulary") && plain.out.contains("[MIN 11"), qPrintable(plain.out));

        // Bad vocabularies are refused with the file and the line named.
        const auto refused = [&](const QByteArray& text, const QString& needle) {
            writeFile(vocabulary, text);
            const QString message =
                errorOf([&] { importOfficialCheckpoint(checkpoint, (out + "/bad.pt").toStdString(), options); });
            QVERIFY2(message.contains(vocabulary) && message.contains(needle), qPrintable(message));
        };
        refused(file.left(file.lastIndexOf("9\t")), "no id for 9");
        refused(file + "[FIRST\t1\n", "not a ListOps token");
        refused(file + "]\t4\n", "listed twice");
        refused("[MIN\t1\n[MAX\t1\n", "given to both");
        refused("[MIN\t20\n", "1..19");
        refused("[MIN 1\n", "token<TAB>id");
        options.inputKind = "text";
        QVERIFY_THROWS_EXCEPTION(Error, importOfficialCheckpoint(checkpoint, (out + "/bad.pt").toStdString(), options));
    }
};

QTEST_GUILESS_MAIN(OfficialPipelinesTest)
#include "test_official_pipelines.moc"
