// Step 6: starvation mode.
//
// With a mocked clock (GoogleMock) the 1 ms threshold is tested exactly:
// on one p the schedule is deterministic, so each test knows which
// goroutine reads the clock when. Then real-time tests: a waiter kept out
// for 5 ms switches the mutex to starvation mode, and Go's
// TestMutexFairness (src/sync/mutex_test.go) on two ps.
#include <atomic>
#include <cstdint>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sync.h"
#include "include/gort/sync.h"
#include "tests/04_scheduler/program.h"
#include "tests/07_mutex/sync_testing.h"

namespace gort {
namespace {

using ::gort::testing::ExpectProgram;
using ::gort::testing::MockSyncClock;
using ::gort::testing::MS;
using ::gort::testing::ScopedSyncClock;
using ::gort::testing::WaitUntilParked;
using ::testing::ElementsAre;
using ::testing::InSequence;
using ::testing::Return;

constexpr std::int64_t kStart = 1'000;
constexpr std::int64_t kThreshold = rt::sync::starvationThresholdNs;

// One waiter W against main on one p. main holds the mutex; W queues; main
// unlocks (waking W) and re-locks before W runs; W then reads the clock a
// second time (the mock decides how long it waited) and queues again at the
// front.
// Returns the mutex state main sees then. Afterwards main unlocks and
// *after_handoff gets the state W saw once it owned the mutex.
sync::MutexState BargeThenLetWaiterReadClock(sync::Mutex* mu, sync::MutexState* after_handoff) {
  std::atomic<rt::g*> w{nullptr};
  std::atomic<bool> got{false};
  mu->Lock();
  go([&] {
    w = rt::getg();
    mu->Lock();
    *after_handoff = mu->State();
    got = true;
    mu->Unlock();
  });
  WaitUntilParked(w);
  mu->Unlock();  // W woken (runnable)
  mu->Lock();    // main barges
  Gosched();     // W runs: reads the clock, fails, queues at the front
  sync::MutexState seen = mu->State();
  mu->Unlock();
  while (!got.load()) Gosched();
  return seen;
}

TEST(Step6_Starvation, AWaiterKeptOutOverOneMillisecondSwitchesToStarvation) {
  ExpectProgram([] {
    MockSyncClock clock;
    {
      InSequence seq;
      EXPECT_CALL(clock, Nanotime()).WillOnce(Return(kStart));  // W starts waiting
      EXPECT_CALL(clock, Nanotime()).WillOnce(Return(kStart + kThreshold + 1));  // W woken
    }
    ScopedSyncClock use(&clock);
    static sync::Mutex mu;
    sync::MutexState after{};
    sync::MutexState seen = BargeThenLetWaiterReadClock(&mu, &after);
    EXPECT_EQ(seen, MS(true, false, true, 1)) << "locked by main, starving, W queued";
    // main's Unlock handed the mutex to W, its last waiter: back to normal.
    EXPECT_EQ(after, MS(true, false, false, 0));
    EXPECT_EQ(mu.State(), MS(false, false, false, 0));
  }, {.gomaxprocs = 1});
}

TEST(Step6_Starvation, WaitingExactlyOneMillisecondIsNotStarving) {
  ExpectProgram([] {
    MockSyncClock clock;
    {
      InSequence seq;
      EXPECT_CALL(clock, Nanotime()).WillOnce(Return(kStart));
      EXPECT_CALL(clock, Nanotime()).WillOnce(Return(kStart + kThreshold));
      // Woken again after main's second Unlock: still below the threshold.
      EXPECT_CALL(clock, Nanotime()).WillOnce(Return(kStart + kThreshold));
    }
    ScopedSyncClock use(&clock);
    static sync::Mutex mu;
    sync::MutexState after{};
    sync::MutexState seen = BargeThenLetWaiterReadClock(&mu, &after);
    EXPECT_EQ(seen, MS(true, false, false, 1)) << "normal mode: `> starvationThresholdNs`";
    EXPECT_EQ(after, MS(true, false, false, 0));
  }, {.gomaxprocs = 1});
}

TEST(Step6_Starvation, InStarvationModeUnlockHandsOffAndNewcomersQueueAtTheTail) {
  ExpectProgram([] {
    MockSyncClock clock;
    {
      InSequence seq;
      EXPECT_CALL(clock, Nanotime()).WillOnce(Return(kStart));  // W starts
      EXPECT_CALL(clock, Nanotime()).WillOnce(Return(kStart + 5 * kThreshold));  // W woken: starving
      EXPECT_CALL(clock, Nanotime()).WillOnce(Return(kStart + 5 * kThreshold));  // N starts
      EXPECT_CALL(clock, Nanotime()).WillOnce(Return(kStart + 5 * kThreshold + 10));  // N gets it
    }
    ScopedSyncClock use(&clock);
    static sync::Mutex mu;
    std::vector<const char*> order;
    std::vector<sync::MutexState> states;
    std::atomic<rt::g*> w{nullptr};
    std::atomic<rt::g*> n{nullptr};
    mu.Lock();
    go([&] {
      w = rt::getg();
      mu.Lock();
      order.push_back("W");
      states.push_back(mu.State());
      mu.Unlock();
    });
    WaitUntilParked(w);
    mu.Unlock();
    mu.Lock();  // barge
    Gosched();  // W: starving, queues at the front
    ASSERT_EQ(mu.State(), MS(true, false, true, 1));

    // A newcomer finds a starving mutex: no TryLock, no spinning, queue.
    EXPECT_FALSE(mu.TryLock());
    go([&] {
      n = rt::getg();
      mu.Lock();
      order.push_back("N");
      states.push_back(mu.State());
      mu.Unlock();
    });
    WaitUntilParked(n);
    EXPECT_EQ(mu.State(), MS(true, false, true, 2));

    // Handoff: W owns the mutex before main's Unlock returns (goyield).
    // W still starves and N still waits, so starvation mode stays, and W's
    // Unlock hands off to N in turn. N waited only 10 ns: back to normal.
    mu.Unlock();
    EXPECT_THAT(order, ElementsAre("W", "N"));
    ASSERT_EQ(states.size(), 2u);
    EXPECT_EQ(states[0], MS(true, false, true, 1));
    EXPECT_EQ(states[1], MS(true, false, false, 0));
    EXPECT_EQ(mu.State(), MS(false, false, false, 0));
  }, {.gomaxprocs = 1});
}

TEST(Step6_Starvation, RealClockWaiterHeldOffFiveMillisecondsStarves) {
  ExpectProgram([] {
    static sync::Mutex mu;
    std::atomic<rt::g*> w{nullptr};
    std::atomic<bool> got{false};
    mu.Lock();
    go([&] {
      w = rt::getg();
      mu.Lock();
      got = true;
      mu.Unlock();
    });
    WaitUntilParked(w);
    Sleep(absl::Milliseconds(5));  // W has waited > 1 ms from here on
    mu.Unlock();
    mu.Lock();
    Gosched();
    EXPECT_TRUE(mu.State().starving);
    EXPECT_FALSE(got.load());
    mu.Unlock();  // hands off
    EXPECT_TRUE(got.load());
  }, {.gomaxprocs = 1});
}

// Go's TestMutexFairness: one goroutine re-locks in a tight loop, holding
// the mutex most of the time; another must still get it 10 times.
TEST(Step6_Starvation, ALoopingLockerCannotStarveAnotherGoroutine) {
  ExpectProgram([] {
    static sync::Mutex mu;
    std::atomic<bool> stop{false};
    std::atomic<bool> done{false};
    std::atomic<int> started{0};
    go([&] {
      started++;
      while (!stop.load()) {
        mu.Lock();
        Sleep(absl::Microseconds(100));
        mu.Unlock();
        // Go would honour a preemption request at any call here; gort under
        // ThreadSanitizer (no signal preemption) only at explicit points.
        // Without one, this goroutine and main, readying each other's
        // timers through runnext, could keep the other one queued forever.
        PreemptPoint();
      }
    });
    go([&] {
      started++;
      for (int i = 0; i < 10; i++) {
        Sleep(absl::Microseconds(100));
        mu.Lock();
        mu.Unlock();
      }
      done = true;
    });
    while (started.load() < 2) Gosched();
    // The watchdog bounds this loop; Go's test gives up after 10 s.
    while (!done.load()) Sleep(absl::Milliseconds(1));
    stop = true;
  }, {.gomaxprocs = 2});
}

}  // namespace
}  // namespace gort
