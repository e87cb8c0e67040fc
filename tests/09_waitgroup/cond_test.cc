// Steps 3 and 4: the notifyList and sync.Cond. Go's test ideas
// (src/sync/cond_test.go: TestCondSignal, TestCondBroadcast,
// TestCondSignalGenerations, TestCondCopy) and the notes' ten listeners.
//
// Texts, exit status and wait reasons: Go 1.19, recorded by
// tools/groundtruth/sync/regen.sh (fatal.txt, cases cond-*).
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/error.h"
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
using ::gort::testing::WaitUntilParked;
using ::testing::ElementsAre;

// ---- Step 3: notifyList ----------------------------------------------------

TEST(Step3_NotifyList, TicketsAreHandedOutInOrder) {
  rt::notifyList l;
  EXPECT_EQ(rt::notifyListAdd(&l), 0u);
  EXPECT_EQ(rt::notifyListAdd(&l), 1u);
  EXPECT_EQ(rt::notifyListAdd(&l), 2u);
  EXPECT_EQ(l.wait.load(), 3u);
  EXPECT_EQ(l.notify.load(), 0u);
}

TEST(NotifyListLess, TicketComparisonSurvivesWrapAround) {
  // Go 1.19 sema.go less(): int32(a-b) < 0.
  EXPECT_TRUE(rt::less(1, 2));
  EXPECT_FALSE(rt::less(2, 2));
  EXPECT_TRUE(rt::less(0xffffffffu, 0));
  EXPECT_FALSE(rt::less(0, 0xffffffffu));
}

TEST(Step3_NotifyList, NotifyWithoutTicketsDoesNothing) {
  rt::notifyList l;
  rt::notifyListNotifyOne(&l);
  rt::notifyListNotifyAll(&l);
  EXPECT_EQ(l.notify.load(), 0u);
}

TEST(Step3_NotifyList, ATicketServedBeforeWaitDoesNotPark) {
  // The gap between taking a ticket (under the Cond's lock) and waiting
  // (after unlocking it) loses no wakeup.
  ExpectProgram([] {
    rt::notifyList l;
    std::uint32_t t = rt::notifyListAdd(&l);
    rt::notifyListNotifyOne(&l);
    EXPECT_EQ(l.notify.load(), 1u);
    rt::notifyListWait(&l, t);  // returns at once: we are the only goroutine
    EXPECT_EQ(l.head, nullptr);
  }, {.gomaxprocs = 1});
}

TEST(Step3_NotifyList, NotifyOneWakesTheOldestTicketNotifyAllTheRest) {
  ExpectProgram([] {
    static rt::notifyList l;
    std::vector<int> woken;
    std::vector<rt::g*> gs;
    for (int i = 0; i < 4; i++) {
      std::atomic<rt::g*> w{nullptr};
      go([&, i] {
        w = rt::getg();
        std::uint32_t t = rt::notifyListAdd(&l);
        rt::notifyListWait(&l, t);
        woken.push_back(i);
      });
      WaitUntilParked(w);
      EXPECT_EQ(w.load()->waitreason, rt::waitReason::waitReasonSyncCondWait);
      EXPECT_STREQ(rt::waitReasonString(w.load()->waitreason), "sync.Cond.Wait");
      gs.push_back(w.load());
    }
    rt::notifyListNotifyOne(&l);
    while (woken.size() < 1) Gosched();
    EXPECT_THAT(woken, ElementsAre(0));
    EXPECT_EQ(l.notify.load(), 1u);
    rt::notifyListNotifyAll(&l);
    EXPECT_EQ(l.notify.load(), 4u);
    EXPECT_EQ(l.head, nullptr);
    while (woken.size() < 4) Gosched();
    EXPECT_THAT(woken, ::testing::UnorderedElementsAre(0, 1, 2, 3));
  }, {.gomaxprocs = 1});
}

// ---- Step 4: Cond ------------------------------------------------------------

// Go's TestCondSignal.
TEST(Step4_Cond, SignalWakesOneWaiterAtATime) {
  ExpectProgram([] {
    static sync::Mutex mu;
    static sync::Cond c(&mu);
    constexpr int n = 3;
    std::atomic<int> running{0};
    std::atomic<int> awake{0};
    for (int i = 0; i < n; i++) {
      go([&] {
        mu.Lock();
        running++;
        c.Wait();
        awake++;
        mu.Unlock();
      });
    }
    while (running.load() < n) Gosched();
    for (int i = 0; i < n; i++) {
      mu.Lock();  // all waiters are parked once we hold the lock
      c.Signal();
      mu.Unlock();
      while (awake.load() < i + 1) Gosched();
      Gosched();
      EXPECT_EQ(awake.load(), i + 1) << "Signal woke more than one waiter";
    }
    c.Signal();  // nobody waits: a no-op
  }, {.gomaxprocs = 2});
}

