// Installation and the Debian package as a user gets them: `cmake --install` and `cpack -G DEB`
// on the finished build, the desktop entry and AppStream metadata through their validators, then
// the programs of the unpacked package started, finding their models in the installed share
// folder. The tools come from scripts/setup.sh; a missing one fails with that advice.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include <algorithm>
#include <utility>

namespace {

const QString kAppId = QStringLiteral("io.github.mimoexplorer.MimoExplorer");
const QString kPackage = QStringLiteral("mimo-explorer");

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
    QString problem; // set when the process did not start or finish
    bool ok() const { return problem.isEmpty() && exitCode == 0; }
};

QString describe(const QString& what, const Run& run)
{
    const QString outcome = run.problem.isEmpty() ? QStringLiteral("exit code %1").arg(run.exitCode) : run.problem;
    return QStringLiteral("%1: %2\n--- stdout ---\n%3\n--- stderr ---\n%4")
        .arg(what, outcome, run.out.right(4000), run.err.right(4000));
}

// Nothing from the test's own environment may point the programs at another data folder.
QProcessEnvironment cleanEnvironment()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("MIMO_MODELS_DIR"));
    environment.remove(QStringLiteral("MIMO_EXAMPLES_DIR"));
    environment.remove(QStringLiteral("DESTDIR")); // cmake --install would prepend it to --prefix
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    return environment;
}

