// Tests for core/data/image_preprocess: decoding every supported kind of file, the colour,
// alpha, inversion and aspect policies, the recorded steps, and the errors. Images are
// written here with cv::imwrite so each expected pixel is known.
#include "core/data/image_preprocess.h"
#include "core/data/mnist.h"
#include "core/errors.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mimo;

namespace {

template <class F>
QString errorOf(F&& f)
{
    try {
        f();
    } catch (const DataError& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

ImageInputSpec spec(int c, int h, int w, AspectMode a = AspectMode::Letterbox, InvertMode inv = InvertMode::Never)
{
    ImageInputSpec s;
    s.channels = c;
    s.height = h;
    s.width = w;
    s.mean.assign(1, 0.f);
    s.stddev.assign(1, 1.f);
    s.aspect = a;
    s.invert = inv;
    return s;
}

QString joined(const PreparedImage& p)
{
    QStringList l;
    for (const auto& s : p.steps)
        l << QString::fromStdString(s);
    return l.join(" | ");
}

// display value at channel c, row y, column x, as a byte.
int at(const PreparedImage& p, int c, int y, int x)
{
    return int(std::lround(p.display[std::size_t((c * p.height + y) * p.width + x)] * 255.0f));
}

std::vector<uint8_t> bytesOf(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray a = f.readAll();
    return {a.begin(), a.end()};
}

void writeBytes(const QString& path, const std::vector<uint8_t>& b)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(reinterpret_cast<const char*>(b.data()), qint64(b.size()));
}

// JPEG bytes with an EXIF APP1 segment carrying `orientation`, placed after JFIF's APP0.
std::vector<uint8_t> withExifOrientation(std::vector<uint8_t> jpeg, int orientation)
{
    const std::vector<uint8_t> app1{0xFF, 0xE1, 0x00, 34,   'E',  'x',  'i', 'f', 0,   0,    'M', 'M',
                                    0,    42,   0,    0,    0,    8,    0,   1,   0x01, 0x12, 0,   3,
                                    0,    0,    0,    1,    0,    uint8_t(orientation), 0, 0, 0, 0, 0, 0};
    const std::size_t app0End = 4 + ((std::size_t(jpeg[4]) << 8) | jpeg[5]);
    jpeg.insert(jpeg.begin() + std::ptrdiff_t(app0End), app1.begin(), app1.end());
    return jpeg;
}

} // namespace

class TestImagePreprocess : public QObject {
    Q_OBJECT

private:
    QTemporaryDir tmp_;
    std::string path(const QString& name) const { return tmp_.filePath(name).toStdString(); }
    std::string write(const QString& name, const cv::Mat& img)
    {
        const std::string p = path(name);
        if (!cv::imwrite(p, img))
            qFatal("cv::imwrite failed for %s", p.c_str());
        return p;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(tmp_.isValid()); }

    void pngExactAreaResizeAndNormalisation()
    {
        cv::Mat img(56, 56, CV_8UC1);
        for (int y = 0; y < 56; ++y)
            for (int x = 0; x < 56; ++x)
                img.at<uint8_t>(y, x) = uint8_t(((y / 2) * 7 + (x / 2) * 3) % 256);
        ImageInputSpec s = spec(1, 28, 28);
        s.mean = {0.2860f};
        s.stddev = {0.3530f};
        const PreparedImage p = prepareImageFile(write("blocks.png", img), s);
        QCOMPARE(p.channels, 1);
        QCOMPARE(p.height, 28);
        QCOMPARE(p.width, 28);
        QCOMPARE(p.display.size(), std::size_t(784));
        QCOMPARE(p.normalized.size(), std::size_t(784));
        for (int y : {0, 5, 13, 27})
            for (int x : {0, 9, 27})
                QCOMPARE(p.display[std::size_t(y * 28 + x)], float((y * 7 + x * 3) % 256) / 255.0f);
        for (std::size_t i = 0; i < p.display.size(); ++i)
            QCOMPARE(p.normalized[i], (p.display[i] - 0.2860f) / 0.3530f);
        const QString steps = joined(p);
        QVERIFY2(steps.contains("decoded PNG 56x56 grayscale (8-bit)"), qPrintable(steps));
        QVERIFY2(steps.contains("resized 56x56 -> 28x28 (INTER_AREA)"), qPrintable(steps));
        QVERIFY2(steps.contains("normalised with mean 0.2860 std 0.3530"), qPrintable(steps));
        QVERIFY(!steps.contains("letterbox")); // same aspect: nothing to pad

        const Sample smp = preparedToSample(p);
        QCOMPARE(smp.modality, Modality::Image);
        QCOMPARE(smp.shape, (std::vector<int64_t>{1, 28, 28}));
        QCOMPARE(smp.pixels, p.display);
        QCOMPARE(smp.label, int64_t(-1));
    }

