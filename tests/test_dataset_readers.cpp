// Tests for the image-side dataset readers: IDX (MNIST/Fashion-MNIST), CIFAR-10/100 binary,
// image folders and the LRA pixel-sequence view. Every input is written here, in the exact
// on-disk format, except the real Fashion-MNIST that the setup script installs.
#include "core/data/cifar.h"
#include "core/data/idx_reader.h"
#include "core/data/image_folder.h"
#include "core/data/image_set.h"
#include "core/data/mnist.h"
#include "core/data/pixel_sequence.h"
#include "core/errors.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <zlib.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace mimo;

namespace {

template <class E = DataError, class F>
QString errorOf(F&& f)
{
    try {
        f();
    } catch (const E& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

using Bytes = std::vector<uint8_t>;

Bytes idx(uint32_t magic, const std::vector<uint32_t>& dims, const Bytes& data)
{
    Bytes out;
    auto put32 = [&](uint32_t v) {
        for (int s = 24; s >= 0; s -= 8)
            out.push_back(static_cast<uint8_t>(v >> s));
    };
    put32(magic);
    for (uint32_t d : dims)
        put32(d);
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

void writeFile(const QString& path, const Bytes& bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(reinterpret_cast<const char*>(bytes.data()), qint64(bytes.size())), qint64(bytes.size()));
}

void writeGz(const QString& path, const Bytes& bytes)
{
    gzFile f = gzopen(path.toStdString().c_str(), "wb");
    QVERIFY(f != nullptr);
    QCOMPARE(gzwrite(f, bytes.data(), unsigned(bytes.size())), int(bytes.size()));
    QCOMPARE(gzclose(f), Z_OK);
}

Bytes readFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray a = f.readAll();
    return Bytes(a.begin(), a.end());
}

// count images of rows x cols with pixel (i, y, x) = (i*31 + y*7 + x*3) % 256.
Bytes imagePixels(uint32_t count, uint32_t rows, uint32_t cols)
{
    Bytes p;
    for (uint32_t i = 0; i < count; ++i)
        for (uint32_t y = 0; y < rows; ++y)
            for (uint32_t x = 0; x < cols; ++x)
                p.push_back(static_cast<uint8_t>((i * 31 + y * 7 + x * 3) % 256));
    return p;
}

// Writes one MNIST-style split (t10k or train) of n 4x5 images with labels i % 10.
void writeIdxSplit(const QString& dir, const QString& prefix, uint32_t n, bool gz)
{
    Bytes labels;
    for (uint32_t i = 0; i < n; ++i)
        labels.push_back(static_cast<uint8_t>(i % 10));
    const Bytes images = idx(kIdxImagesMagic, {n, 4, 5}, imagePixels(n, 4, 5));
    const Bytes labelFile = idx(kIdxLabelsMagic, {n}, labels);
    const QString suffix = gz ? ".gz" : "";
    if (gz) {
        writeGz(dir + "/" + prefix + "-images-idx3-ubyte" + suffix, images);
        writeGz(dir + "/" + prefix + "-labels-idx1-ubyte" + suffix, labelFile);
    } else {
        writeFile(dir + "/" + prefix + "-images-idx3-ubyte", images);
        writeFile(dir + "/" + prefix + "-labels-idx1-ubyte", labelFile);
    }
}

// A CIFAR image whose planes are R = 10 + k, G = 100 + k, B = 200 - k at pixel k % 50,
// with a marker pixel (y=1, x=2) set to R 250, G 128, B 5.
Bytes cifarImage()
{
    Bytes img(3072);
    for (int c = 0; c < 3; ++c)
        for (int k = 0; k < 1024; ++k)
            img[std::size_t(c * 1024 + k)] = static_cast<uint8_t>(c == 0 ? 10 + k % 50 : c == 1 ? 100 + k % 50 : 200 - k % 50);
    img[0 * 1024 + 1 * 32 + 2] = 250;
    img[1 * 1024 + 1 * 32 + 2] = 128;
    img[2 * 1024 + 1 * 32 + 2] = 5;
    return img;
}

Bytes cifarRecords(const std::vector<std::vector<uint8_t>>& labelBytes)
{
    Bytes out;
    const Bytes img = cifarImage();
    for (const auto& l : labelBytes) {
        out.insert(out.end(), l.begin(), l.end());
        out.insert(out.end(), img.begin(), img.end());
    }
    return out;
}

std::string s(const QString& q)
{
    return q.toStdString();
}

// Bytes travel through the _data() tables as QByteArray.
QByteArray qbytes(const Bytes& b)
{
    return QByteArray(reinterpret_cast<const char*>(b.data()), qsizetype(b.size()));
}

Bytes bytesOf(const QByteArray& a)
{
    return Bytes(a.begin(), a.end());
}

// How a CIFAR-10 error case lays out its folder.
enum class CifarFolder { Missing, Empty, TestBatch, TrainWithoutBatch3 };

// How an image-folder error case lays out its root.
enum class FolderRoot { Missing, PlainFile, NoClassFolders, EmptyClassFolder };

} // namespace

class TestDatasetReaders : public QObject {
    Q_OBJECT

private:
    QTemporaryDir tmp_;
    QString path(const QString& name) const { return tmp_.filePath(name); }

