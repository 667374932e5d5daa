// SVHN's .mat files (core/data/svhn.h, mat_file.h): files this test writes with libmatio itself
// (MAT v5, plain and compressed) read back digit for digit; wrong variables, classes and shapes,
// bad labels, truncated and foreign files refused with the file named.
#include "core/data/dataset_spec.h"
#include "core/data/mat_file.h"
#include "core/data/svhn.h"
#include "core/errors.h"
#include "test_support.h"

#include <matio.h>

#include <QFile>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

#include <cstdint>
#include <cstring>
#include <vector>

using namespace mimo;
using mimo::testing::errorOf;

namespace {

// The pixel SVHN image n holds at (row, column, colour): a pattern in which every coordinate counts.
uint8_t pixel(int row, int column, int colour, int n)
{
    return uint8_t((row * 7 + column * 3 + colour * 50 + n * 11) % 256);
}

struct MatVariable {
    std::string name;
    matio_classes classType;
    matio_types dataType;
    std::vector<size_t> dims;
    std::vector<uint8_t> bytes; // column-major, dataType's element size
};

MatVariable images(int count, int colours = 3, int side = 32)
{
    MatVariable x{"X", MAT_C_UINT8, MAT_T_UINT8, {size_t(side), size_t(side), size_t(colours), size_t(count)}, {}};
    x.bytes.resize(size_t(side) * size_t(side) * size_t(colours) * size_t(count));
    for (int n = 0; n < count; ++n)
        for (int c = 0; c < colours; ++c)
            for (int col = 0; col < side; ++col)
                for (int row = 0; row < side; ++row)
                    x.bytes[size_t(((n * colours + c) * side + col) * side + row)] = pixel(row, col, c, n);
    return x;
}

MatVariable labelsAsDouble(const std::vector<double>& values, bool column = true)
{
    MatVariable y{"y", MAT_C_DOUBLE, MAT_T_DOUBLE, {column ? values.size() : 1, column ? 1 : values.size()}, {}};
    y.bytes.resize(values.size() * sizeof(double));
    std::memcpy(y.bytes.data(), values.data(), y.bytes.size());
    return y;
}

MatVariable labelsAsUInt8(const std::vector<uint8_t>& values)
{
    return {"y", MAT_C_UINT8, MAT_T_UINT8, {values.size(), 1}, values};
}

void writeMat(const QString& path, const std::vector<MatVariable>& variables, bool compressed)
{
    QFile::remove(path);
    mat_t* file = Mat_CreateVer(path.toUtf8().constData(), nullptr, MAT_FT_MAT5);
    QVERIFY(file);
    for (const auto& v : variables) {
        std::vector<size_t> dims = v.dims;
        matvar_t* variable = Mat_VarCreate(v.name.c_str(), v.classType, v.dataType, int(dims.size()), dims.data(),
                                           const_cast<uint8_t*>(v.bytes.data()), MAT_F_DONT_COPY_DATA);
        QVERIFY(variable);
        QCOMPARE(Mat_VarWrite(file, variable, compressed ? MAT_COMPRESSION_ZLIB : MAT_COMPRESSION_NONE), 0);
        Mat_VarFree(variable);
    }
    Mat_Close(file);
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeBytes(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
}

} // namespace

class SvhnTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString path(const QString& name) const { return dir_.filePath(name); }

