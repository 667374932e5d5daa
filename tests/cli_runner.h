#pragma once
// Runs the two executables as a user does (tests/test_cli.cpp, tests/test_cli_hostile.cpp):
// exit code, stdout and stderr; a crash gives exit code -2.
#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QtTest>

namespace mimo::testing {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

inline QString binary(const QString& name) { return qEnvironmentVariable("MIMO_BIN_DIR") + "/" + name; }

inline Run run(const QString& program, const QStringList& arguments,
               const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(binary(program), arguments);
    Run result;
    if (!process.waitForFinished(120000)) {
        result.err = "did not finish: " + process.errorString();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

inline void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

} // namespace mimo::testing
