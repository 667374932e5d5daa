#pragma once
// "Latest request wins", for work whose answer only matters for the state it was asked for (a
// run of the slots, an inspection, a comparison of keys): at most one request in flight and
// one waiting, so a burst of requests costs one more computation, not one each; an answer for
// a state that changed meanwhile is dropped. Plain C++: no Qt, no threads (everything happens
// on the thread that calls it, the GUI thread).
//
// Stamp says which state a request was sent for (a generation number, or a struct of the
// choices the answer depends on); answers are compared with the current stamp by ==.
#include <functional>
#include <utility>

template <class Stamp>
class LatestRequestWins {
public:
    // current(): the stamp of the state as it is now. start(stamp): sends the work for that
    // state and returns true, or returns false when there is nothing to send now (no model,
    // an empty slot, a load in progress); a request that does not start lapses. Work that
    // starts answers later through deliver() or fail() with the same stamp.
    LatestRequestWins(std::function<Stamp()> current, std::function<bool(const Stamp&)> start)
        : current_(std::move(current)), start_(std::move(start))
    {
    }

    // Starts now, or when the request in flight has answered.
    void request()
    {
        if (inFlight_) {
            waiting_ = true;
            return;
        }
        waiting_ = false;
        inFlight_ = start_(current_());
    }

    // The answer for `stamp`: `apply` runs only when the state is still the one it was asked
    // for. Then the waiting request, if any, starts. Returns whether the answer was applied.
    template <class Apply>
    bool deliver(const Stamp& stamp, Apply&& apply)
    {
        inFlight_ = false;
        const bool current = stamp == current_();
        if (current)
            apply();
        if (waiting_)
            request();
        return current;
    }

    // The work for `stamp` failed: `report` runs only when the failure concerns the current
    // state (a failure of an older one would not have been shown either).
    template <class Report>
    bool fail(const Stamp& stamp, Report&& report)
    {
        return deliver(stamp, std::forward<Report>(report));
    }

    bool isCurrent(const Stamp& stamp) const { return stamp == current_(); }
    bool inFlight() const { return inFlight_; }
    bool waiting() const { return waiting_; }

private:
    std::function<Stamp()> current_;
    std::function<bool(const Stamp&)> start_;
    bool inFlight_ = false;
    bool waiting_ = false;
};
