// Step 5: timers on per-p 4-ary heaps.
//
// Expected behaviour: Go 1.19 time.go (4-ary heap ordered by when;
// Stop/Reset results as time.Timer documents them).
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <random>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/lock.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/time.h"
#include "tests/04_scheduler/program.h"

namespace gort {
namespace {

using ::gort::testing::ExpectProgram;
using ::testing::ElementsAre;

// Checks the 4-ary heap property and that every timer knows its index.
void ExpectHeap(const std::vector<rt::timer*>& h) {
  for (std::size_t i = 0; i < h.size(); i++) {
    EXPECT_EQ(h[i]->index, static_cast<std::int32_t>(i));
    if (i > 0) {
      EXPECT_LE(h[(i - 1) / 4]->when, h[i]->when) << "at " << i;
    }
  }
}

class Step5_TimerHeap : public ::testing::Test {
 protected:
  Step5_TimerHeap() : pp_(rt::newTestP(0)) {}
  ~Step5_TimerHeap() override { rt::freeTestP(pp_); }
  rt::p* pp_;
  std::vector<rt::timer> timers_ = std::vector<rt::timer>(500);
};

TEST_F(Step5_TimerHeap, AddKeepsTheEarliestAtTheTop) {
  std::mt19937 rng(7);
  std::int64_t earliest = INT64_MAX;
  for (rt::timer& t : timers_) {
    t.when = 1 + static_cast<std::int64_t>(rng() % 100000);
    earliest = std::min(earliest, t.when);
    rt::doaddtimer(pp_, &t);
  }
  ExpectHeap(pp_->timers);
  EXPECT_EQ(pp_->timers[0]->when, earliest);
  EXPECT_EQ(pp_->timer0When.load(), earliest);
  EXPECT_EQ(pp_->numTimers.load(), 500u);
}

TEST_F(Step5_TimerHeap, DeletingAnywhereKeepsTheHeap) {
  std::mt19937 rng(11);
  for (rt::timer& t : timers_) {
    t.when = 1 + static_cast<std::int64_t>(rng() % 1000);
    rt::doaddtimer(pp_, &t);
  }
  while (!pp_->timers.empty()) {
    std::int32_t i = static_cast<std::int32_t>(rng() % pp_->timers.size());
    rt::timer* victim = pp_->timers[i];
    rt::dodeltimer(pp_, i);
    EXPECT_EQ(victim->index, -1);
    ExpectHeap(pp_->timers);
  }
  EXPECT_EQ(pp_->timer0When.load(), 0);
  EXPECT_EQ(pp_->numTimers.load(), 0u);
}

TEST_F(Step5_TimerHeap, PoppingTheTopYieldsTimersInOrder) {
  std::mt19937 rng(3);
  for (rt::timer& t : timers_) {
    t.when = 1 + static_cast<std::int64_t>(rng() % 50);  // many equal whens
    rt::doaddtimer(pp_, &t);
  }
  std::int64_t last = 0;
  while (!pp_->timers.empty()) {
    EXPECT_GE(pp_->timers[0]->when, last);
    last = pp_->timers[0]->when;
    rt::dodeltimer(pp_, 0);
  }
}

TEST(Step5_Timers, SleepReturnsNoSoonerThanAsked) {
  ExpectProgram([] {
    const std::int64_t start = rt::nanotime();
    Sleep(absl::Milliseconds(30));
    EXPECT_GE(rt::nanotime() - start, 30'000'000);
  }, {.gomaxprocs = 2});
}

// What the timers of one p have run, in order (timer functions run on g0,
// one at a time on a single p).
struct FiredTimers {
  std::vector<std::uintptr_t> order;
  std::atomic<int> n{0};
};

void RecordFiring(void* arg, std::uintptr_t seq) {
  auto* fired = static_cast<FiredTimers*>(arg);
  fired->order.push_back(seq);
  fired->n++;
}

TEST(Step5_Timers, TimersFireInDeadlineOrder) {
  // The runtime runs due timers earliest first, however late it gets to
  // them. (The order in which AfterFunc's functions *run* is not this
  // order when several are due at once: each starts a goroutine, and the
  // last started sits in runnext. That happens on a loaded machine or
  // under a sanitizer, so the test watches the timers themselves.)
  ExpectProgram([] {
    FiredTimers fired;
    std::vector<rt::timer> timers(4);
    const std::int64_t now = rt::nanotime();
    const int ms[] = {40, 10, 30, 20};
    for (int i = 0; i < 4; i++) {
      timers[i].when = now + ms[i] * 1'000'000LL;
      timers[i].f = &RecordFiring;
      timers[i].arg = &fired;
      timers[i].seq = static_cast<std::uintptr_t>(ms[i]);
      rt::addtimer(&timers[i]);
    }
    while (fired.n.load() < 4) Sleep(absl::Milliseconds(5));
    EXPECT_THAT(fired.order, ElementsAre(10, 20, 30, 40));
  }, {.gomaxprocs = 1});
}

TEST(Step5_Timers, StopBeforeItFiresPreventsTheCall) {
  ExpectProgram([] {
    std::atomic<bool> ran{false};
    Timer t = AfterFunc(absl::Milliseconds(20), [&] { ran = true; });
    EXPECT_TRUE(t.Stop());   // it was pending
    EXPECT_FALSE(t.Stop());  // not any more
    Sleep(absl::Milliseconds(40));
    EXPECT_FALSE(ran.load());
  }, {.gomaxprocs = 1});
}

TEST(Step5_Timers, StopAfterItFiredReturnsFalse) {
  ExpectProgram([] {
    std::atomic<bool> ran{false};
    Timer t = AfterFunc(absl::Milliseconds(1), [&] { ran = true; });
    while (!ran.load()) Sleep(absl::Milliseconds(2));
    EXPECT_FALSE(t.Stop());
  }, {.gomaxprocs = 1});
}

TEST(Step5_Timers, ResetPostponesTheCall) {
  ExpectProgram([] {
    std::atomic<std::int64_t> fired_at{0};
    const std::int64_t start = rt::nanotime();
    Timer t = AfterFunc(absl::Milliseconds(10), [&] { fired_at = rt::nanotime(); });
    EXPECT_TRUE(t.Reset(absl::Milliseconds(50)));  // was pending
    while (fired_at.load() == 0) Sleep(absl::Milliseconds(5));
    EXPECT_GE(fired_at.load() - start, 50'000'000);
  }, {.gomaxprocs = 1});
}

TEST(Step5_Timers, ManySleepersAllWake) {
  ExpectProgram([] {
    std::atomic<int> woke{0};
    for (int i = 0; i < 200; i++) {
      go([&woke, i] {
        Sleep(absl::Microseconds(100 * (i % 20)));
        woke++;
      });
    }
    while (woke.load() < 200) Sleep(absl::Milliseconds(1));
  }, {.gomaxprocs = 2});
}

}  // namespace
}  // namespace gort