    void colourToGrayAndChannelOrder()
    {
        const cv::Mat bgr(12, 12, CV_8UC3, cv::Scalar(50, 100, 200)); // R=200 G=100 B=50
        const std::string png = write("colour.png", bgr);
        const PreparedImage gray = prepareImageFile(png, spec(1, 12, 12));
        QCOMPARE(at(gray, 0, 6, 6), 124); // 0.299*200 + 0.587*100 + 0.114*50 = 124.2
        QVERIFY(joined(gray).contains("converted to grayscale with ITU-R BT.601 weights 0.299/0.587/0.114"));

        ImageInputSpec cs = spec(3, 12, 12);
        cs.mean = {0.5f, 0.4f, 0.3f};
        cs.stddev = {0.25f, 0.5f, 2.0f};
        const PreparedImage rgb = prepareImageFile(png, cs);
        QCOMPARE(rgb.display.size(), std::size_t(3 * 144));
        QCOMPARE(at(rgb, 0, 3, 4), 200); // R plane first
        QCOMPARE(at(rgb, 1, 3, 4), 100);
        QCOMPARE(at(rgb, 2, 3, 4), 50);
        QCOMPARE(rgb.normalized[0], (200.0f / 255.0f - 0.5f) / 0.25f);
        QCOMPARE(rgb.normalized[144], (100.0f / 255.0f - 0.4f) / 0.5f);
        QCOMPARE(rgb.normalized[288], (50.0f / 255.0f - 0.3f) / 2.0f);
        QVERIFY(joined(rgb).contains("decoded PNG 12x12 RGB (8-bit)"));
        QVERIFY(joined(rgb).contains("mean (0.5000, 0.4000, 0.3000)"));
        QVERIFY(!joined(rgb).contains("resized"));
    }

    void grayToThreeChannelsAndBmp()
    {
        const PreparedImage p = prepareImageFile(write("g.png", cv::Mat(8, 8, CV_8UC1, cv::Scalar(77))), spec(3, 8, 8));
        for (int c = 0; c < 3; ++c)
            QCOMPARE(at(p, c, 2, 2), 77);
        QVERIFY(joined(p).contains("replicated the gray channel"));

        cv::Mat bmp(10, 10, CV_8UC3, cv::Scalar(1, 2, 3));
        bmp.at<cv::Vec3b>(4, 7) = cv::Vec3b(30, 20, 10);
        const PreparedImage b = prepareImageFile(write("c.bmp", bmp), spec(3, 10, 10));
        QCOMPARE(at(b, 0, 4, 7), 10);
        QCOMPARE(at(b, 2, 4, 7), 30);
        QCOMPARE(at(b, 0, 0, 0), 3);
        QVERIFY(joined(b).contains("decoded BMP 10x10 RGB"));
    }

    void jpegIsClose()
    {
        const cv::Mat img(40, 40, CV_8UC3, cv::Scalar(60, 120, 180));
        const PreparedImage p = prepareImageFile(write("a.jpg", img), spec(3, 20, 20));
        QVERIFY(std::abs(at(p, 0, 10, 10) - 180) <= 3);
        QVERIFY(std::abs(at(p, 2, 10, 10) - 60) <= 3);
        QVERIFY(joined(p).contains("decoded JPEG 40x40"));
        QVERIFY(joined(p).contains("resized 40x40 -> 20x20 (INTER_AREA)"));
        for (float v : p.display)
            QVERIFY(v >= 0.f && v <= 1.f);
    }

