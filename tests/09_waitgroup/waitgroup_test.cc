// Step 1: sync.WaitGroup. Go's test ideas (src/sync/waitgroup_test.go:
// TestWaitGroup, TestWaitGroupMisuse) and the notes' by-value example.
//
// Panic and fatal texts, exit status, wait reasons: Go 1.19, recorded by
// tools/groundtruth/sync/regen.sh (fatal.txt, cases waitgroup-*). The two
// misuse texts no single-threaded Go program triggers reliably come from
// Go 1.19 src/sync/waitgroup.go (Add and Wait).
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/error.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sync.h"
#include "include/gort/sync.h"
#include "tests/04_scheduler/program.h"
#include "tests/07_mutex/sync_testing.h"

namespace gort {
namespace {

using ::gort::testing::ExpectProgram;
using ::gort::testing::WaitUntilParked;
namespace rs = ::gort::rt::sync;

std::string PanicText(void (*f)()) {
  try {
    f();
  } catch (const rt::Panic& p) {
    EXPECT_FALSE(p.value().RuntimeError()) << "a string panic, not a runtime.Error";
    return p.what();
  }
  return "no panic";
}

TEST(Step1_WaitGroup, AddAndDoneMoveTheCounterInTheHighHalf) {
  sync::WaitGroup wg;
  wg.Add(3);
  EXPECT_EQ(wg.raw()->state.load(), std::uint64_t{3} << 32);
  EXPECT_EQ(wg.State(), (rs::WaitGroupState{3, 0}));
  wg.Done();
  EXPECT_EQ(wg.State(), (rs::WaitGroupState{2, 0}));
  wg.Add(-2);
  EXPECT_EQ(wg.raw()->state.load(), 0u);
}

TEST(Step1_WaitGroup, WaitReturnsAtOnceWhenTheCounterIsZero) {
  sync::WaitGroup wg;
  wg.Wait();
  EXPECT_EQ(wg.raw()->state.load(), 0u);
}

TEST(Step1_WaitGroup, WaitersSleepUntilTheCounterReachesZero) {
  ExpectProgram([] {
    static sync::WaitGroup wg;
    std::atomic<int> returned{0};
    wg.Add(2);
    for (int i = 0; i < 2; i++) {
      std::atomic<rt::g*> w{nullptr};
      go([&] {
        w = rt::getg();
        wg.Wait();
        returned++;
      });
      WaitUntilParked(w);
      EXPECT_EQ(w.load()->waitreason, rt::waitReason::waitReasonSemacquire);
    }
    EXPECT_EQ(wg.State(), (rs::WaitGroupState{2, 2}));
    wg.Done();
    EXPECT_EQ(wg.State(), (rs::WaitGroupState{1, 2}));
    Gosched();
    EXPECT_EQ(returned.load(), 0);
    wg.Done();  // counter 0 with 2 waiters: state reset, both released
    EXPECT_EQ(wg.raw()->state.load(), 0u);
    while (returned.load() < 2) Gosched();
  }, {.gomaxprocs = 1});
}

// Go's TestWaitGroup: n goroutines wait on wg1 and signal wg2, twice over.
TEST(Step1_WaitGroup, GoroutinesWaitForEachOtherRepeatedlyOnTwoPs) {
  ExpectProgram([] {
    static sync::WaitGroup wg1, wg2;
    constexpr int n = 16;
    for (int round = 0; round < 8; round++) {
      wg1.Add(n);
      wg2.Add(n);
      std::atomic<int> exited{0};
      for (int i = 0; i < n; i++) {
        go([&] {
          wg1.Done();
          wg2.Wait();
          exited++;
        });
      }
      wg1.Wait();
      for (int i = 0; i < n; i++) {
        EXPECT_EQ(exited.load(), 0) << "WaitGroup released group too soon";
        wg2.Done();
      }
      while (exited.load() < n) Gosched();
    }
  }, {.gomaxprocs = 2});
}

TEST(Step1_WaitGroup, NegativeCounterPanicsWithGosText) {
  EXPECT_EQ(PanicText([] {
              sync::WaitGroup wg;
              wg.Add(1);
              wg.Done();
              wg.Done();
            }),
            "sync: negative WaitGroup counter");
}

TEST(Step1_WaitGroup, StartingARoundWhileWaitersRemainIsAMisuse) {
  // The state of a WaitGroup whose counter reached 0 but whose waiter was
  // not released yet: an Add(1) now races with that Wait.
  EXPECT_EQ(PanicText([] {
              sync::WaitGroup wg;
              wg.raw()->state = 1;  // counter 0, one waiter
              wg.Add(1);
            }),
            "sync: WaitGroup misuse: Add called concurrently with Wait");
}

// fatal.txt, case waitgroup-negative.
TEST(Step1_WaitGroupDeathTest, NegativeCounterEndsTheProgram) {
  EXPECT_EXIT(gort::Run([] {
                sync::WaitGroup wg;
                wg.Add(-1);
              }),
              ::testing::ExitedWithCode(2),
              "panic: sync: negative WaitGroup counter\n\ngoroutine 1 \\[running\\]:");
}

// The reuse check in Wait: the waiter wakes up to a counter that was raised
// again before it returned.
TEST(Step1_WaitGroupDeathTest, ReuseBeforeWaitReturnedPanicsInTheWaiter) {
  EXPECT_EXIT(gort::Run(
                  [] {
                    static sync::WaitGroup wg;
                    std::atomic<rt::g*> w{nullptr};
                    wg.Add(1);
                    go([&] {
                      w = rt::getg();
                      wg.Wait();
                    });
                    gort::testing::WaitUntilParked(w);
                    wg.Done();   // releases the waiter (runnable, not yet running)
                    wg.Add(1);   // and starts the next round too early
                    Gosched();
                    Sleep(absl::Seconds(5));
                  },
                  {.gomaxprocs = 1}),
              ::testing::ExitedWithCode(2),
              "panic: sync: WaitGroup is reused before previous Wait has returned");
}

// fatal.txt, case waitgroup-wait-forever.
TEST(Step1_WaitGroupDeathTest, WaitingForeverIsADeadlockInSemacquire) {
  EXPECT_EXIT(gort::Run([] {
                sync::WaitGroup wg;
                wg.Add(1);
                wg.Wait();
              }),
              ::testing::ExitedWithCode(2),
              "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 \\[semacquire\\]:");
}

// The notes' example (fatal.txt, case waitgroup-by-value): each goroutine
// gets a copy of wg, so the Done calls never reach the one main waits on.
// Go prints the five "i:N" (in some order) and then the deadlock.
TEST(Step1_WaitGroupDeathTest, PassingAWaitGroupByValueDeadlocks) {
  EXPECT_EXIT(gort::Run([] {
                sync::WaitGroup wg;
                for (int i = 0; i < 5; i++) {
                  wg.Add(1);
                  go([wg, i]() mutable {  // func(wg sync.WaitGroup, i int)
                    std::printf("i:%d", i);
                    wg.Done();
                  });
                }
                wg.Wait();
                std::printf("exit\n");
              }),
              ::testing::ExitedWithCode(2),
              "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 \\[semacquire\\]:");
}

TEST(Step1_WaitGroup, PassingAWaitGroupByPointerWorks) {
  ExpectProgram([] {
    sync::WaitGroup wg;
    std::atomic<int> printed{0};
    for (int i = 0; i < 5; i++) {
      wg.Add(1);
      go([wgp = &wg, &printed] {  // func(wg *sync.WaitGroup, i int): the notes' fix
        printed++;
        wgp->Done();
      });
    }
    wg.Wait();
    EXPECT_EQ(printed.load(), 5);
  });
}

}  // namespace
}  // namespace gort