Run run(const QString& program, const QStringList& arguments, int timeoutSeconds, const QString& workingDirectory = {})
{
    QProcess process;
    process.setProcessEnvironment(cleanEnvironment());
    if (!workingDirectory.isEmpty())
        process.setWorkingDirectory(workingDirectory);
    process.start(program, arguments);
    Run result;
    if (!process.waitForStarted()) {
        result.problem = QStringLiteral("cannot start %1: %2").arg(program, process.errorString());
        return result;
    }
    if (!process.waitForFinished(timeoutSeconds * 1000)) {
        process.kill();
        process.waitForFinished();
        result.problem = QStringLiteral("did not finish within %1 s").arg(timeoutSeconds);
    } else if (process.exitStatus() != QProcess::NormalExit) {
        result.problem = QStringLiteral("crashed");
    }
    result.exitCode = process.exitCode();
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

// The path of a tool scripts/setup.sh installs, or empty with `problem` saying what to run.
QString tool(const QString& name, const QString& debianPackage, QString* problem)
{
    const QString path = QStandardPaths::findExecutable(name);
    if (path.isEmpty())
        *problem = QStringLiteral("%1 is not installed (Debian package %2): run scripts/setup.sh").arg(name, debianPackage);
    return path;
}

// Regular files under `root`, as paths relative to it.
QSet<QString> filesUnder(const QString& root)
{
    QSet<QString> files;
    const QDir base(root);
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.insert(base.relativeFilePath(it.next()));
    return files;
}

QStringList sorted(const QSet<QString>& set)
{
    QStringList list(set.begin(), set.end());
    std::sort(list.begin(), list.end());
    return list;
}

QString sourceDir() { return qEnvironmentVariable("MIMO_SOURCE_DIR"); }

QString buildDir() { return QDir::cleanPath(qEnvironmentVariable("MIMO_BIN_DIR") + QStringLiteral("/..")); }

QStringList modelsIn(const QString& dir) { return QDir(dir).entryList({QStringLiteral("*.pt")}, QDir::Files); }

QStringList bundledModels() { return modelsIn(sourceDir() + QStringLiteral("/models")); }

// What an installation must hold, relative to its prefix, judged from the source tree.
QStringList expectedFiles()
{
    QStringList files{QStringLiteral("bin/mimo"),
                      QStringLiteral("bin/mimo-explorer"),
                      QStringLiteral("share/applications/") + kAppId + QStringLiteral(".desktop"),
                      QStringLiteral("share/metainfo/") + kAppId + QStringLiteral(".metainfo.xml"),
                      QStringLiteral("share/icons/hicolor/scalable/apps/") + kAppId + QStringLiteral(".svg"),
                      QStringLiteral("share/mime/packages/") + kAppId + QStringLiteral(".xml"),
                      QStringLiteral("share/man/man1/mimo.1.gz"),
                      QStringLiteral("share/man/man1/mimo-explorer.1.gz"),
                      QStringLiteral("share/doc/mimo-explorer/copyright"),
                      QStringLiteral("share/doc/mimo-explorer/README.md"),
                      QStringLiteral("share/mimo-explorer/models/README.md")};
    for (const QString& model : bundledModels())
        files << QStringLiteral("share/mimo-explorer/models/") + model
              << QStringLiteral("share/mimo-explorer/models/") + model + QStringLiteral(".md");
    for (const QString& example : filesUnder(sourceDir() + QStringLiteral("/resources/examples")))
        files << QStringLiteral("share/mimo-explorer/examples/") + example;
    return files;
}

// "Key: value" fields of a desktop entry or a Debian control file (continuation lines skipped).
QMap<QString, QString> fields(const QString& text)
{
    QMap<QString, QString> result;
    static const QRegularExpression field(QStringLiteral("^([A-Za-z][A-Za-z0-9-]*)\\s*[:=]\\s*(.*)$"));
    for (const QString& line : text.split(QLatin1Char('\n'))) {
        const auto match = field.match(line);
        if (match.hasMatch() && !result.contains(match.captured(1)))
            result.insert(match.captured(1), match.captured(2).trimmed());
    }
    return result;
}

QString readText(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace

class PackagingTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void installPutsEverythingInTheUsualPlaces();
    void desktopEntryAndMetainfoAreValidAndAgree();
    void debianPackageDescribesAndHoldsTheInstallation();
    void packagedProgramsStartAndFindTheirModels();

private:
    QString install();
    QString package();

    QTemporaryDir dir_;
    QString prefix_;      // the `cmake --install` tree, once made
    QString installError_;
    QString deb_;         // the .deb, once made
    QString packageError_;
};

void PackagingTest::initTestCase()
{
    QVERIFY2(dir_.isValid(), qPrintable(dir_.errorString()));
    QVERIFY2(QFileInfo::exists(buildDir() + QStringLiteral("/CMakeCache.txt")),
             qPrintable(QStringLiteral("no build folder at %1 (MIMO_BIN_DIR's parent)").arg(buildDir())));
    QVERIFY2(!bundledModels().isEmpty(), qPrintable(QStringLiteral("no models/*.pt in %1").arg(sourceDir())));
}

// `cmake --install` into a fresh prefix, made once; empty with installError_ when it failed.
QString PackagingTest::install()
{
    if (!prefix_.isEmpty() || !installError_.isEmpty())
        return prefix_;
    const QString prefix = dir_.filePath(QStringLiteral("prefix"));
    const Run installed = run(QStringLiteral(MIMO_CMAKE_COMMAND), {"--install", buildDir(), "--prefix", prefix}, 300);
    if (installed.ok())
        prefix_ = prefix;
    else
        installError_ = describe(QStringLiteral("cmake --install"), installed);
    return prefix_;
}

// `cpack -G DEB` on the build folder, made once; empty with packageError_ when it failed.
// cpack first runs the build's preinstall step (make: everything up to date under CTest), then
// installs into its own staging tree.
QString PackagingTest::package()
{
    if (!deb_.isEmpty() || !packageError_.isEmpty())
        return deb_;
    QString problem;
    // CPack computes Depends with dpkg-shlibdeps and finds the executables with `file`; without
    // either it quietly writes a package with no library dependencies.
    for (const auto& [name, debianPackage] : {std::pair{"dpkg-deb", "dpkg"}, std::pair{"dpkg-shlibdeps", "dpkg-dev"},
                                              std::pair{"file", "file"}})
        if (tool(QString::fromLatin1(name), QString::fromLatin1(debianPackage), &problem).isEmpty()) {
            packageError_ = problem;
            return deb_;
        }
    const QString output = dir_.filePath(QStringLiteral("package"));
    const Run packed = run(QStringLiteral(MIMO_CPACK_COMMAND),
                           {"-G", "DEB", "-B", output, "--config", buildDir() + QStringLiteral("/CPackConfig.cmake")}, 300,
                           buildDir());
    const QStringList debs = QDir(output).entryList({QStringLiteral("*.deb")}, QDir::Files);
    if (!packed.ok())
        packageError_ = describe(QStringLiteral("cpack -G DEB"), packed);
    else if (debs.size() != 1)
        packageError_ = describe(QStringLiteral("cpack -G DEB wrote %1 .deb files instead of one").arg(debs.size()), packed);
    else
        deb_ = QDir(output).filePath(debs.first());
    return deb_;
}

void PackagingTest::installPutsEverythingInTheUsualPlaces()
{
    const QString prefix = install();
    QVERIFY2(!prefix.isEmpty(), qPrintable(installError_));
    const QSet<QString> installed = filesUnder(prefix);
    for (const QString& file : expectedFiles())
        QVERIFY2(installed.contains(file), qPrintable(QStringLiteral("cmake --install did not install %1").arg(file)));
    for (const QString& program : {QStringLiteral("bin/mimo"), QStringLiteral("bin/mimo-explorer")})
        QVERIFY2(QFileInfo(prefix + QLatin1Char('/') + program).isExecutable(), qPrintable(program + " is not executable"));
    // The two programs only: no test executables, no training checkpoints.
    QCOMPARE(sorted(filesUnder(prefix + QStringLiteral("/bin"))), QStringList({"mimo", "mimo-explorer"}));
    for (const QString& file : installed)
        QVERIFY2(!file.endsWith(QStringLiteral(".ckpt")),
                 qPrintable(QStringLiteral("a training checkpoint was installed: %1").arg(file)));
    QCOMPARE(modelsIn(prefix + QStringLiteral("/share/mimo-explorer/models")), bundledModels());
}

void PackagingTest::desktopEntryAndMetainfoAreValidAndAgree()
{
    const QString prefix = install();
    QVERIFY2(!prefix.isEmpty(), qPrintable(installError_));
    QString problem;
    const QString desktopValidator =
        tool(QStringLiteral("desktop-file-validate"), QStringLiteral("desktop-file-utils"), &problem);
    QVERIFY2(!desktopValidator.isEmpty(), qPrintable(problem));
    const QString appstream = tool(QStringLiteral("appstreamcli"), QStringLiteral("appstream"), &problem);
    QVERIFY2(!appstream.isEmpty(), qPrintable(problem));

    const QString desktopFile = prefix + QStringLiteral("/share/applications/") + kAppId + QStringLiteral(".desktop");
    const QString metainfoFile = prefix + QStringLiteral("/share/metainfo/") + kAppId + QStringLiteral(".metainfo.xml");
    const Run desktopCheck = run(desktopValidator, {desktopFile}, 60);
    QVERIFY2(desktopCheck.ok(), qPrintable(describe(QStringLiteral("desktop-file-validate"), desktopCheck)));
    const Run metainfoCheck = run(appstream, {"validate", "--no-net", metainfoFile}, 120);
    QVERIFY2(metainfoCheck.ok(), qPrintable(describe(QStringLiteral("appstreamcli validate --no-net"), metainfoCheck)));

    // The entry starts an installed program and names the installed icon.
    const auto entry = fields(readText(desktopFile));
    const QString program = entry.value(QStringLiteral("Exec")).section(QLatin1Char(' '), 0, 0);
    QVERIFY2(QFileInfo(prefix + QStringLiteral("/bin/") + program).isExecutable(),
             qPrintable(QStringLiteral("Exec=%1 is not an installed program").arg(entry.value(QStringLiteral("Exec")))));
    QCOMPARE(entry.value(QStringLiteral("Icon")), kAppId);

    // The metainfo names this component, its desktop entry and the installed programs.
    QXmlStreamReader xml(readText(metainfoFile));
    QString id;
    QString launchable;
    QStringList binaries;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == QLatin1String("id"))
            id = xml.readElementText();
        else if (xml.name() == QLatin1String("launchable"))
            launchable = xml.readElementText();
        else if (xml.name() == QLatin1String("binary"))
            binaries << xml.readElementText();
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(id, kAppId);
    QCOMPARE(launchable, QFileInfo(desktopFile).fileName());
    binaries.sort();
    QCOMPARE(binaries, sorted(filesUnder(prefix + QStringLiteral("/bin"))));
}