    void sixteenBitPng()
    {
        cv::Mat img(4, 4, CV_16UC1, cv::Scalar(0));
        img.at<uint16_t>(0, 1) = 65535;
        img.at<uint16_t>(0, 2) = 257 * 100;
        img.at<uint16_t>(0, 3) = 12345; // 48.04 -> 48
        const PreparedImage p = prepareImageFile(write("deep.png", img), spec(1, 4, 4));
        QCOMPARE(at(p, 0, 0, 0), 0);
        QCOMPARE(at(p, 0, 0, 1), 255);
        QCOMPARE(at(p, 0, 0, 2), 100);
        QCOMPARE(at(p, 0, 0, 3), 48);
        QVERIFY(joined(p).contains("(16-bit)"));
        QVERIFY(joined(p).contains("scaled 16-bit values to 8-bit"));
    }

    void alphaCompositedOverWhite()
    {
        cv::Mat img(6, 6, CV_8UC4, cv::Scalar(0, 0, 255, 0)); // transparent red
        img.at<cv::Vec4b>(1, 1) = cv::Vec4b(255, 0, 0, 255);  // opaque blue
        img.at<cv::Vec4b>(2, 2) = cv::Vec4b(0, 0, 0, 128);    // half-transparent black
        const PreparedImage p = prepareImageFile(write("rgba.png", img), spec(3, 6, 6));
        QCOMPARE(at(p, 0, 0, 0), 255); // transparent -> white, whatever its colour
        QCOMPARE(at(p, 1, 0, 0), 255);
        QCOMPARE(at(p, 0, 1, 1), 0);
        QCOMPARE(at(p, 2, 1, 1), 255);
        QCOMPARE(at(p, 0, 2, 2), 127); // (255 * 127 + 127) / 255
        QVERIFY2(joined(p).contains("composited over white") && joined(p).contains("35 of 36"), qPrintable(joined(p)));
        QVERIFY(joined(p).contains("RGBA"));

        const PreparedImage inv = prepareImageFile(path("rgba.png"), spec(1, 6, 6, AspectMode::Letterbox, InvertMode::IfLightBackground));
        QCOMPARE(at(inv, 0, 0, 0), 0); // white composite, then inverted to a dark background
        QVERIFY(joined(inv).contains("light background"));

        const PreparedImage opaque = prepareImageFile(write("opaque.png", cv::Mat(3, 3, CV_8UC4, cv::Scalar(9, 9, 9, 255))), spec(1, 3, 3));
        QCOMPARE(at(opaque, 0, 1, 1), 9);
        QVERIFY(joined(opaque).contains("dropped the alpha channel"));
    }

    void letterboxPadsWithBorderMedian()
    {
        cv::Mat wide(20, 40, CV_8UC1, cv::Scalar(255));
        cv::rectangle(wide, cv::Rect(0, 0, 40, 20), cv::Scalar(100), 1);
        const PreparedImage p = prepareImageFile(write("wide.png", wide), spec(1, 28, 28));
        // 40x20 -> 28x14, 7 rows of padding above and below.
        for (int x = 0; x < 28; ++x) {
            for (int y : {0, 6, 21, 27})
                QCOMPARE(at(p, 0, y, x), 100);
        }
        QCOMPARE(at(p, 0, 14, 14), 255);
        const QString steps = joined(p);
        QVERIFY2(steps.contains("resized 40x20 -> 28x14 (INTER_AREA), keeping the aspect ratio"), qPrintable(steps));
        QVERIFY2(steps.contains("padded 7 rows at the top, 7 at the bottom, 0 columns on the left, 0 on the right with 100"),
                 qPrintable(steps));

        cv::Mat tall(30, 10, CV_8UC3, cv::Scalar(0, 0, 0));
        tall(cv::Rect(1, 1, 8, 28)).setTo(cv::Scalar(0, 200, 0));
        const PreparedImage t = prepareImageFile(write("tall.png", tall), spec(3, 15, 15));
        // 10x30 -> 5x15 keeping the aspect, padding 5 columns each side with black.
        QCOMPARE(at(t, 1, 7, 0), 0);
        QCOMPARE(at(t, 1, 7, 4), 0);
        QCOMPARE(at(t, 1, 7, 14), 0);
        QVERIFY(at(t, 1, 7, 7) > 150);
        QVERIFY(joined(t).contains("5 columns on the left, 5 on the right with (R,G,B)=(0,0,0)"));
    }

