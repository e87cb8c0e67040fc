// Steps 3-5: sync.Mutex's fast paths, spinning, and the slow paths in
// normal mode. Go's own test ideas (src/sync/mutex_test.go: HammerMutex,
// TestMutexMisuse) plus state-word checks.
//
// Fatal texts and exit status: Go 1.19, recorded by
// tools/groundtruth/sync/regen.sh (fatal.txt).
#include <atomic>
#include <cstdint>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sema.h"
#include "include/gort/rt/sync.h"
#include "include/gort/sync.h"
#include "tests/04_scheduler/program.h"
#include "tests/07_mutex/sync_testing.h"

namespace gort {
namespace {

using ::gort::testing::ExpectProgram;
using ::gort::testing::FrozenSyncClock;
using ::gort::testing::MS;
using ::gort::testing::ScopedSyncClock;
using ::gort::testing::WaitUntilParked;
using ::testing::ElementsAre;
namespace rs = ::gort::rt::sync;

TEST(MutexConstants, AreGos) {
  // Go 1.19 src/sync/mutex.go, the const block after type Mutex.
  EXPECT_EQ(rs::mutexLocked, 1);
  EXPECT_EQ(rs::mutexWoken, 2);
  EXPECT_EQ(rs::mutexStarving, 4);
  EXPECT_EQ(rs::mutexWaiterShift, 3);
  EXPECT_EQ(rs::starvationThresholdNs, 1'000'000);
  // Go 1.19 src/runtime/proc.go: active_spin = 4, active_spin_cnt = 30.
  EXPECT_EQ(rt::sync_active_spin, 4);
  EXPECT_EQ(rt::sync_active_spin_cnt, 30u);
  // A Mutex is two 32-bit words, as in Go (unsafe.Sizeof(sync.Mutex{}) == 8).
  EXPECT_EQ(sizeof(rs::Mutex), 8u);
}

TEST(MutexConstants, DecodeSplitsTheStateWord) {
  EXPECT_EQ(rs::DecodeMutexState(0), MS(false, false, false, 0));
  EXPECT_EQ(rs::DecodeMutexState(1 | 4 | (5 << 3)), MS(true, false, true, 5));
  EXPECT_EQ(rs::DecodeMutexState(2 | (1 << 3)), MS(false, true, false, 1));
}

// ---- Step 3: fast paths (no waiters: no scheduler needed) ----------------

TEST(Step3_FastPath, LockSetsTheLockedBitAndUnlockClearsIt) {
  rs::Mutex m;
  m.Lock();
  EXPECT_EQ(m.state.load(), rs::mutexLocked);
  m.Unlock();
  EXPECT_EQ(m.state.load(), 0);
  EXPECT_EQ(m.sema.load(), 0u);
}

TEST(Step3_FastPath, TryLockTakesAFreeMutex) {
  rs::Mutex m;
  EXPECT_TRUE(m.TryLock());
  EXPECT_EQ(m.state.load(), rs::mutexLocked);
  EXPECT_FALSE(m.TryLock());
  m.Unlock();
  EXPECT_TRUE(m.TryLock());
  m.Unlock();
}

TEST(Step3_FastPath, TryLockFailsInStarvationModeEvenWhenUnlocked) {
  // Starvation mode with the lock bit clear is the moment of a handoff:
  // the mutex belongs to the first waiter.
  rs::Mutex m;
  m.state = rs::mutexStarving | (1 << rs::mutexWaiterShift);
  EXPECT_FALSE(m.TryLock());
  EXPECT_EQ(m.state.load(), rs::mutexStarving | (1 << rs::mutexWaiterShift));
}

TEST(Step3_FastPath, TryLockBargesPastSleepingWaitersInNormalMode) {
  rs::Mutex m;
  m.state = rs::mutexWoken | (2 << rs::mutexWaiterShift);
  EXPECT_TRUE(m.TryLock());
  EXPECT_EQ(rs::DecodeMutexState(m.state.load()), MS(true, true, false, 2));
}

TEST(Step3_FastPath, TypedMutexReportsItsState) {
  sync::Mutex mu;
  mu.Lock();
  EXPECT_EQ(mu.State(), MS(true, false, false, 0));
  EXPECT_FALSE(mu.TryLock());
  mu.Unlock();
  EXPECT_EQ(mu.State(), MS(false, false, false, 0));
}

// ---- Step 4: spinning ------------------------------------------------------

TEST(Step4_Spin, NoSpinningWithOneP) {
  ExpectProgram([] {
    EXPECT_FALSE(rt::sync_runtime_canSpin(0));
  }, {.gomaxprocs = 1});
}

TEST(Step4_Spin, NoSpinningWhileTheOtherPIsIdle) {
  ExpectProgram([] {
    // Nothing else runs: the second p is idle (or its m is spinning, which
    // counts the same), so a lock holder cannot be running there.
    while (rt::sched.npidle.load() + rt::sched.nmspinning.load() == 0) Gosched();
    EXPECT_FALSE(rt::sync_runtime_canSpin(0));
  }, {.gomaxprocs = 2});
}

// Runs check() on one p while another goroutine keeps the second p busy.
void WithTheOtherPBusy(void (*check)()) {
  ExpectProgram([check] {
    if (rt::ncpu.load() <= 1) return;  // canSpin is false on one CPU
    std::atomic<bool> started{false}, stop{false};
    go([&] {
      started = true;
      while (!stop.load()) PreemptPoint();
    });
    while (!started.load()) Gosched();
    while (rt::sched.npidle.load() + rt::sched.nmspinning.load() != 0) Gosched();
    check();
    stop = true;
  }, {.gomaxprocs = 2});
}

TEST(Step4_Spin, SpinsWhileAnotherPRunsAndTheLocalQueueIsEmpty) {
  WithTheOtherPBusy([] {
    EXPECT_TRUE(rt::sync_runtime_canSpin(0));
    EXPECT_TRUE(rt::sync_runtime_canSpin(3));
  });
}

TEST(Step4_Spin, AtMostFourSpins) {
  WithTheOtherPBusy([] {
    EXPECT_FALSE(rt::sync_runtime_canSpin(4));
    EXPECT_FALSE(rt::sync_runtime_canSpin(5));
  });
}

TEST(Step4_Spin, NoSpinningWhenThisPHasRunnableGoroutines) {
  WithTheOtherPBusy([] {
    std::atomic<bool> ran{false};
    go([&] { ran = true; });  // sits in this p's runnext
    EXPECT_FALSE(rt::sync_runtime_canSpin(0));
    while (!ran.load()) Gosched();
  });
}

TEST(Step4_Spin, DoSpinReturns) {
  rt::sync_runtime_doSpin();  // 30 PAUSEs; only its return is observable
  SUCCEED();
}

// ---- Step 5: the slow paths in normal mode ---------------------------------

TEST(Step5_NormalMode, ContendedLockParksAndUnlockWakesTheWaiter) {
  ExpectProgram([] {
    FrozenSyncClock clock;
    ScopedSyncClock use(&clock);
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
    EXPECT_EQ(w.load()->waitreason, rt::waitReason::waitReasonSemacquire);
    EXPECT_EQ(mu.State(), MS(true, false, false, 1));
    mu.Unlock();
    // Unlock took the right to wake someone: one waiter less, woken set.
    EXPECT_EQ(mu.State(), MS(false, true, false, 0));
    while (!got.load()) Gosched();
    EXPECT_EQ(mu.State(), MS(false, false, false, 0));
  }, {.gomaxprocs = 1});
}

TEST(Step5_NormalMode, UnlockWakesNobodyWhenSomeoneIsAlreadyAwake) {
  rs::Mutex m;
  m.state = rs::mutexLocked | rs::mutexWoken | (1 << rs::mutexWaiterShift);
  m.Unlock();
  EXPECT_EQ(rs::DecodeMutexState(m.state.load()), MS(false, true, false, 1));
  EXPECT_EQ(m.sema.load(), 0u) << "no semrelease";
}

TEST(Step5_NormalMode, ARunningGoroutineBargesAheadOfTheWokenWaiter) {
  ExpectProgram([] {
    FrozenSyncClock clock;
    ScopedSyncClock use(&clock);
    static sync::Mutex mu;
    std::vector<const char*> events;
    std::atomic<rt::g*> w{nullptr};
    mu.Lock();
    go([&] {
      w = rt::getg();
      mu.Lock();
      events.push_back("waiter locked");
      mu.Unlock();
    });
    WaitUntilParked(w);
    mu.Unlock();  // wakes the waiter (runnable, not running: one p)
    mu.Lock();    // and takes the mutex before it runs
    events.push_back("main relocked");
    EXPECT_EQ(mu.State(), MS(true, true, false, 0));
    Gosched();  // the waiter runs, loses, and queues again
    EXPECT_EQ(rt::readgstatus(w.load()), rt::_Gwaiting);
    EXPECT_EQ(mu.State(), MS(true, false, false, 1));
    mu.Unlock();
    Gosched();
    EXPECT_THAT(events, ElementsAre("main relocked", "waiter locked"));
  }, {.gomaxprocs = 1});
}

TEST(Step5_NormalMode, AWaiterThatLostTheRaceQueuesAtTheFront) {
  ExpectProgram([] {
    FrozenSyncClock clock;  // nobody starves
    ScopedSyncClock use(&clock);
    static sync::Mutex mu;
    std::vector<int> order;
    mu.Lock();
    for (int i = 1; i <= 2; i++) {
      std::atomic<rt::g*> w{nullptr};
      go([&, i] {
        w = rt::getg();
        mu.Lock();
        order.push_back(i);
        mu.Unlock();
      });
      WaitUntilParked(w);
    }
    mu.Unlock();  // wakes waiter 1
    mu.Lock();    // barges
    Gosched();    // waiter 1 loses and re-queues LIFO, ahead of waiter 2
    EXPECT_EQ(mu.State(), MS(true, false, false, 2));
    mu.Unlock();
    while (order.size() < 2) Gosched();
    EXPECT_THAT(order, ElementsAre(1, 2));
  }, {.gomaxprocs = 1});
}

// Go's HammerMutex: goroutines lock, count and unlock many times; the
// count must be exact.
void HammerMutex(int procs) {
  ExpectProgram([] {
    static sync::Mutex mu;
    static std::int64_t counter = 0;
    constexpr int kG = 8, kN = 3000;
    std::atomic<int> done{0};
    for (int i = 0; i < kG; i++) {
      go([&] {
        for (int j = 0; j < kN; j++) {
          mu.Lock();
          counter++;
          mu.Unlock();
          if (j % 100 == 0) Gosched();
        }
        done++;
      });
    }
    while (done.load() < kG) Gosched();
    EXPECT_EQ(counter, kG * kN);
    EXPECT_EQ(mu.State(), MS(false, false, false, 0));
  }, {.gomaxprocs = procs});
}

TEST(Step5_NormalMode, HammerOnOneP) { HammerMutex(1); }
TEST(Step5_NormalMode, HammerOnTwoPs) { HammerMutex(2); }

TEST(Step5_NormalMode, TryLockUnderContentionNeverBlocks) {
  ExpectProgram([] {
    static sync::Mutex mu;
    static std::int64_t counter = 0;
    std::atomic<int> done{0};
    std::atomic<int> acquired{0};
    for (int i = 0; i < 4; i++) {
      go([&] {
        for (int j = 0; j < 2000; j++) {
          if (mu.TryLock()) {
            counter++;
            acquired++;
            mu.Unlock();
          } else {
            mu.Lock();
            counter++;
            acquired++;
            mu.Unlock();
          }
        }
        done++;
      });
    }
    while (done.load() < 4) Gosched();
    EXPECT_EQ(counter, 8000);
    EXPECT_EQ(acquired.load(), 8000);
  }, {.gomaxprocs = 2});
}

// fatal.txt, cases mutex-unlock-unlocked and mutex-unlock-twice.
TEST(Step5_NormalModeDeathTest, UnlockOfAnUnlockedMutexIsFatal) {
  EXPECT_EXIT(gort::Run([] {
                sync::Mutex mu;
                mu.Unlock();
              }),
              ::testing::ExitedWithCode(2),
              "fatal error: sync: unlock of unlocked mutex\n\ngoroutine 1 \\[running\\]:");
}

TEST(Step5_NormalModeDeathTest, UnlockingTwiceIsFatal) {
  EXPECT_EXIT(gort::Run([] {
                sync::Mutex mu;
                mu.Lock();
                mu.Unlock();
                mu.Unlock();
              }),
              ::testing::ExitedWithCode(2), "fatal error: sync: unlock of unlocked mutex");
}

// fatal.txt, case mutex-recover-does-not-catch: it is a throw, not a panic.
TEST(Step5_NormalModeDeathTest, TheFatalErrorCannotBeCaught) {
  EXPECT_EXIT(gort::Run([] {
                sync::Mutex mu;
                try {
                  mu.Unlock();
                } catch (...) {
                  std::printf("recovered\n");
                }
              }),
              ::testing::ExitedWithCode(2), "fatal error: sync: unlock of unlocked mutex");
}

// fatal.txt, case mutex-lock-twice: Go 1.19 shows a goroutine blocked in
// Mutex.Lock as [semacquire] (Go 1.20 added "sync.Mutex.Lock").
TEST(Step5_NormalModeDeathTest, LockingTwiceDeadlocksInSemacquire) {
  EXPECT_EXIT(gort::Run([] {
                sync::Mutex mu;
                mu.Lock();
                mu.Lock();
              }),
              ::testing::ExitedWithCode(2),
              "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 \\[semacquire\\]:");
}

}  // namespace
}  // namespace gort