void PackagingTest::debianPackageDescribesAndHoldsTheInstallation()
{
    const QString deb = package();
    QVERIFY2(!deb.isEmpty(), qPrintable(packageError_));
    const Run architecture = run(QStringLiteral("dpkg"), {"--print-architecture"}, 60);
    QVERIFY2(architecture.ok(), qPrintable(describe(QStringLiteral("dpkg --print-architecture"), architecture)));
    const QString arch = architecture.out.trimmed();
    const QString version = QStringLiteral(MIMO_PROJECT_VERSION);
    QCOMPARE(QFileInfo(deb).fileName(), QStringLiteral("%1_%2_%3.deb").arg(kPackage, version, arch));

    const Run control = run(QStringLiteral("dpkg-deb"), {"--field", deb}, 60);
    QVERIFY2(control.ok(), qPrintable(describe(QStringLiteral("dpkg-deb --field"), control)));
    const auto field = fields(control.out);
    QCOMPARE(field.value(QStringLiteral("Package")), kPackage);
    QCOMPARE(field.value(QStringLiteral("Version")), version);
    QCOMPARE(field.value(QStringLiteral("Architecture")), arch);
    QCOMPARE(field.value(QStringLiteral("Section")), QStringLiteral("science"));
    QVERIFY2(!field.value(QStringLiteral("Maintainer")).isEmpty(), qPrintable(control.out));
    QVERIFY2(!field.value(QStringLiteral("Description")).isEmpty(), qPrintable(control.out));
    // Computed by dpkg-shlibdeps from what the programs link, plus the BLAS LibTorch loads.
    const QString depends = field.value(QStringLiteral("Depends"));
    const QStringList libraries{"libqt6widgets6", "libqcustomplot", "libtorch", "libopencv-core", "libopenblas0-openmp"};
    for (const QString& library : libraries)
        QVERIFY2(depends.contains(library), qPrintable(QStringLiteral("Depends lacks %1: %2").arg(library, depends)));

    // The package holds exactly what `cmake --install` puts in a prefix, under /usr.
    const Run listing = run(QStringLiteral("dpkg-deb"), {"--contents", deb}, 60);
    QVERIFY2(listing.ok(), qPrintable(describe(QStringLiteral("dpkg-deb --contents"), listing)));
    QSet<QString> packaged;
    for (const QString& line : listing.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        if (!line.startsWith(QLatin1Char('-'))) // directories, links
            continue;
        const QString path = line.section(QLatin1Char(' '), -1);
        QVERIFY2(path.startsWith(QStringLiteral("./usr/")), qPrintable(QStringLiteral("packaged outside /usr: %1").arg(path)));
        packaged.insert(path.mid(6));
    }
    const QString prefix = install();
    QVERIFY2(!prefix.isEmpty(), qPrintable(installError_));
    QCOMPARE(sorted(packaged), sorted(filesUnder(prefix)));
}