    void checkRoundTrip(bool gz)
    {
        const QString sub = path(gz ? "rt_gz" : "rt_plain");
        QVERIFY(QDir().mkpath(sub));
        writeIdxSplit(sub, "t10k", 3, gz);
        const QString suffix = gz ? ".gz" : "";
        const ImageSet set = readIdxImagesAndLabels(s(sub + "/t10k-images-idx3-ubyte" + suffix),
                                                    s(sub + "/t10k-labels-idx1-ubyte" + suffix));
        QCOMPARE(set.count, int64_t(3));
        QCOMPARE(set.channels, 1);
        QCOMPARE(set.height, 4);
        QCOMPARE(set.width, 5);
        QVERIFY(set.pixels == imagePixels(3, 4, 5));
        QCOMPARE(set.labels, (std::vector<int64_t>{0, 1, 2}));

        ImageSetDataset ds("tiny", std::make_shared<ImageSet>(set), {"a", "b", "c"});
        QCOMPARE(ds.size(), std::size_t(3));
        QCOMPARE(ds.sampleShape(), (std::vector<int64_t>{1, 4, 5}));
        const Sample smp = ds.sample(2);
        QCOMPARE(smp.label, int64_t(2));
        QCOMPARE(smp.pixels.size(), std::size_t(20));
        QCOMPARE(smp.pixels[1 * 5 + 3], float((2 * 31 + 7 + 9) % 256) / 255.0f); // row 1, column 3
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, ds.sample(3));
    }

    // Writes `bytes` as name (plain) and expects readIdxImages to fail mentioning `needles`.
    void expectImagesError(const QString& name, const Bytes& bytes, const QStringList& needles, bool gz = false)
    {
        const QString p = path(name);
        gz ? writeGz(p, bytes) : writeFile(p, bytes);
        const QString err = errorOf([&] { readIdxImages(s(p)); });
        QVERIFY2(err.contains(p), qPrintable(err));
        for (const QString& n : needles)
            QVERIFY2(err.contains(n, Qt::CaseInsensitive), qPrintable(err + " lacks " + n));
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(tmp_.isValid()); }

    void idxPlainRoundTrip() { checkRoundTrip(false); }
    void idxGzipRoundTrip() { checkRoundTrip(true); }