    void centerCropPicksTheMiddle()
    {
        cv::Mat img(20, 60, CV_8UC1, cv::Scalar(0));
        img(cv::Rect(20, 0, 20, 20)).setTo(255);
        const PreparedImage p = prepareImageFile(write("thirds.png", img), spec(1, 28, 28, AspectMode::CenterCrop));
        for (float v : p.display)
            QCOMPARE(v, 1.0f);
        QVERIFY2(joined(p).contains("cropped the centre 20x20 at x=20, y=0 of 60x20"), qPrintable(joined(p)));
        QVERIFY(joined(p).contains("resized 20x20 -> 28x28 (INTER_LINEAR)"));

        cv::Mat tallImg(90, 30, CV_8UC1, cv::Scalar(10));
        tallImg(cv::Rect(0, 30, 30, 30)).setTo(240);
        const PreparedImage t = prepareImageFile(write("tallthirds.png", tallImg), spec(1, 15, 15, AspectMode::CenterCrop));
        QCOMPARE(*std::min_element(t.display.begin(), t.display.end()), 240.0f / 255.0f);
    }

    void stretchIgnoresAspect()
    {
        cv::Mat img(20, 40, CV_8UC1, cv::Scalar(200));
        img.row(0).setTo(0);
        img.row(1).setTo(0);
        const PreparedImage p = prepareImageFile(write("stretch.png", img), spec(1, 10, 10, AspectMode::Stretch));
        QCOMPARE(at(p, 0, 0, 5), 0); // the dark top rows survive at the top: no padding
        QCOMPARE(at(p, 0, 9, 5), 200);
        QVERIFY(joined(p).contains("resized 40x20 -> 10x10 (INTER_AREA), aspect ratio not kept (stretch)"));
        QVERIFY(!joined(p).contains("letterbox") && !joined(p).contains("cropped"));
    }

    void invertModes()
    {
        cv::Mat light(20, 20, CV_8UC1, cv::Scalar(230));
        light(cv::Rect(6, 6, 8, 8)).setTo(20);
        const std::string lp = write("light.png", light);
        QCOMPARE(at(prepareImageFile(lp, spec(1, 20, 20)), 0, 0, 0), 230);
        const PreparedImage always = prepareImageFile(lp, spec(1, 20, 20, AspectMode::Letterbox, InvertMode::Always));
        QCOMPARE(at(always, 0, 0, 0), 25);
        QCOMPARE(at(always, 0, 10, 10), 235);
        QVERIFY(joined(always).contains("inverted (v -> 255 - v) as the input spec asks"));
        const PreparedImage autoInv = prepareImageFile(lp, spec(1, 20, 20, AspectMode::Letterbox, InvertMode::IfLightBackground));
        QCOMPARE(autoInv.display, always.display);
        QVERIFY2(joined(autoInv).contains("border median 230 means a light background"), qPrintable(joined(autoInv)));

        cv::Mat dark(20, 20, CV_8UC1, cv::Scalar(15));
        const PreparedImage kept = prepareImageFile(write("dark.png", dark), spec(1, 20, 20, AspectMode::Letterbox, InvertMode::IfLightBackground));
        QCOMPARE(at(kept, 0, 3, 3), 15);
        QVERIFY(!joined(kept).contains("inverted"));
    }

