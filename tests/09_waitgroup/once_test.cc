// Step 2: sync.Once. Go's test ideas (src/sync/once_test.go: TestOnce,
// TestOncePanic). Behaviour of a panicking f and of a recursive Do: Go
// 1.19, recorded by tools/groundtruth/sync/regen.sh (fatal.txt, cases
// once-panic-counts-as-done and once-recursive).
#include <atomic>
#include <cstdint>
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
using ::gort::testing::MS;
using ::gort::testing::WaitUntilParked;

TEST(Step2_Once, DoRunsFOnlyOnce) {
  sync::Once once;
  int calls = 0;
  once.Do([&] { calls++; });
  once.Do([&] { calls++; });
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(once.Done());
}

// Go's TestOnce: ten goroutines race to Do; f runs once, and every Do
// returns only after f has finished.
TEST(Step2_Once, ConcurrentCallersAllSeeFFinished) {
  ExpectProgram([] {
    static sync::Once once;
    static std::atomic<int> calls{0};
    static std::atomic<bool> finished{false};
    std::atomic<int> done{0};
    std::atomic<int> early{0};
    for (int i = 0; i < 10; i++) {
      go([&] {
        once.Do([] {
          calls++;
          Gosched();  // let the others pile up
          finished = true;
        });
        if (!finished.load()) early++;
        done++;
      });
    }
    while (done.load() < 10) Gosched();
    EXPECT_EQ(calls.load(), 1);
    EXPECT_EQ(early.load(), 0);
  }, {.gomaxprocs = 2});
}

TEST(Step2_Once, ASecondCallerWaitsOnTheMutexWhileFRuns) {
  ExpectProgram([] {
    static sync::Once once;
    static std::atomic<bool> release{false};
    std::atomic<rt::g*> second{nullptr};
    std::atomic<bool> second_returned{false};
    go([&] {
      once.Do([] {
        while (!release.load()) Gosched();
      });
    });
    Gosched();  // the first caller is inside f now
    go([&] {
      second = rt::getg();
      once.Do([] { ADD_FAILURE() << "f ran twice"; });
      second_returned = true;
    });
    WaitUntilParked(second);
    EXPECT_EQ(second.load()->waitreason, rt::waitReason::waitReasonSemacquire);
    EXPECT_EQ(rt::sync::DecodeMutexState(once.raw()->m.state.load()), MS(true, false, false, 1));
    EXPECT_FALSE(once.Done());
    release = true;
    while (!second_returned.load()) Gosched();
    EXPECT_TRUE(once.Done());
  }, {.gomaxprocs = 1});
}

// fatal.txt, case once-panic-counts-as-done: "recovered: boom", then the
// second Do does not call its f.
TEST(Step2_Once, APanickingFStillCountsAsDone) {
  ExpectProgram([] {
    sync::Once once;
    std::string recovered;
    try {
      once.Do([] { rt::sync::panicString("boom"); });
    } catch (const rt::Panic& p) {
      recovered = p.what();
    }
    EXPECT_EQ(recovered, "boom");
    EXPECT_TRUE(once.Done());
    EXPECT_EQ(rt::sync::DecodeMutexState(once.raw()->m.state.load()), MS(false, false, false, 0))
        << "the mutex is unlocked on the way out";
    bool ran = false;
    once.Do([&] { ran = true; });
    EXPECT_FALSE(ran);
  });
}

// fatal.txt, case once-recursive.
TEST(Step2_OnceDeathTest, CallingDoFromInsideFDeadlocks) {
  EXPECT_EXIT(gort::Run([] {
                static sync::Once once;
                once.Do([] { once.Do([] {}); });
              }),
              ::testing::ExitedWithCode(2),
              "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 \\[semacquire\\]:");
}

}  // namespace
}  // namespace gort