    void idxHeaderErrors_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QStringList>("needles");
        const Bytes px = imagePixels(2, 3, 3);
        QTest::newRow("wrong magic") << qbytes(idx(0x12345678, {2, 3, 3}, px))
                                     << QStringList{"magic", "0x12345678", "0x00000803"};
        QTest::newRow("float32 data type") << qbytes(idx(0x00000D03, {2, 3, 3}, px))
                                           << QStringList{"unsupported", "float32", "0x00000D03"};
        QTest::newRow("two dimensions") << qbytes(idx(0x00000802, {6, 3}, px)) << QStringList{"dimensions", "2", "3"};
        QTest::newRow("zero rows") << qbytes(idx(kIdxImagesMagic, {2, 0, 3}, {})) << QStringList{"zero"};
        QTest::newRow("implausible count") << qbytes(idx(kIdxImagesMagic, {0x7FFFFFFF, 3, 3}, px))
                                           << QStringList{"implausibly"};
        QTest::newRow("size product overflows") << qbytes(idx(kIdxImagesMagic, {1u << 20, 1u << 15, 1u << 15}, px))
                                                << QStringList{"corrupt header"};
        QTest::newRow("header truncated") << qbytes({0, 0, 8, 3, 0, 0}) << QStringList{"truncated header", "16"};
        // A labels file given where images are expected: right format, wrong kind.
        QTest::newRow("labels file as images") << qbytes(idx(kIdxLabelsMagic, {3}, {1, 2, 3}))
                                               << QStringList{"dimensions", "0x00000801"};
    }

    void idxHeaderErrors()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QStringList, needles);
        expectImagesError("header.idx", bytesOf(bytes), needles);
    }

    void idxDataErrors_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("gz");
        QTest::addColumn<QStringList>("needles");
        const Bytes px = imagePixels(3, 4, 5);
        const Bytes shortPx(px.begin(), px.end() - 7);
        Bytes longPx = px;
        longPx.insert(longPx.end(), {1, 2, 3});
        const QByteArray truncated = qbytes(idx(kIdxImagesMagic, {3, 4, 5}, shortPx));
        const QByteArray trailing = qbytes(idx(kIdxImagesMagic, {3, 4, 5}, longPx));
        QTest::newRow("pixels truncated") << truncated << false << QStringList{"truncated", "76", "69"};
        QTest::newRow("pixels truncated, gzip") << truncated << true << QStringList{"truncated", "76", "69"};
        QTest::newRow("trailing bytes") << trailing << false << QStringList{"3 trailing bytes"};
        QTest::newRow("trailing bytes, gzip") << trailing << true << QStringList{"3 trailing bytes"};
        QTest::newRow("empty file") << QByteArray() << false << QStringList{"empty"};
    }

    void idxDataErrors()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, gz);
        QFETCH(QStringList, needles);
        expectImagesError(gz ? "data.idx.gz" : "data.idx", bytesOf(bytes), needles, gz);
    }

    void idxMissingFileIsNamed()
    {
        const QString missing = path("nope-images-idx3-ubyte");
        const QString err = errorOf([&] { readIdxLabels(s(missing)); });
        QVERIFY2(err.contains(missing) && err.contains("not found"), qPrintable(err));
    }

    void idxCorruptGzip_data()
    {
        QTest::addColumn<bool>("cut");
        QTest::addColumn<QString>("expected");
        QTest::newRow("deflate data flipped") << false << "gzip";
        QTest::newRow("stream cut in half") << true << "truncated";
    }

    void idxCorruptGzip()
    {
        QFETCH(bool, cut);
        QFETCH(QString, expected);
        // Large enough that the deflate data span many bytes; incompressible-ish content.
        Bytes px;
        uint32_t state = 12345;
        for (int i = 0; i < 20 * 50 * 50; ++i) {
            state = state * 1103515245u + 12345u;
            px.push_back(static_cast<uint8_t>(state >> 24));
        }
        const QString good = path("good.idx.gz");
        writeGz(good, idx(kIdxImagesMagic, {20, 50, 50}, px));
        QCOMPARE(readIdxImages(s(good)).pixels, px);
        Bytes gz = readFile(good);
        QVERIFY(gz.size() > 1000);

        Bytes bad = gz;
        if (cut) {
            bad.resize(gz.size() / 2);
        } else {
            for (std::size_t i = 100; i < 140; ++i)
                bad[i] ^= 0x5A;
        }
        const QString corrupt = path("corrupt.idx.gz");
        writeFile(corrupt, bad);
        const QString err = errorOf([&] { readIdxImages(s(corrupt)); });
        QVERIFY2(err.contains(corrupt) && err.contains(expected), qPrintable(err));
    }

    void idxCountAndLabelErrors()
    {
        const QString images = path("cnt-images"), labels = path("cnt-labels");
        writeFile(images, idx(kIdxImagesMagic, {3, 2, 2}, imagePixels(3, 2, 2)));
        writeFile(labels, idx(kIdxLabelsMagic, {4}, {0, 1, 2, 3}));
        QString err = errorOf([&] { readIdxImagesAndLabels(s(images), s(labels)); });
        QVERIFY2(err.contains(labels) && err.contains(images) && err.contains("4 labels") && err.contains("3 images"),
                 qPrintable(err));

        writeFile(labels, idx(kIdxLabelsMagic, {3}, {0, 10, 2}));
        err = errorOf([&] { readIdxImagesAndLabels(s(images), s(labels)); });
        QVERIFY2(err.contains(labels) && err.contains("label 10") && err.contains("index 1"), qPrintable(err));
        QCOMPARE(readIdxImagesAndLabels(s(images), s(labels), 11).labels, (std::vector<int64_t>{0, 10, 2}));
        QCOMPARE(readIdxLabels(s(labels)).size(), std::size_t(3)); // no class count: no range check
    }

    void fashionMnistReal()
    {
        if (!QDir(kFashionMnistDefaultDir).exists())
            QSKIP("dataset-fashion-mnist is not installed (scripts set it up); nothing to check");
        qunsetenv(kFashionMnistEnvVar);
        QElapsedTimer timer;
        timer.start();
        const DatasetPtr test = loadFashionMnist(Split::Test);
        const qint64 testMs = timer.restart();
        const DatasetPtr train = loadFashionMnist(Split::Train);
        const qint64 trainMs = timer.elapsed();
        qInfo("Fashion-MNIST load: test %lld ms, train %lld ms", testMs, trainMs);
        QVERIFY2(trainMs < 5000, "loading the 60k training set should take about a second at most");

        QCOMPARE(test->size(), std::size_t(10000));
        QCOMPARE(train->size(), std::size_t(60000));
        QCOMPARE(test->sampleShape(), (std::vector<int64_t>{1, 28, 28}));
        QCOMPARE(test->modality(), Modality::Image);
        QCOMPARE(test->classNames().size(), std::size_t(10));
        QCOMPARE(test->classNames()[0], std::string("T-shirt/top"));
        QCOMPARE(test->classNames()[9], std::string("Ankle boot"));
        std::vector<int> perClass(10, 0);
        for (std::size_t i = 0; i < test->size(); ++i) {
            const int64_t l = test->label(i);
            QVERIFY(l >= 0 && l <= 9);
            ++perClass[std::size_t(l)];
        }
        QCOMPARE(perClass, std::vector<int>(10, 1000));
        const std::vector<int64_t> first{9, 0, 0, 3, 0, 2, 7, 2, 5, 5};
        for (std::size_t i = 0; i < first.size(); ++i)
            QCOMPARE(train->label(i), first[i]);
        const Sample smp = train->sample(0);
        QCOMPARE(smp.label, int64_t(9));
        float lo = 1, hi = 0;
        for (float v : smp.pixels) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        QCOMPARE(lo, 0.0f);
        QVERIFY(hi > 0.9f && hi <= 1.0f);
    }

    void fashionMnistDirectoryOverrides()
    {
        const QString dir = path("fmnist-env");
        QVERIFY(QDir().mkpath(dir));
        writeIdxSplit(dir, "t10k", 7, false); // un-gzipped names
        writeIdxSplit(dir, "train", 12, true);

        qunsetenv(kFashionMnistEnvVar);
        QCOMPARE(fashionMnistDirectory(), std::string(kFashionMnistDefaultDir));
        qputenv(kFashionMnistEnvVar, dir.toLocal8Bit());
        QCOMPARE(fashionMnistDirectory(), s(dir));
        QCOMPARE(fashionMnistDirectory("/explicit"), std::string("/explicit"));
        const DatasetPtr test = loadFashionMnist(Split::Test);
        const DatasetPtr train = loadFashionMnist(Split::Train);
        qunsetenv(kFashionMnistEnvVar);
        QCOMPARE(test->size(), std::size_t(7));
        QCOMPARE(train->size(), std::size_t(12));
        QCOMPARE(test->sampleShape(), (std::vector<int64_t>{1, 4, 5}));
        QCOMPARE(train->label(11), int64_t(1));
        QCOMPARE(train->classNames()[6], std::string("Shirt"));
        QCOMPARE(loadFashionMnist(Split::Test, s(dir))->size(), std::size_t(7)); // explicit directory

        const QString empty = path("fmnist-empty");
        QVERIFY(QDir().mkpath(empty));
        QString err = errorOf([&] { loadFashionMnist(Split::Test, s(empty)); });
        QVERIFY2(err.contains(empty + "/t10k-images-idx3-ubyte.gz") && err.contains("t10k-images-idx3-ubyte)") &&
                     err.contains("dataset-fashion-mnist") && err.contains(kFashionMnistEnvVar),
                 qPrintable(err));
        err = errorOf([&] { loadFashionMnist(Split::Train, s(path("no-such-dir"))); });
        QVERIFY2(err.contains(path("no-such-dir")) && err.contains("dataset-fashion-mnist"), qPrintable(err));
    }

    void mnistLoader()
    {
        const QString dir = path("mnist");
        QVERIFY(QDir().mkpath(dir));
        writeIdxSplit(dir, "train", 10, true);
        const DatasetPtr ds = loadMnist(Split::Train, s(dir));
        QCOMPARE(ds->size(), std::size_t(10));
        QCOMPARE(ds->classNames().front(), std::string("0"));
        QCOMPARE(ds->classNames().back(), std::string("9"));
        QVERIFY(ds->name().find("MNIST") != std::string::npos);
        QVERIFY(errorOf([&] { loadMnist(Split::Test, s(dir)); }).contains("t10k-images-idx3-ubyte"));
    }

    void cifar10RoundTrip()
    {
        const QString root = path("c10"), dir = root + "/cifar-10-batches-bin";
        QVERIFY(QDir().mkpath(dir));
        for (int b = 1; b <= 5; ++b)
            writeFile(dir + QString("/data_batch_%1.bin").arg(b), cifarRecords({{uint8_t(b)}, {uint8_t(9 - b)}}));
        writeFile(dir + "/test_batch.bin", cifarRecords({{3}, {0}, {9}}));

        const DatasetPtr train = loadCifar10(s(root), Split::Train); // parent folder accepted
        QCOMPARE(train->size(), std::size_t(10));
        QCOMPARE(train->sampleShape(), (std::vector<int64_t>{3, 32, 32}));
        QCOMPARE(train->label(0), int64_t(1));
        QCOMPARE(train->label(9), int64_t(4));
        QCOMPARE(train->classNames()[0], std::string("airplane"));
        const DatasetPtr test = loadCifar10(s(dir), Split::Test);
        QCOMPARE(test->size(), std::size_t(3));
        const Sample smp = test->sample(2);
        QCOMPARE(smp.label, int64_t(9));
        QCOMPARE(smp.pixels[0 * 1024 + 32 + 2], 250.0f / 255.0f); // R plane first
        QCOMPARE(smp.pixels[1 * 1024 + 32 + 2], 128.0f / 255.0f);
        QCOMPARE(smp.pixels[2 * 1024 + 32 + 2], 5.0f / 255.0f);
        QCOMPARE(smp.pixels[2 * 1024 + 60], float(200 - 60 % 50) / 255.0f);

        QFile meta(dir + "/batches.meta.txt");
        QVERIFY(meta.open(QIODevice::WriteOnly));
        meta.write("plane\r\ncar\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\n  big truck \n\n");
        meta.close();
        QCOMPARE(loadCifar10(s(dir), Split::Test)->classNames()[9], std::string("big truck"));
        QCOMPARE(loadCifar10(s(dir), Split::Test)->classNames()[0], std::string("plane"));
        meta.open(QIODevice::WriteOnly);
        meta.write("a\nb\n");
        meta.close();
        QVERIFY(errorOf([&] { loadCifar10(s(dir), Split::Test); }).contains("batches.meta.txt"));
    }

    void cifar10Errors_data()
    {
        QTest::addColumn<int>("layout");
        QTest::addColumn<QByteArray>("testBatch");
        QTest::addColumn<QString>("named"); // the file the error names, in the folder; empty: the folder
        QTest::addColumn<QStringList>("needles");
        Bytes truncated = cifarRecords({{1}, {2}});
        truncated.resize(truncated.size() - 100);
        QTest::newRow("folder missing") << int(CifarFolder::Missing) << QByteArray() << QString() << QStringList{};
        QTest::newRow("test batch missing") << int(CifarFolder::Empty) << QByteArray() << "test_batch.bin"
                                            << QStringList{};
        QTest::newRow("test batch empty") << int(CifarFolder::TestBatch) << QByteArray() << "test_batch.bin"
                                          << QStringList{"empty"};
        QTest::newRow("last record truncated") << int(CifarFolder::TestBatch) << qbytes(truncated) << "test_batch.bin"
                                               << QStringList{"3073", "truncated"};
        QTest::newRow("label 10") << int(CifarFolder::TestBatch) << qbytes(cifarRecords({{1}, {10}}))
                                  << "test_batch.bin" << QStringList{"label 10", "record 1"};
        QTest::newRow("training batch 3 missing") << int(CifarFolder::TrainWithoutBatch3) << QByteArray()
                                                  << "data_batch_3.bin" << QStringList{};
    }

    void cifar10Errors()
    {
        QFETCH(int, layout);
        QFETCH(QByteArray, testBatch);
        QFETCH(QString, named);
        QFETCH(QStringList, needles);
        QTemporaryDir rowDir;
        QVERIFY(rowDir.isValid());
        const QString dir = rowDir.filePath("c10bad");
        if (CifarFolder(layout) != CifarFolder::Missing)
            QVERIFY(QDir().mkpath(dir));
        if (CifarFolder(layout) == CifarFolder::TestBatch)
            writeFile(dir + "/test_batch.bin", bytesOf(testBatch));
        if (CifarFolder(layout) == CifarFolder::TrainWithoutBatch3)
            for (int b = 1; b <= 5; ++b)
                if (b != 3)
                    writeFile(dir + QString("/data_batch_%1.bin").arg(b), cifarRecords({{0}}));
        const Split split = CifarFolder(layout) == CifarFolder::TrainWithoutBatch3 ? Split::Train : Split::Test;
        const QString err = errorOf([&] { loadCifar10(s(dir), split); });
        QVERIFY2(err.contains(named.isEmpty() ? dir : dir + "/" + named), qPrintable(err));
        for (const QString& n : needles)
            QVERIFY2(err.contains(n), qPrintable(err + " lacks " + n));
    }

    void cifar100()
    {
        const QString dir = path("c100");
        QVERIFY(QDir().mkpath(dir));
        writeFile(dir + "/train.bin", cifarRecords({{19, 99}, {0, 42}}));
        const DatasetPtr fine = loadCifar100(s(dir), Split::Train);
        QCOMPARE(fine->size(), std::size_t(2));
        QCOMPARE(fine->label(0), int64_t(99));
        QCOMPARE(fine->label(1), int64_t(42));
        QCOMPARE(fine->classNames().size(), std::size_t(100));
        QCOMPARE(fine->classNames()[99], std::string("class_99"));
        QCOMPARE(fine->sample(1).pixels[1024 + 34], 128.0f / 255.0f); // G plane marker
        const DatasetPtr coarse = loadCifar100(s(dir), Split::Train, false);
        QCOMPARE(coarse->label(0), int64_t(19));
        QCOMPARE(coarse->classNames().size(), std::size_t(20));

        QFile names(dir + "/coarse_label_names.txt");
        QVERIFY(names.open(QIODevice::WriteOnly));
        for (int i = 0; i < 20; ++i)
            names.write(QString("group %1\n").arg(i).toUtf8());
        names.close();
        QCOMPARE(loadCifar100(s(dir), Split::Train, false)->classNames()[19], std::string("group 19"));
    }

    void cifar100Errors_data()
    {
        QTest::addColumn<QByteArray>("testFile");
        QTest::addColumn<QString>("expected");
        Bytes oneByteOver = cifarRecords({{1, 1}});
        oneByteOver.push_back(0);
        QTest::newRow("fine label 100") << qbytes(cifarRecords({{5, 100}})) << "fine label 100";
        // Loading fine labels, the coarse ones are checked all the same.
        QTest::newRow("coarse label 20") << qbytes(cifarRecords({{20, 5}})) << "coarse label 20";
        QTest::newRow("size not a multiple of 3074") << qbytes(oneByteOver) << "3074";
    }

    void cifar100Errors()
    {
        QFETCH(QByteArray, testFile);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeFile(dir.filePath("test.bin"), bytesOf(testFile));
        const QString err = errorOf([&] { loadCifar100(s(dir.path()), Split::Test, true); });
        QVERIFY2(err.contains(dir.filePath("test.bin")) && err.contains(expected), qPrintable(err));
    }

    void imageFolder()
    {
        const QString root = path("folder");
        for (const char* d : {"dog", "cat", ".hidden", "zebra_empty"})
            QVERIFY(QDir().mkpath(root + "/" + d));
        auto solid = [&](const QString& file, int gray) {
            QVERIFY(cv::imwrite(s(root + "/" + file), cv::Mat(10, 10, CV_8UC1, cv::Scalar(gray))));
        };
        solid("cat/b.PNG", 10);
        solid("cat/a.jpg", 20);
        solid("dog/c.bmp", 30);
        solid(".hidden/x.png", 40);
        writeFile(root + "/dog/notes.txt", {'h', 'i'});

        ImageInputSpec spec;
        spec.height = 4;
        spec.width = 6;
        const ImageFolderDataset ds(s(root), spec);
        QCOMPARE(ds.name(), std::string("folder"));
        QCOMPARE(ds.classNames(), (std::vector<std::string>{"cat", "dog", "zebra_empty"}));
        QCOMPARE(ds.size(), std::size_t(3));
        QVERIFY(QString::fromStdString(ds.filePath(0)).endsWith("cat/a.jpg"));
        QVERIFY(QString::fromStdString(ds.filePath(1)).endsWith("cat/b.PNG"));
        QCOMPARE(ds.label(2), int64_t(1));
        QCOMPARE(ds.sampleShape(), (std::vector<int64_t>{1, 4, 6}));
        const Sample smp = ds.sample(2);
        QCOMPARE(smp.shape, (std::vector<int64_t>{1, 4, 6}));
        QCOMPARE(smp.label, int64_t(1));
        QCOMPARE(smp.pixels[5], 30.0f / 255.0f); // BMP is lossless
        QVERIFY(hasImageExtension("x.JpEg") && !hasImageExtension("x.gif") && !hasImageExtension("png"));

        writeFile(root + "/dog/d.png", {'n', 'o', 't'});
        const ImageFolderDataset withBad(s(root), spec);
        const QString err = errorOf([&] { withBad.sample(3); });
        QVERIFY2(err.contains("d.png") && err.contains("decode"), qPrintable(err));
    }

    void imageFolderErrors_data()
    {
        QTest::addColumn<int>("root");
        QTest::addColumn<int>("channels");
        QTest::addColumn<QString>("expected");
        const int fine = ImageInputSpec{}.channels;
        QTest::newRow("folder missing") << int(FolderRoot::Missing) << fine << "not found";
        QTest::newRow("a file, not a folder") << int(FolderRoot::PlainFile) << fine << "not a folder";
        QTest::newRow("no class subfolders") << int(FolderRoot::NoClassFolders) << fine << "no class subfolders";
        QTest::newRow("class subfolder without images") << int(FolderRoot::EmptyClassFolder) << fine << "no .png";
        QTest::newRow("two channels") << int(FolderRoot::EmptyClassFolder) << 2 << "channels";
    }

    void imageFolderErrors()
    {
        QFETCH(int, root);
        QFETCH(int, channels);
        QFETCH(QString, expected);
        QTemporaryDir rowDir;
        QVERIFY(rowDir.isValid());
        const QString folder = rowDir.filePath("flat");
        if (FolderRoot(root) == FolderRoot::PlainFile)
            writeFile(folder, {1});
        if (FolderRoot(root) == FolderRoot::NoClassFolders || FolderRoot(root) == FolderRoot::EmptyClassFolder) {
            QVERIFY(QDir().mkpath(folder));
            QVERIFY(cv::imwrite(s(folder + "/a.png"), cv::Mat(3, 3, CV_8UC1, cv::Scalar(0))));
        }
        if (FolderRoot(root) == FolderRoot::EmptyClassFolder)
            QVERIFY(QDir().mkpath(folder + "/empty_class"));
        ImageInputSpec spec;
        spec.channels = channels;
        const QString err = errorOf([&] { ImageFolderDataset(s(folder), spec); });
        QVERIFY2(err.contains(folder) && err.contains(expected), qPrintable(err));
    }

    void lraGrayMatchesTensorFlow()
    {
        // Reference values from float32 arithmetic as TF performs it (x 255.5, truncate).
        QCOMPARE(int(lraGray(0, 0, 0)), 0);
        QCOMPARE(int(lraGray(255, 255, 255)), 255);
        QCOMPARE(int(lraGray(255, 0, 0)), 76);
        QCOMPARE(int(lraGray(0, 255, 0)), 149); // 149.98: truncated, not rounded
        QCOMPARE(int(lraGray(0, 0, 255)), 29);
        QCOMPARE(int(lraGray(10, 200, 30)), 124);
        QCOMPARE(int(lraGray(37, 91, 201)), 87);
        for (int v = 0; v < 256; ++v) // weights sum to 0.9999; the +0.5 keeps grays fixed
            QCOMPARE(int(lraGray(uint8_t(v), uint8_t(v), uint8_t(v))), v);
    }

    void pixelTokensRowMajor()
    {
        Sample gray;
        gray.shape = {1, 2, 3};
        for (int v : {1, 2, 3, 40, 50, 255})
            gray.pixels.push_back(float(v) / 255.0f);
        QCOMPARE(pixelTokens(gray), (std::vector<int32_t>{1, 2, 3, 40, 50, 255}));

        Sample colour;
        colour.shape = {3, 2, 3};
        colour.pixels.assign(18, 0.0f);
        colour.pixels[0 * 6 + 5] = 1.0f;               // R at (1,2)
        colour.pixels[1 * 6 + 1] = 1.0f;               // G at (0,1)
        colour.pixels[2 * 6 + 3] = 1.0f;               // B at (1,0)
        colour.pixels[0 * 6 + 4] = 10.0f / 255.0f;      // (1,1) = (10,200,30)
        colour.pixels[1 * 6 + 4] = 200.0f / 255.0f + 1e-4f; // rounding back to bytes
        colour.pixels[2 * 6 + 4] = 30.0f / 255.0f;
        QCOMPARE(pixelTokens(colour), (std::vector<int32_t>{0, 149, 0, 29, 124, 76}));

        Sample wrong = gray;
        wrong.shape = {2, 1, 3};
        QVERIFY(!errorOf([&] { pixelTokens(wrong); }).isEmpty());
    }

    void pixelSequenceDataset()
    {
        auto set = std::make_shared<ImageSet>();
        set->count = 2;
        set->channels = 1;
        set->height = 2;
        set->width = 3;
        set->pixels = {0, 1, 2, 3, 4, 5, 10, 20, 30, 40, 50, 60};
        set->labels = {1, 0};
        const DatasetPtr images = std::make_shared<ImageSetDataset>("img", set, std::vector<std::string>{"x", "y"});
        const PixelSequenceDataset seq(images);
        QCOMPARE(seq.modality(), Modality::Sequence);
        QCOMPARE(seq.sampleShape(), std::vector<int64_t>{6});
        QCOMPARE(seq.vocabularySize(), int64_t(256));
        QCOMPARE(seq.size(), std::size_t(2));
        QCOMPARE(seq.label(0), int64_t(1));
        QCOMPARE(seq.classNames(), images->classNames());
        QCOMPARE(seq.name(), std::string("img (pixel sequence)"));
        const Sample smp = seq.sample(1);
        QCOMPARE(smp.modality, Modality::Sequence);
        QCOMPARE(smp.shape, std::vector<int64_t>{6});
        QCOMPARE(smp.tokens, (std::vector<int32_t>{10, 20, 30, 40, 50, 60}));
        QCOMPARE(smp.label, int64_t(0));
        auto seqPtr = std::make_shared<PixelSequenceDataset>(images);
        QVERIFY(errorOf([&] { PixelSequenceDataset again(seqPtr); }).contains("not an image dataset"));
    }
};

QTEST_GUILESS_MAIN(TestDatasetReaders)
#include "test_dataset_readers.moc"
