// LatestRequestWins, the coalescing the controller uses for runs, inspections and key
// comparisons: one in flight, one waiting, stale answers dropped. Driven by hand here: each
// "start" is recorded, and the test answers in the order it chooses.
#include "ui/controller/latest_request_wins.h"

#include <QTest>

#include <vector>

namespace {

// A fake computation: the state is a number, each start records the state it was sent for.
struct Harness {
    int state = 0;
    bool canStart = true;
    std::vector<int> started;
    std::vector<int> applied;
    LatestRequestWins<int> latest{[this] { return state; },
                                  [this](const int& stamp) {
                                      if (!canStart)
                                          return false;
                                      started.push_back(stamp);
                                      return true;
                                  }};

    void answer(int stamp) { latest.deliver(stamp, [&] { applied.push_back(stamp); }); }
};

} // namespace

class LatestRequestWinsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void startsAtOnceWhenIdle()
    {
        Harness h;
        h.latest.request();
        QCOMPARE(h.started, std::vector<int>{0});
        QVERIFY(h.latest.inFlight());
        QVERIFY(!h.latest.waiting());
        h.answer(0);
        QCOMPARE(h.applied, std::vector<int>{0});
        QVERIFY(!h.latest.inFlight());
    }

    void aBurstCostsOneMoreComputation()
    {
        Harness h;
        h.latest.request();
        for (int i = 1; i <= 5; ++i) { // five edits while the first computes
            h.state = i;
            h.latest.request();
        }
        QCOMPARE(h.started, std::vector<int>{0});
        QVERIFY(h.latest.waiting());
        h.answer(0); // stale: dropped, and the waiting request starts for the latest state
        QCOMPARE(h.applied, std::vector<int>{});
        QCOMPARE(h.started, (std::vector<int>{0, 5}));
        h.answer(5);
        QCOMPARE(h.applied, std::vector<int>{5});
        QVERIFY(!h.latest.inFlight());
        QVERIFY(!h.latest.waiting());
    }

    void aCurrentAnswerIsAppliedEvenWithARequestWaiting()
    {
        Harness h;
        h.latest.request();
        h.latest.request(); // same state asked again (e.g. another view wants it)
        h.answer(0);
        QCOMPARE(h.applied, std::vector<int>{0});
        QCOMPARE(h.started, (std::vector<int>{0, 0}));
    }

    void aStaleAnswerWithNothingWaitingStartsNothing()
    {
        Harness h;
        h.latest.request();
        h.state = 1; // changed without asking: whoever changed it asks when it wants an answer
        h.answer(0);
        QVERIFY(h.applied.empty());
        QCOMPARE(h.started, std::vector<int>{0});
        QVERIFY(!h.latest.inFlight());
    }

    void failuresAreReportedOnlyForTheCurrentState()
    {
        Harness h;
        int reported = 0;
        h.latest.request();
        h.state = 1;
        h.latest.request();
        QVERIFY(!h.latest.fail(0, [&] { ++reported; }));
        QCOMPARE(reported, 0);
        QCOMPARE(h.started, (std::vector<int>{0, 1})); // the waiting request still starts
        QVERIFY(h.latest.fail(1, [&] { ++reported; }));
        QCOMPARE(reported, 1);
        QVERIFY(!h.latest.inFlight());
    }

    void aRequestThatCannotStartLapses()
    {
        Harness h;
        h.canStart = false; // e.g. a slot is empty or a model is loading
        h.latest.request();
        QVERIFY(h.started.empty());
        QVERIFY(!h.latest.inFlight());
        h.canStart = true;
        h.latest.request();
        QCOMPARE(h.started, std::vector<int>{0});
    }

    void compoundStampsCompareEveryField()
    {
        struct Stamp {
            int generation;
            int view;
            bool operator==(const Stamp& other) const { return generation == other.generation && view == other.view; }
        };
        Stamp now{1, 0};
        std::vector<Stamp> started;
        LatestRequestWins<Stamp> latest([&] { return now; }, [&](const Stamp& stamp) {
            started.push_back(stamp);
            return true;
        });
        latest.request();
        now.view = 2; // same state, another view: the answer no longer fits
        latest.request();
        bool applied = false;
        latest.deliver(started.front(), [&] { applied = true; });
        QVERIFY(!applied);
        QCOMPARE(started.size(), std::size_t(2));
        QVERIFY(latest.isCurrent(started.back()));
    }
};

QTEST_APPLESS_MAIN(LatestRequestWinsTest)
#include "test_latest_request_wins.moc"