// Go's TestCondSignalGenerations: waiters are served in ticket order.
TEST(Step4_Cond, SignalServesWaitersInArrivalOrder) {
  ExpectProgram([] {
    static sync::Mutex mu;
    static sync::Cond c(&mu);
    std::vector<int> order;
    for (int i = 0; i < 5; i++) {
      std::atomic<rt::g*> w{nullptr};
      go([&, i] {
        mu.Lock();
        w = rt::getg();
        c.Wait();
        order.push_back(i);
        mu.Unlock();
      });
      WaitUntilParked(w);
    }
    EXPECT_EQ(c.Tickets(), 5u);
    for (int i = 0; i < 5; i++) {
      mu.Lock();
      c.Signal();
      mu.Unlock();
      while (static_cast<int>(order.size()) < i + 1) Gosched();
    }
    EXPECT_THAT(order, ElementsAre(0, 1, 2, 3, 4));
    EXPECT_EQ(c.Served(), 5u);
  }, {.gomaxprocs = 1});
}

TEST(Step4_Cond, WaitHoldsTheLockAgainWhenItReturns) {
  ExpectProgram([] {
    static sync::Mutex mu;
    static sync::Cond c(&mu);
    static bool ready = false;
    std::atomic<bool> locked_after_wait{false};
    std::atomic<bool> finished{false};
    go([&] {
      mu.Lock();
      while (!ready) c.Wait();
      locked_after_wait = mu.State().locked;
      mu.Unlock();
      finished = true;
    });
    Gosched();
    EXPECT_FALSE(mu.State().locked) << "Wait released L";
    mu.Lock();
    ready = true;
    c.Broadcast();
    mu.Unlock();
    while (!finished.load()) Gosched();
    EXPECT_TRUE(locked_after_wait.load());
  }, {.gomaxprocs = 1});
}

// The notes' example (fatal.txt, case cond-broadcast-10): ten listeners
// wait for status == 1; one Broadcast releases all ten ("listen" x10).
TEST(Step4_Cond, BroadcastReleasesTenListeners) {
  ExpectProgram([] {
    static std::atomic<std::int64_t> status{0};
    static sync::Mutex mu;
    static sync::Cond c(&mu);
    static std::atomic<int> listened{0};
    sync::WaitGroup done;
    for (int i = 0; i < 10; i++) {
      done.Add(1);
      go([&done] {
        c.L().Lock();
        while (status.load() != 1) c.Wait();
        listened++;  // fmt.Println("listen")
        c.L().Unlock();
        done.Done();
      });
    }
    Sleep(absl::Milliseconds(10));
    go([] {
      c.L().Lock();
      status = 1;
      c.Broadcast();
      c.L().Unlock();
    });
    done.Wait();
    EXPECT_EQ(listened.load(), 10);
  }, {.gomaxprocs = 2});
}

TEST(Step4_Cond, WorksWithAReadLockAsItsLocker) {
  ExpectProgram([] {
    static sync::RWMutex rw;
    static sync::Cond c(rw.RLocker());
    static std::atomic<bool> flag{false};
    std::atomic<int> woke{0};
    for (int i = 0; i < 3; i++) {
      go([&] {
        c.L().Lock();
        while (!flag.load()) c.Wait();
        c.L().Unlock();
        woke++;
      });
    }
    Gosched();
    rw.Lock();  // all readers are waiting, none holds the read lock
    flag = true;
    c.Broadcast();
    rw.Unlock();
    while (woke.load() < 3) Gosched();
  }, {.gomaxprocs = 1});
}

// Go's TestCondCopy; fatal.txt, case cond-copied.
TEST(Step4_CondDeathTest, UsingACopyPanics) {
  EXPECT_EXIT(gort::Run([] {
                sync::Mutex mu;
                sync::Cond c(&mu);
                c.Signal();
                sync::Cond c2 = c;
                c2.Signal();
              }),
              ::testing::ExitedWithCode(2), "panic: sync.Cond is copied\n\ngoroutine 1 \\[running\\]:");
}

TEST(Step4_Cond, ACopyMadeBeforeFirstUseIsFine) {
  sync::Mutex mu;
  sync::Cond c(&mu);
  sync::Cond c2 = c;  // nothing recorded yet: each checker adopts its own address
  c.Signal();
  c2.Signal();
  EXPECT_EQ(c2.raw()->checker.v.load(), reinterpret_cast<std::uintptr_t>(&c2.raw()->checker));
}

// fatal.txt, case cond-wait-forever.
TEST(Step4_CondDeathTest, WaitingWithNobodyToSignalDeadlocksInCondWait) {
  EXPECT_EXIT(gort::Run([] {
                sync::Mutex mu;
                sync::Cond c(&mu);
                mu.Lock();
                c.Wait();
              }),
              ::testing::ExitedWithCode(2),
              "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 \\[sync.Cond.Wait\\]:");
}

// fatal.txt, case cond-wait-unlocked: Wait unlocks L first.
TEST(Step4_CondDeathTest, WaitWithoutHoldingTheLockIsFatal) {
  EXPECT_EXIT(gort::Run([] {
                sync::Mutex mu;
                sync::Cond c(&mu);
                c.Wait();
              }),
              ::testing::ExitedWithCode(2), "fatal error: sync: unlock of unlocked mutex");
}

}  // namespace
}  // namespace gort