    // A refusal that names the file and says `needle`.
    void expectRefused(const QString& file, const QString& needle)
    {
        const QString message = errorOf([&] { loadSvhnFile(file.toStdString()); });
        QVERIFY2(message.contains(file), qPrintable(file + ": " + message));
        QVERIFY2(message.contains(needle), qPrintable(message));
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void readsWhatMatioWrote_data()
    {
        QTest::addColumn<bool>("compressed");
        QTest::addColumn<bool>("doubleLabels");
        QTest::newRow("plain, double labels") << false << true;
        QTest::newRow("compressed, uint8 labels") << true << false;
    }

    void readsWhatMatioWrote()
    {
        QFETCH(bool, compressed);
        QFETCH(bool, doubleLabels);
        const QString file = path("digits.mat");
        const MatVariable y = doubleLabels ? labelsAsDouble({1, 10, 5}) : labelsAsUInt8({1, 10, 5});
        writeMat(file, {images(3), y}, compressed);
        const auto data = loadSvhnFile(file.toStdString());
        QCOMPARE(data->size(), std::size_t(3));
        QCOMPARE(data->sampleShape(), (std::vector<int64_t>{3, 32, 32}));
        QCOMPARE(data->label(0), int64_t(1));
        QCOMPARE(data->label(1), int64_t(0)); // 10 is the digit 0
        QCOMPARE(data->label(2), int64_t(5));
        QCOMPARE(data->classNames().front(), std::string("0"));
        for (std::size_t n = 0; n < 3; ++n) {
            const auto sample = data->sample(n);
            for (int c = 0; c < 3; ++c)
                for (int row = 0; row < 32; row += 5)
                    for (int col = 0; col < 32; col += 3) {
                        const float got = sample.pixels[std::size_t((c * 32 + row) * 32 + col)];
                        QCOMPARE(got, float(pixel(row, col, c, int(n))) / 255.0f);
                    }
        }
    }

    void labelsInARowAreAccepted()
    {
        const QString file = path("row.mat");
        writeMat(file, {images(2), labelsAsDouble({3, 4}, /*column=*/false)}, false);
        QCOMPARE(loadSvhnFile(file.toStdString())->label(1), int64_t(4));
    }

    void datasetSpecFindsTheSplits()
    {
        QTemporaryDir folder;
        writeMat(folder.filePath("train_32x32.mat"), {images(2), labelsAsDouble({2, 3})}, true);
        writeMat(folder.filePath("test_32x32.mat"), {images(1), labelsAsDouble({9})}, true);
        QCOMPARE(openDataset("svhn:" + folder.path().toStdString() + ":train")->size(), std::size_t(2));
        QCOMPARE(openDataset("svhn:" + folder.path().toStdString())->size(), std::size_t(1)); // test by default
        QCOMPARE(openDataset("svhn:" + folder.filePath("train_32x32.mat").toStdString())->label(1), int64_t(3));
        QFile::remove(folder.filePath("test_32x32.mat"));
        const QString message = errorOf([&] { openDataset("svhn:" + folder.path().toStdString() + ":test"); });
        QVERIFY2(message.contains("test_32x32.mat") && message.contains("not found"), qPrintable(message));
        QVERIFY_THROWS_EXCEPTION(Error, openDataset("svhn:"));
    }

    void wrongVariablesAreRefused_data()
    {
        QTest::addColumn<int>("variant");
        QTest::addColumn<QString>("needle");
        QTest::newRow("one colour") << 0 << "32x32x3xN";
        QTest::newRow("28x28 images") << 1 << "32x32x3xN";
        QTest::newRow("double images") << 2 << "uint8";
        QTest::newRow("no X") << 3 << "no variable 'X'";
        QTest::newRow("no y") << 4 << "no variable 'y'";
        QTest::newRow("fewer labels") << 5 << "one label per image";
        QTest::newRow("label 11") << 6 << "1..10";
        QTest::newRow("label 0") << 7 << "1..10";
        QTest::newRow("label 2.5") << 8 << "1..10";
        QTest::newRow("labels 2x2") << 9 << "one label per image";
        QTest::newRow("three dimensions") << 10 << "32x32x3xN";
    }

    void wrongVariablesAreRefused()
    {
        QFETCH(int, variant);
        QFETCH(QString, needle);
        const QString file = path(QString("wrong-%1.mat").arg(variant));
        MatVariable x = images(2);
        MatVariable y = labelsAsDouble({1, 2});
        switch (variant) {
        case 0: x = images(2, 1); break;
        case 1: x = images(2, 3, 28); break;
        case 2:
            x = {"X", MAT_C_DOUBLE, MAT_T_DOUBLE, {32, 32, 3, 1}, std::vector<uint8_t>(32 * 32 * 3 * 8, 0)};
            y = labelsAsDouble({1});
            break;
        case 3: x.name = "images"; break;
        case 4: y.name = "labels"; break;
        case 5: y = labelsAsDouble({1}); break;
        case 6: y = labelsAsDouble({1, 11}); break;
        case 7: y = labelsAsDouble({0, 1}); break;
        case 8: y = labelsAsDouble({2.5, 1}); break;
        case 9:
            x = images(4);
            y = labelsAsDouble({1, 2, 3, 4});
            y.dims = {2, 2};
            break;
        case 10: x.dims = {32, 32, 6}; break;
        }
        writeMat(file, {x, y}, false);
        expectRefused(file, needle);
    }

    void truncatedFilesAreRefused_data()
    {
        QTest::addColumn<bool>("compressed");
        QTest::newRow("plain") << false;
        QTest::newRow("compressed") << true;
    }

    void truncatedFilesAreRefused()
    {
        QFETCH(bool, compressed);
        const QString whole = path("whole.mat");
        writeMat(whole, {images(4), labelsAsDouble({1, 2, 3, 4})}, compressed);
        const QByteArray bytes = readAll(whole);
        QVERIFY(bytes.size() > 300);
        for (int keep : {10, 127, 128, 140, 200, int(bytes.size() / 2), int(bytes.size()) - 9, int(bytes.size()) - 1}) {
            const QString cut = path(QString("cut-%1.mat").arg(keep));
            writeBytes(cut, bytes.left(keep));
            const QString message = errorOf([&] { loadSvhnFile(cut.toStdString()); });
            QVERIFY2(message.contains(cut), qPrintable(QString("%1 bytes: %2").arg(keep).arg(message)));
        }
    }

    void headersMatioWouldTrustAreRefused()
    {
        // The dimensions tag of X declares 4 GB: matio would allocate 8 GB for it (found by fuzzing).
        const QString plain = path("plain.mat");
        writeMat(plain, {images(1), labelsAsDouble({4})}, false);
        QByteArray bytes = readAll(plain);
        const int dimsBytes = 128 + 8 + 16 + 4; // header, matrix tag, array flags, dimensions type
        QCOMPARE(bytes.mid(dimsBytes, 4), QByteArray::fromHex("10000000")); // 4 dimensions of 4 bytes
        bytes.replace(dimsBytes, 4, QByteArray::fromHex("f0ffffff"));
        const QString huge = path("huge-dims.mat");
        writeBytes(huge, bytes);
        expectRefused(huge, "bytes of dimensions");
        // X claims 2^28 images in the bytes of one (fuzzing found such a y).
        bytes = readAll(plain);
        const int imagesAt = 128 + 8 + 16 + 8 + 12; // the fourth dimension
        QCOMPARE(bytes.mid(imagesAt, 4), QByteArray::fromHex("01000000"));
        bytes.replace(imagesAt, 4, QByteArray::fromHex("00000010"));
        const QString many = path("many.mat");
        writeBytes(many, bytes);
        expectRefused(many, "32x32x3x268435456 elements, more than");
        // An array element of no bytes between X and y: matio takes y's tags for its header and
        // read a name 4 GB long from what followed (fuzzing).
        bytes = readAll(plain);
        const int afterX = 128 + 8 + int(qFromLittleEndian<quint32>(bytes.constData() + 132));
        const QString empty = path("empty-array.mat");
        writeBytes(empty, bytes.left(afterX) + QByteArray::fromHex("0e00000000000000") + bytes.mid(afterX));
        expectRefused(empty, "a MATLAB array of 0 bytes");

        // A struct before X: matio would read its fields' headers too.
        const QString withStruct = path("struct.mat");
        QFile::remove(withStruct);
        mat_t* file = Mat_CreateVer(withStruct.toUtf8().constData(), nullptr, MAT_FT_MAT5);
        QVERIFY(file);
        size_t one[2] = {1, 1};
        const char* fields[1] = {"a"};
        matvar_t* record = Mat_VarCreateStruct("s", 2, one, fields, 1);
        double value = 1;
        Mat_VarSetStructFieldByName(record, "a", 0,
                                    Mat_VarCreate("a", MAT_C_DOUBLE, MAT_T_DOUBLE, 2, one, &value, 0));
        QCOMPARE(Mat_VarWrite(file, record, MAT_COMPRESSION_NONE), 0);
        Mat_VarFree(record);
        Mat_Close(file);
        expectRefused(withStruct, "only numeric and char arrays");
    }

    void foreignFilesAreRefused()
    {
        const QString text = path("notes.mat");
        writeBytes(text, "these are not digits\n");
        expectRefused(text, "128-byte header");
        QByteArray v73(128, ' ');
        v73[124] = 0;
        v73[125] = 2;
        v73[126] = 'I';
        v73[127] = 'M';
        const QString hdf5 = path("v73.mat");
        writeBytes(hdf5, v73 + QByteArray(400, '\0'));
        expectRefused(hdf5, "version 7.3");
        const QString v4 = path("v4.mat");
        writeBytes(v4, QByteArray::fromHex("0000000000" "00002a0000003500") + QByteArray(200, 'x'));
        expectRefused(v4, "not a MAT version 5 file");
        const QString empty = path("empty.mat");
        writeBytes(empty, "");
        expectRefused(empty, "empty");
        expectRefused(path("absent.mat"), "");
        QVERIFY(errorOf([&] { loadSvhnFile(dir_.path().toStdString()); }).contains(dir_.path()));
    }

    void matFileNamesWhatItHolds()
    {
        const QString file = path("names.mat");
        writeMat(file, {images(1), labelsAsDouble({4})}, false);
        MatFile mat(file.toStdString(), 1 << 20);
        QCOMPARE(mat.variableNames(), (std::vector<std::string>{"X", "y"}));
        const auto info = mat.info("X");
        QCOMPARE(info.shapeText(), std::string("32x32x3x1"));
        QCOMPARE(info.className, std::string("uint8"));
        const QString message = errorOf([&] { mat.info("Z"); });
        QVERIFY2(message.contains("X, y") && message.contains(file), qPrintable(message));
        QVERIFY(errorOf([&] { mat.readUInt8("X", 100); }).contains("more than the 100"));
        QVERIFY(errorOf([&] { MatFile(file.toStdString(), 10); }).contains(file));
    }
};

QTEST_GUILESS_MAIN(SvhnTest)
#include "test_svhn.moc"
