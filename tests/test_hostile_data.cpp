// Hostile data files (issue 15): gzip bombs in IDX files, huge sparse CIFAR files, images whose
// header declares 20000 or 30000 pixels a side. Each is written here; each must be refused by
// name from what its header or size declares, before the memory it asks for is allocated or
// the data are inflated or decoded.
#include "core/data/binary_file.h"
#include "core/data/cifar.h"
#include "core/data/idx_reader.h"
#include "core/data/image_header.h"
#include "core/data/image_preprocess.h"
#include "core/errors.h"
#include "test_support.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <zlib.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <functional>

using namespace mimo;
using mimo::testing::errorOf;

namespace {


std::string bigEndian(uint64_t value, int bytes)
{
    std::string out;
    for (int i = bytes - 1; i >= 0; --i)
        out += char((value >> (8 * i)) & 0xff);
    return out;
}

std::string littleEndian(uint64_t value, int bytes)
{
    std::string out;
    for (int i = 0; i < bytes; ++i)
        out += char((value >> (8 * i)) & 0xff);
    return out;
}

std::string idxHeader(uint32_t count, uint32_t rows, uint32_t cols)
{
    return bigEndian(0x803, 4) + bigEndian(count, 4) + bigEndian(rows, 4) + bigEndian(cols, 4);
}

void writeFile(const std::string& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

// `bytes` then `zeros` zero bytes, gzip-compressed: zeros compress about 1000:1.
void writeGzip(const std::string& path, const std::string& bytes, std::size_t zeros = 0)
{
    gzFile out = gzopen(path.c_str(), "wb9");
    gzwrite(out, bytes.data(), unsigned(bytes.size()));
    const std::string block(1 << 20, '\0');
    for (std::size_t done = 0; done < zeros; done += block.size())
        gzwrite(out, block.data(), unsigned(std::min(block.size(), zeros - done)));
    gzclose(out);
}

// Images that declare a size in their header and hold no pixel data at all.
std::string pngHeader(uint32_t width, uint32_t height)
{
    return std::string("\x89PNG\r\n\x1a\n", 8) + bigEndian(13, 4) + "IHDR" + bigEndian(width, 4) + bigEndian(height, 4) +
           std::string("\x08\x02\x00\x00\x00", 5) + bigEndian(0, 4);
}

std::string jpegHeader(uint16_t width, uint16_t height)
{
    return std::string("\xff\xd8\xff\xe0\x00\x04\x00\x00\xff\xc0\x00\x11\x08", 13) + bigEndian(height, 2) +
           bigEndian(width, 2) + std::string("\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01", 10);
}

std::string bmpHeader(int32_t width, int32_t height)
{
    return "BM" + littleEndian(54, 4) + littleEndian(0, 4) + littleEndian(54, 4) + littleEndian(40, 4) +
           littleEndian(uint32_t(width), 4) + littleEndian(uint32_t(height), 4) + littleEndian(1, 2) +
           littleEndian(24, 2) + std::string(24, '\0');
}

// Width and height, and where given (non-zero) RowsPerStrip, TileWidth and TileLength, as LONGs.
std::string tiffHeader(uint32_t width, uint32_t height, uint32_t rowsPerStrip = 0, uint32_t tileWidth = 0,
                       uint32_t tileLength = 0)
{
    std::vector<std::pair<uint32_t, uint32_t>> tags{{256, width}, {257, height}};
    if (rowsPerStrip != 0)
        tags.emplace_back(278, rowsPerStrip);
    if (tileWidth != 0)
        tags.emplace_back(322, tileWidth);
    if (tileLength != 0)
        tags.emplace_back(323, tileLength);
    std::string t = std::string("II*\0", 4) + littleEndian(8, 4) + littleEndian(uint32_t(tags.size()), 2);
    for (const auto& [tag, value] : tags)
        t += littleEndian(tag, 2) + littleEndian(4, 2) + littleEndian(1, 4) + littleEndian(value, 4);
    return t + littleEndian(0, 4);
}

std::string webpHeader(uint32_t width, uint32_t height)
{
    return "RIFF" + littleEndian(30, 4) + "WEBPVP8X" + littleEndian(10, 4) + std::string(4, '\0') +
           littleEndian(width - 1, 3) + littleEndian(height - 1, 3);
}

ImageInputSpec gray28()
{
    ImageInputSpec spec;
    spec.mean = {0.5f};
    spec.stddev = {0.25f};
    return spec;
}

} // namespace

class HostileDataTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(dir_.isValid()); }
    void idxFilesAreBoundedByWhatTheyDeclare_data();
    void idxFilesAreBoundedByWhatTheyDeclare();
    void cifarFilesAreBoundedBeforeReading();
    void imagesAboveThePixelBudgetAreNotDecoded_data();
    void imagesAboveThePixelBudgetAreNotDecoded();
    void imageHeadersAgreeWithOpenCv_data();
    void imageHeadersAgreeWithOpenCv();
    void readersSayWhatAPathIsInstead();

private:
    std::string path(const QString& name) const { return dir_.filePath(name).toStdString(); }
    QTemporaryDir dir_;
};