    void exifOrientationApplied()
    {
        cv::Mat img(8, 16, CV_8UC3, cv::Scalar(0, 0, 0));
        img(cv::Rect(0, 0, 8, 4)).setTo(cv::Scalar(255, 255, 255)); // bright top-left quarter
        std::vector<uint8_t> jpeg;
        QVERIFY(cv::imencode(".jpg", img, jpeg, {cv::IMWRITE_JPEG_QUALITY, 100}));
        for (int o = 1; o <= 8; ++o) {
            const QString name = QString("exif%1.jpg").arg(o);
            writeBytes(tmp_.filePath(name), withExifOrientation(jpeg, o));
            // OpenCV's own reading (IMREAD_COLOR applies EXIF) is the reference.
            const cv::Mat ref = cv::imread(path(name), cv::IMREAD_COLOR);
            QCOMPARE(ref.cols, o >= 5 ? 8 : 16);
            const PreparedImage p = prepareImageFile(path(name), spec(3, ref.rows, ref.cols, AspectMode::Stretch));
            for (int y = 0; y < ref.rows; ++y)
                for (int x = 0; x < ref.cols; ++x)
                    for (int c = 0; c < 3; ++c)
                        QCOMPARE(at(p, c, y, x), int(ref.at<cv::Vec3b>(y, x)[2 - c]));
            QCOMPARE(joined(p).contains("EXIF orientation"), o != 1);
        }
        QVERIFY(joined(prepareImageFile(path("exif6.jpg"), spec(1, 16, 8))).contains("EXIF orientation 6: rotated 90 degrees clockwise, now 8x16"));
    }

    void decodedPixelsFromMemory()
    {
        // 3x2 RGBA rows padded to 16 bytes, as a QImage would hand them over.
        std::vector<uint8_t> buf(2 * 16, 0xEE);
        const uint8_t px[2][3][4] = {{{255, 0, 0, 255}, {0, 255, 0, 255}, {0, 0, 255, 255}},
                                     {{10, 20, 30, 255}, {0, 0, 0, 0}, {40, 50, 60, 255}}};
        for (int y = 0; y < 2; ++y)
            std::copy(&px[y][0][0], &px[y][0][0] + 12, buf.begin() + y * 16);
        const PreparedImage p = prepareImagePixels(buf.data(), 3, 2, 4, 16, "clipboard", spec(3, 2, 3, AspectMode::Stretch));
        QCOMPARE(at(p, 0, 0, 0), 255);
        QCOMPARE(at(p, 1, 0, 1), 255);
        QCOMPARE(at(p, 2, 0, 2), 255);
        QCOMPARE(at(p, 0, 1, 0), 10);
        QCOMPARE(at(p, 2, 1, 2), 60);
        QCOMPARE(at(p, 1, 1, 1), 255); // transparent -> white
        QVERIFY(joined(p).contains("received 3x2 RGBA pixels (8-bit)"));

        const uint8_t gray[4] = {0, 64, 128, 255};
        const PreparedImage g = prepareImagePixels(gray, 2, 2, 1, 2, "gray", spec(1, 2, 2));
        QCOMPARE(at(g, 0, 1, 0), 128);

        const std::vector<uint8_t> png = bytesOf(tmp_.filePath("blocks.png"));
        QVERIFY(!png.empty());
        QCOMPARE(prepareImageBytes(png, "mem", spec(1, 28, 28)).display,
                 prepareImageFile(path("blocks.png"), spec(1, 28, 28)).display);
    }

    void fashionMnistImageRoundTrip()
    {
        if (!QDir(kFashionMnistDefaultDir).exists())
            QSKIP("dataset-fashion-mnist is not installed");
        const DatasetPtr ds = loadFashionMnist(Split::Test, kFashionMnistDefaultDir);
        const Sample smp = ds->sample(0);
        cv::Mat img(28, 28, CV_8UC1);
        for (int i = 0; i < 784; ++i)
            img.data[i] = uint8_t(std::lround(smp.pixels[std::size_t(i)] * 255.0f));
        // A dataset image saved and read back is exactly the dataset sample.
        const PreparedImage p = prepareImageFile(write("fmnist0.png", img), spec(1, 28, 28, AspectMode::Letterbox, InvertMode::IfLightBackground));
        QCOMPARE(p.display, smp.pixels);
    }

    void badPixelBuffersAreNamed_data()
    {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("stride");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected");
        QTest::newRow("two channels") << 2 << 2 << 2 << 4 << "two" << "two";
        QTest::newRow("stride shorter than a row") << 2 << 2 << 3 << 4 << "stride" << "stride";
        QTest::newRow("zero width") << 0 << 2 << 1 << 2 << "empty" << "zero size";
    }

