// How speeds and times left are measured, for the live curves, `mimo eval` and `mimo bench`
// alike: warm-up, rotated interleaving, medians with their spread, cautions, the time left
// from measured rates, and the probe that tells a busy machine.
#include "core/adaptive_threads.h"
#include "core/cpu_load.h"
#include "core/data/image_set.h"
#include "core/eval/interleaved_evaluation.h"
#include "core/eval/round_statistics.h"
#include "core/eval/time_left.h"

#include <torch/torch.h>

#include <chrono>
#include <csignal>
#include <thread>

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QtTest>

using namespace mimo;

namespace {

std::shared_ptr<ImageSetDataset> nineImages()
{
    auto set = std::make_shared<ImageSet>();
    set->count = 9;
    set->channels = 1;
    set->height = set->width = 2;
    set->pixels.assign(9 * 4, 0);
    for (int i = 0; i < 9; ++i)
        set->labels.push_back(i % 3);
    return std::make_shared<ImageSetDataset>("nine", set, std::vector<std::string>{"a", "b", "c"});
}

EvalRow rowWith(int n, double speedup, double low, double high, int rounds)
{
    EvalRow row;
    row.n = n;
    row.speedup = speedup;
    row.speedupLow = low;
    row.speedupHigh = high;
    row.rounds = rounds;
    return row;
}

} // namespace

class SpeedMeasurementTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void medianAndSpread();
    void everyNIsWarmedUpAndRotated();
    void speedsAreMediansWithTheirSpread();
    void cautionNamesWhatMakesFiguresUnsure();
    void timeLeftComesFromTheRateOfTheWorkLeft();
    void probeSeesAnotherBusyProcess();
    void threadsLeaveBusyCoresToOthers();
};

void SpeedMeasurementTest::medianAndSpread()
{
    QCOMPARE(median({}), 0.0);
    QCOMPARE(median({3.0, 1.0, 2.0}), 2.0);
    QCOMPARE(median({4.0, 1.0, 3.0, 2.0}), 2.5);
    QCOMPARE(spreadAround({2.0, 5.0, 3.0}, 3.0), std::make_pair(2.0, 5.0));
    // Whiskers always enclose their point, even when the point is a ratio of medians.
    QCOMPARE(spreadAround({2.0, 3.0}, 3.5), std::make_pair(2.0, 3.5));
}

void SpeedMeasurementTest::everyNIsWarmedUpAndRotated()
{
    const auto data = nineImages();
    std::vector<int> calls;
    InterleavedModel model;
    model.numClasses = 3;
    model.inputs = [](const std::vector<std::size_t>& indices) { return torch::zeros({int64_t(indices.size())}); };
    model.logits = [&calls](const torch::Tensor& inputs, int n) {
        calls.push_back(n);
        return torch::zeros({inputs.size(0), 3});
    };
    EvalConfig config;
    config.ns = {1, 2, 4};
    config.batch = 4; // 9 items: batches of 4, 4 and 1 (padded to 4)
    const auto report = evaluateInterleaved(*data, config, model, {}, nullptr);
    // An untimed pass of every N before the first timed one, then each round starts one N later.
    const std::vector<int> expected{1, 2, 4, 1, 2, 4, 2, 4, 1, 4, 1, 2};
    QCOMPARE(calls, expected);
    for (const auto& row : report.rows) {
        QCOMPARE(row.rounds, 3);
        QCOMPARE(row.count, std::size_t(9)); // the warm-up pass is not counted
    }
}

void SpeedMeasurementTest::speedsAreMediansWithTheirSpread()
{
    const auto data = nineImages();
    // N=4 takes a quarter or a half of N=1's time, round by round (the warm-up pass shifts the
    // pattern): ratios 2, 4 and 2, so the median speedup is 2 with a spread up to 4.
    int round = 0;
    InterleavedModel model;
    model.numClasses = 3;
    model.inputs = [](const std::vector<std::size_t>& indices) { return torch::zeros({int64_t(indices.size())}); };
    model.logits = [&round](const torch::Tensor& inputs, int n) {
        const int milliseconds = n == 1 ? 100 : (round % 2 == 0 ? 25 : 50);
        std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds));
        if (n == 4)
            ++round;
        return torch::zeros({inputs.size(0), 3});
    };
    EvalConfig config;
    config.ns = {1, 4};
    config.batch = 4;
    const auto report = evaluateInterleaved(*data, config, model, {}, nullptr);
    const EvalRow& one = report.rows[0];
    const EvalRow& four = report.rows[1];
    QCOMPARE(one.speedup, 1.0);
    QVERIFY(one.inputsPerSecondLow <= one.inputsPerSecond && one.inputsPerSecond <= one.inputsPerSecondHigh);
    QVERIFY(four.speedupLow <= four.speedup && four.speedup <= four.speedupHigh);
    // Sleeps only ever last longer than asked, so each ratio is near, not exactly, 4 or 2.
    QVERIFY2(four.speedupHigh > 2.5 && four.speedupHigh < 4.5, qPrintable(QString::number(four.speedupHigh)));
    QVERIFY2(four.speedupLow > 1.3 && four.speedupLow < 2.6, qPrintable(QString::number(four.speedupLow)));
    QVERIFY(four.speedupHigh - four.speedupLow > 0.7);
    QVERIFY(!speedCaution(report).empty()); // a spread of 2x to 4x is worth a warning
}