void HostileDataTest::idxFilesAreBoundedByWhatTheyDeclare_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");
    QTest::newRow("gzip file far too small for its header") << "declares-78MB.gz" << "more than a gzip file of";
    QTest::newRow("header above the limit") << "declares-2GB.gz" << "bytes of data this program reads";
    QTest::newRow("gzip bomb after the data") << "bomb.gz" << "at least 4096 trailing bytes";
    QTest::newRow("plain file shorter than its header") << "short" << "truncated";
    QTest::newRow("plain header above the limit") << "declares-4GB" << "bytes of data this program reads";
    QTest::newRow("a folder") << "folder" << "is a directory";
}

void HostileDataTest::idxFilesAreBoundedByWhatTheyDeclare()
{
    QFETCH(QString, name);
    QFETCH(QString, expected);
    const std::string file = path(name);
    if (name == "declares-78MB.gz")
        writeGzip(file, idxHeader(100000, 28, 28));
    else if (name == "declares-2GB.gz")
        writeGzip(file, idxHeader(60000, 200, 200), 1 << 20);
    else if (name == "bomb.gz") // 32 MiB of zeros behind one valid image, about 32 KB on disk
        writeGzip(file, idxHeader(1, 28, 28) + std::string(784, '\x10'), std::size_t(32) << 20);
    else if (name == "short")
        writeFile(file, idxHeader(1000, 28, 28) + std::string(784, '\x10'));
    else if (name == "declares-4GB")
        writeFile(file, idxHeader(100000, 200, 200));
    else
        QVERIFY(QDir().mkpath(QString::fromStdString(file)));
    QElapsedTimer timer;
    timer.start();
    const QString error = errorOf([&] { readIdxImages(file); });
    QVERIFY2(error.startsWith(QString::fromStdString(file)) && error.contains(expected), qPrintable(error));
    QVERIFY2(timer.elapsed() < mimo::testing::hangLimitMs(5000), qPrintable(QString::number(timer.elapsed())));
}

void HostileDataTest::cifarFilesAreBoundedBeforeReading()
{
    const std::string folder = path("cifar");
    std::filesystem::create_directories(folder);
    // A sparse batch: 300 MB on paper, nothing on disk.
    for (int i = 1; i <= 5; ++i)
        writeFile(folder + "/data_batch_" + std::to_string(i) + ".bin", std::string(3073, '\1'));
    std::filesystem::resize_file(folder + "/data_batch_3.bin", uint64_t(300) << 20);
    QString error = errorOf([&] { loadCifar10(folder, Split::Train); });
    QVERIFY2(error.contains("data_batch_3.bin") && error.contains("more than the 268435456"), qPrintable(error));

    std::filesystem::create_directory(folder + "/test_batch.bin"); // a folder where the file belongs
    error = errorOf([&] { loadCifar10(folder, Split::Test); });
    QVERIFY2(error.contains("test_batch.bin") && error.contains("is a directory") && !error.contains("not found"),
             qPrintable(error));

    std::filesystem::resize_file(folder + "/data_batch_3.bin", 3073);
    writeFile(folder + "/batches.meta.txt", "");
    std::filesystem::resize_file(folder + "/batches.meta.txt", uint64_t(2) << 20);
    error = errorOf([&] { loadCifar10(folder, Split::Train); });
    QVERIFY2(error.contains("batches.meta.txt") && error.contains("class names file"), qPrintable(error));
}

void HostileDataTest::imagesAboveThePixelBudgetAreNotDecoded_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    const auto row = [](const char* name, const std::string& bytes, const char* expected) {
        QTest::newRow(name) << QByteArray(bytes.data(), qsizetype(bytes.size())) << QString(expected);
    };
    row("PNG 20000x20000", pngHeader(20000, 20000), "PNG image of 20000x20000 pixels is larger than the 64 megapixels");
    row("JPEG 30000x30000", jpegHeader(30000, 30000), "JPEG image of 30000x30000 pixels is larger");
    row("JPEG 65535x2000", jpegHeader(65535, 2000), "JPEG image of 65535x2000");
    row("BMP 20000x20000", bmpHeader(20000, 20000), "BMP image of 20000x20000");
    row("BMP 20000x-20000 (top-down)", bmpHeader(20000, -20000), "BMP image of 20000x20000");
    row("TIFF 20000x20000", tiffHeader(20000, 20000), "TIFF image of 20000x20000");
    // Small images whose strips or tiles OpenCV would allocate whole (fuzzing found the first).
    row("TIFF 64012x9 in strips of 13648 rows", tiffHeader(64012, 9, 13648),
        "TIFF image of 64012x9 pixels declares strips or tiles of 873635776 pixels each");
    row("TIFF 100x100 in tiles of 30000x30000", tiffHeader(100, 100, 0, 30000, 30000),
        "declares strips or tiles of 900000000 pixels");
    row("WebP 16000x16000", webpHeader(16000, 16000), "WebP image of 16000x16000");
    row("PGM 20000x20000", "P5 20000 20000 255\n", "PNM image of 20000x20000");
    row("PNG 4294967295x1", pngHeader(0xffffffff, 1), "PNG image of 4294967295x1");
    row("PNG of zero width", pngHeader(0, 10), "declares an empty image");
    row("unknown format", "GIF89a not read here", "not an image OpenCV can decode");
}