    void badPixelBuffersAreNamed()
    {
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(int, channels);
        QFETCH(int, stride);
        QFETCH(QString, name);
        QFETCH(QString, expected);
        const uint8_t gray[4] = {0, 64, 128, 255};
        const QString err = errorOf([&] {
            prepareImagePixels(gray, width, height, channels, std::size_t(stride), name.toStdString(), spec(1, 2, 2));
        });
        QVERIFY2(err.contains(name) && err.contains(expected), qPrintable(err));
    }

    void badFilesAreNamed_data()
    {
        QTest::addColumn<bool>("create");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("keepBytes"); // cut the content to this many bytes; -1: keep it whole
        QTest::addColumn<QString>("expected");
        cv::Mat noise(64, 64, CV_8UC3);
        cv::randu(noise, 0, 255);
        std::vector<uint8_t> png;
        cv::imencode(".png", noise, png);
        QTest::newRow("text file") << true << QByteArray("this is not a picture\n") << -1
                                   << "not an image OpenCV can decode";
        QTest::newRow("empty file") << true << QByteArray() << -1 << "empty";
        const QByteArray wholePng(reinterpret_cast<const char*>(png.data()), qsizetype(png.size()));
        QTest::newRow("PNG cut short") << true << wholePng << 100 << "decode";
        QTest::newRow("missing file") << false << QByteArray() << -1 << "not found";
    }

    void badFilesAreNamed()
    {
        QFETCH(bool, create);
        QFETCH(QByteArray, content);
        QFETCH(int, keepBytes);
        QFETCH(QString, expected);
        if (keepBytes >= 0) {
            QVERIFY(content.size() > keepBytes);
            content.truncate(keepBytes);
        }
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString file = dir.filePath("bad.png");
        if (create)
            writeBytes(file, {content.begin(), content.end()});
        const QString err = errorOf([&] { prepareImageFile(file.toStdString(), spec(1, 28, 28)); });
        QVERIFY2(err.contains(file) && err.contains(expected), qPrintable(err));
    }

    void emptyBytesAreNamed()
    {
        QVERIFY(errorOf([&] { prepareImageBytes({}, "nothing", spec(1, 28, 28)); }).contains("nothing"));
    }

    void badSpecsAreNamed_data()
    {
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("height");
        QTest::addColumn<QList<float>>("mean"); // empty: spec()'s
        QTest::addColumn<QList<float>>("stddev");
        QTest::addColumn<QString>("expected");
        QTest::newRow("two channels") << 2 << 28 << QList<float>{} << QList<float>{} << "channels is 2";
        QTest::newRow("two means for three channels") << 3 << 28 << QList<float>{0.1f, 0.2f} << QList<float>{}
                                                      << "mean has 2 values";
        QTest::newRow("zero stddev") << 1 << 28 << QList<float>{} << QList<float>{0.f} << "stddev contains 0.0000";
        QTest::newRow("zero height") << 1 << 0 << QList<float>{} << QList<float>{} << "invalid image input spec";
        QTest::newRow("NaN mean") << 1 << 28 << QList<float>{std::numeric_limits<float>::quiet_NaN()}
                                  << QList<float>{} << "non-finite";
    }

    void badSpecsAreNamed()
    {
        QFETCH(int, channels);
        QFETCH(int, height);
        QFETCH(QList<float>, mean);
        QFETCH(QList<float>, stddev);
        QFETCH(QString, expected);
        const std::string good = write("g.png", cv::Mat(8, 8, CV_8UC1, cv::Scalar(77)));
        ImageInputSpec bad = spec(channels, height, 28);
        if (!mean.isEmpty())
            bad.mean.assign(mean.begin(), mean.end());
        if (!stddev.isEmpty())
            bad.stddev.assign(stddev.begin(), stddev.end());
        const QString err = errorOf([&] { prepareImageFile(good, bad); });
        QVERIFY2(err.contains("g.png") && err.contains(expected), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestImagePreprocess)
#include "test_image_preprocess.moc"