void PackagingTest::packagedProgramsStartAndFindTheirModels()
{
    const QString deb = package();
    QVERIFY2(!deb.isEmpty(), qPrintable(packageError_));
    const QString root = dir_.filePath(QStringLiteral("root"));
    const Run unpacked = run(QStringLiteral("dpkg-deb"), {"--extract", deb, root}, 120);
    QVERIFY2(unpacked.ok(), qPrintable(describe(QStringLiteral("dpkg-deb --extract"), unpacked)));
    const QString bin = root + QStringLiteral("/usr/bin/");

    const Run version = run(bin + QStringLiteral("mimo"), {"--version"}, 120);
    QVERIFY2(version.ok(), qPrintable(describe(QStringLiteral("mimo --version"), version)));
    QVERIFY2(version.out.startsWith(QStringLiteral("mimo %1 ").arg(QStringLiteral(MIMO_PROJECT_VERSION))),
             qPrintable(version.out));

    // The same lookup as the explorer's (core's bundledModelDirectories), seen from outside.
    const Run listing = run(bin + QStringLiteral("mimo"), {"list-models", "--json"}, 300);
    QVERIFY2(listing.ok(), qPrintable(describe(QStringLiteral("mimo list-models --json"), listing)));
    const QJsonObject catalog = QJsonDocument::fromJson(listing.out.toUtf8()).object();
    const QJsonArray directories = catalog.value(QStringLiteral("directories")).toArray();
    QCOMPARE(directories.size(), 1);
    QCOMPARE(QFileInfo(directories.first().toString()).canonicalFilePath(),
             QFileInfo(root + QStringLiteral("/usr/share/mimo-explorer/models")).canonicalFilePath());
    QCOMPARE(catalog.value(QStringLiteral("models")).toArray().size(), bundledModels().size());
    QVERIFY2(catalog.value(QStringLiteral("problems")).toArray().isEmpty(), qPrintable(listing.out));

    // The explorer starts, loads the bundled default model and renders the window.
    const QString shot = dir_.filePath(QStringLiteral("shot.png"));
    const Run explorer = run(bin + QStringLiteral("mimo-explorer"), {"--screenshot", shot}, 300);
    QVERIFY2(explorer.ok(), qPrintable(describe(QStringLiteral("mimo-explorer --screenshot"), explorer)));
    const QImage image(shot);
    QVERIFY2(!image.isNull(), qPrintable(QStringLiteral("the screenshot %1 does not decode").arg(shot)));
    QVERIFY2(image.width() >= 400 && image.height() >= 300,
             qPrintable(QStringLiteral("the screenshot is only %1 x %2").arg(image.width()).arg(image.height())));
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 16, qPrintable(QStringLiteral("the screenshot is nearly blank (%1 colours)").arg(colours.size())));
}

QTEST_GUILESS_MAIN(PackagingTest)
#include "test_packaging.moc"