void HostileDataTest::imagesAboveThePixelBudgetAreNotDecoded()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    const std::string file = path("huge-image");
    writeFile(file, content.toStdString());
    QElapsedTimer timer;
    timer.start();
    const QString error = errorOf([&] { prepareImageFile(file, gray28()); });
    QVERIFY2(error.startsWith(QString::fromStdString(file)) && error.contains(expected), qPrintable(error));
    const std::vector<uint8_t> bytes(content.begin(), content.end());
    QVERIFY(errorOf([&] { prepareImageBytes(bytes, "dropped", gray28()); }).contains(expected));
    QVERIFY2(timer.elapsed() < mimo::testing::hangLimitMs(2000), qPrintable(QString::number(timer.elapsed())));
}

void HostileDataTest::imageHeadersAgreeWithOpenCv_data()
{
    QTest::addColumn<QString>("extension");
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("format");
    QTest::newRow("PNG") << ".png" << CV_8UC3 << "PNG";
    QTest::newRow("PNG 16-bit gray") << ".png" << CV_16UC1 << "PNG";
    QTest::newRow("JPEG") << ".jpg" << CV_8UC3 << "JPEG";
    QTest::newRow("BMP") << ".bmp" << CV_8UC3 << "BMP";
    QTest::newRow("TIFF") << ".tiff" << CV_8UC3 << "TIFF";
    QTest::newRow("WebP lossy") << ".webp" << CV_8UC3 << "WebP";
    QTest::newRow("PGM") << ".pgm" << CV_8UC1 << "PNM";
    QTest::newRow("PPM") << ".ppm" << CV_8UC3 << "PNM";
    QTest::newRow("PFM") << ".pfm" << CV_32FC3 << "PFM";
    QTest::newRow("Sun raster") << ".ras" << CV_8UC3 << "Sun raster";
    QTest::newRow("Radiance HDR") << ".hdr" << CV_32FC3 << "HDR";
    QTest::newRow("JPEG 2000") << ".jp2" << CV_8UC3 << "JPEG 2000";
}

void HostileDataTest::imageHeadersAgreeWithOpenCv()
{
    QFETCH(QString, extension);
    QFETCH(int, type);
    QFETCH(QString, format);
    cv::Mat image(53, 71, type); // 71 wide, 53 high: a transposed reading shows (JPEG 2000 wants 32 a side)
    cv::randu(image, 0, CV_MAT_DEPTH(type) == CV_32F ? 1 : 200);
    std::vector<uint8_t> encoded;
    try {
        if (!cv::imencode(extension.toStdString(), image, encoded))
            QSKIP("this OpenCV does not write the format");
    } catch (const cv::Exception&) {
        QSKIP("this OpenCV does not write the format");
    }
    const auto header = readImageHeader(encoded.data(), encoded.size());
    QVERIFY(header.has_value());
    QCOMPARE(QString::fromStdString(header->format), format);
    QCOMPARE(int(header->width), 71);
    QCOMPARE(int(header->height), 53);
    const cv::Mat decoded = cv::imdecode(encoded, cv::IMREAD_UNCHANGED);
    QCOMPARE(decoded.cols, 71);
    QCOMPARE(decoded.rows, 53);
    // Cut at any point, the header is read or refused (text headers may read a number cut
    // short), never read past the end.
    for (std::size_t size = 0; size < std::min<std::size_t>(encoded.size(), 400); ++size) {
        const std::vector<uint8_t> cut(encoded.begin(), encoded.begin() + std::ptrdiff_t(size));
        const auto partial = readImageHeader(cut.data(), cut.size());
        const bool text = partial && (partial->format == "PNM" || partial->format == "PFM" || partial->format == "HDR");
        QVERIFY(!partial || text || (partial->width == 71 && partial->height == 53));
    }
}

void HostileDataTest::readersSayWhatAPathIsInstead()
{
    const std::string folder = path("a-folder.png");
    std::filesystem::create_directories(folder);
    const QString image = errorOf([&] { prepareImageFile(folder, gray28()); });
    QVERIFY2(image.contains("is a directory") && !image.contains("underflow"), qPrintable(image));
    const std::string loop = path("loop.png");
    std::filesystem::create_symlink("loop.png", loop);
    const QString looping = errorOf([&] { prepareImageFile(loop, gray28()); });
    QVERIFY2(looping.contains("loop") && !looping.contains("not found"), qPrintable(looping));
    const std::string sparse = path("huge.png");
    writeFile(sparse, pngHeader(10, 10));
    std::filesystem::resize_file(sparse, kMaxImageFileBytes + 1);
    const QString huge = errorOf([&] { prepareImageFile(sparse, gray28()); });
    QVERIFY2(huge.contains("more than the 536870912"), qPrintable(huge));
    std::filesystem::remove(sparse);
}

QTEST_GUILESS_MAIN(HostileDataTest)
#include "test_hostile_data.moc"