void SpeedMeasurementTest::cautionNamesWhatMakesFiguresUnsure()
{
    EvalReport report;
    report.rows = {rowWith(1, 1.0, 1.0, 1.0, 8), rowWith(4, 3.6, 3.5, 3.8, 8)};
    report.otherProcessesCores = 0.05;
    QCOMPARE(speedCaution(report), std::string());

    report.rows[1] = rowWith(4, 3.6, 2.3, 14.0, 8);
    QVERIFY(speedCaution(report).find("N=4 varied from 2.3x to 14.0x") != std::string::npos);

    report.rows = {rowWith(1, 1.0, 1.0, 1.0, 1), rowWith(4, 3.6, 3.6, 3.6, 1)};
    QVERIFY(speedCaution(report).find("Only 1 round timed") != std::string::npos);

    report.rows = {rowWith(1, 1.0, 1.0, 1.0, 8), rowWith(4, 3.6, 3.5, 3.8, 8)};
    report.otherProcessesCores = 1.2;
    QVERIFY(speedCaution(report).find("Other programs kept 1.2 cores busy") != std::string::npos);
    report.otherProcessesCores = -1.0; // unknown: no claim either way
    QCOMPARE(speedCaution(report), std::string());
}

void SpeedMeasurementTest::timeLeftComesFromTheRateOfTheWorkLeft()
{
    // Two models of 1000 items: loading and the first batch take 10 s, then 100 items a second.
    TimeLeft left;
    left.modelStarted(0.0);
    left.batchDone(10.0, 100, 1000);
    QVERIFY(left.secondsLeft(1) < 0.0); // one batch: no rate yet
    left.batchDone(11.0, 200, 1000);
    // 800 items at 100/s, then the next model: 10 s to start, 900 items at 100/s. Elapsed
    // time over the fraction done would have said 11 s * 0.9 / 0.1 = 99 s.
    QCOMPARE(left.secondsLeft(1), 8.0 + 10.0 + 9.0);
    QCOMPARE(left.secondsLeft(0), 8.0);
    left.batchDone(19.0, 1000, 1000);
    QCOMPARE(left.secondsLeft(0), 0.0);

    // The second model runs at half the speed: its own rate counts for its own items.
    left.modelStarted(19.0);
    left.batchDone(29.0, 100, 1000);
    left.batchDone(31.0, 200, 1000);
    QCOMPARE(left.secondsLeft(0), 16.0);
}

void SpeedMeasurementTest::probeSeesAnotherBusyProcess()
{
    QVERIFY(CpuLoadProbe().otherProcessesCores() < 0.0); // no time has passed: unknown

    const CpuLoadProbe probe;
    const pid_t child = ::fork();
    QVERIFY(child >= 0);
    if (child == 0) {
        const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
        volatile unsigned long spin = 0;
        while (std::chrono::steady_clock::now() < end)
            ++spin;
        ::_exit(0);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    // The spinner had a core to itself for most of 1.5 s, unless the machine is saturated.
    QVERIFY2(probe.otherProcessesCores() > 0.25, "a process spinning beside us was not seen");
}

namespace {

// A child process that keeps one core busy until killed.
pid_t spinner()
{
    const pid_t child = ::fork();
    if (child == 0) {
        volatile unsigned long spin = 0;
        for (;;)
            ++spin;
    }
    return child;
}

} // namespace

void SpeedMeasurementTest::threadsLeaveBusyCoresToOthers()
{
    QCOMPARE(threadsForLoad(2, 2, 0.0), 2);
    QCOMPARE(threadsForLoad(2, 2, 0.4), 2);  // a little noise keeps every thread
    QCOMPARE(threadsForLoad(2, 2, 1.0), 1);  // one busy core of two: one thread
    QCOMPARE(threadsForLoad(2, 2, 3.0), 1);  // never none
    QCOMPARE(threadsForLoad(8, 16, 1.0), 8); // the ceiling holds
    QCOMPARE(threadsForLoad(16, 16, 2.2), 14);
    QCOMPARE(threadsForLoad(4, 4, -1.0), 4); // unknown load: the ceiling

    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    if (cores < 2)
        QSKIP("one core: nothing to leave to others");
    setThreadCeiling(cores, false);
    QCOMPARE(adaptThreadsToLoad(), cores); // the first call measures nothing yet
    const pid_t child = spinner();
    QVERIFY(child > 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    const int busy = adaptThreadsToLoad();
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    QVERIFY2(busy <= cores - 1, qPrintable(QString("%1 threads of %2 cores beside a spinning process").arg(busy).arg(cores)));
    QCOMPARE(at::get_num_threads(), busy);

    setThreadCeiling(cores, true); // a count the user chose is never adapted
    QCOMPARE(adaptThreadsToLoad(), busy);
}

QTEST_GUILESS_MAIN(SpeedMeasurementTest)
#include "test_speed_measurement.moc"
