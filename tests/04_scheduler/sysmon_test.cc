// Step 6: syscalls, sysmon's retake, preemption; and the runtime's life
// cycle (stack overflow, panics in goroutines, teardown, schedtrace).
//
// Expected behaviour: Go 1.19 proc.go (retake after a sysmon tick in a
// syscall; forcePreemptNS = 10 ms), signal_unix.go (async preemption since
// Go 1.14), the notes (seed 001 scenarios: hand-off on a blocking syscall;
// seed 002: sysmon preempts goroutines running over 10 ms).
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/kata.h"
#include "include/gort/rt/lock.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "tests/04_scheduler/program.h"

namespace gort {
namespace {

using ::gort::testing::ExpectProgram;
using ::gort::testing::UnderTsan;

TEST(Step6_Sysmon, BlockingSyscallDoesNotStopOthersOnOneP) {
  // GOMAXPROCS=1: the only p must be handed to another m while one
  // goroutine blocks in a call, or the other goroutine could never set the
  // flag the call waits for. The caller is started last, so it sits in
  // runnext and enters the call before the other one ever runs; main waits
  // with Gosched (the global queue), so it never jumps that queue.
  ExpectProgram([] {
    std::atomic<bool> other_ran{false};
    std::atomic<bool> saw_other{false};
    std::atomic<bool> finished{false};
    go([&] { other_ran = true; });
    go([&] {
      saw_other = Syscall([&] {
        // A blocking call that waits (up to 5 s) for the other goroutine.
        for (int i = 0; i < 5000 && !other_ran.load(); i++) ::usleep(1000);
        return other_ran.load();
      });
      finished = true;
    });
    while (!finished.load()) Gosched();
    EXPECT_TRUE(saw_other.load()) << "the other goroutine did not run during the call";
  }, {.gomaxprocs = 1});
}

TEST(Step6_Sysmon, RetakeTakesAPStuckInASyscall) {
  ExpectProgram([] {
    std::atomic<bool> in_call{false};
    std::atomic<bool> release{false};
    std::atomic<bool> finished{false};
    go([&] {
      Syscall([&] {
        in_call = true;
        while (!release.load()) ::usleep(200);
      });
      finished = true;
    });
    while (!in_call.load()) Gosched();
    // Wait (bounded by the watchdog) until sysmon has retaken the p: the
    // syscalling goroutine's m no longer holds one.
    bool p_retaken = false;
    for (int i = 0; i < 5000 && !p_retaken; i++) {
      Sleep(absl::Milliseconds(1));
      lock(&rt::sched.lock);
      for (rt::p* pp : rt::allp) {
        if (pp->status.load() == rt::_Psyscall) goto still;
      }
      p_retaken = true;
    still:
      unlock(&rt::sched.lock);
    }
    release = true;
    // main's locals must outlive the goroutine that uses them.
    while (!finished.load()) Gosched();
    EXPECT_TRUE(p_retaken);
  }, {.gomaxprocs = 2});
}

TEST(Step6_Sysmon, TightLoopIsPreemptedOnOneP) {
  if (UnderTsan()) GTEST_SKIP() << "ThreadSanitizer: signal preemption is off";
  // The spinning goroutine makes no calls at all; only sysmon's signal can
  // stop it so that main (woken by its timer) gets the p back.
  ExpectProgram([] {
    std::atomic<bool> stop{false};
    std::atomic<bool> spinning{false};
    go([&] {
      spinning = true;
      while (!stop.load(std::memory_order_relaxed)) {
      }
    });
    while (!spinning.load()) Gosched();
    Sleep(absl::Milliseconds(20));  // only returns if the spinner is preempted
    stop = true;
  }, {.gomaxprocs = 1});
}

TEST(Step6_Sysmon, CooperativePreemptPointYieldsWhenAsked) {
  ExpectProgram([] {
    std::atomic<bool> stop{false};
    std::atomic<bool> spinning{false};
    go([&] {
      spinning = true;
      while (!stop.load(std::memory_order_relaxed)) PreemptPoint();
    });
    while (!spinning.load()) Gosched();
    Sleep(absl::Milliseconds(20));
    stop = true;
  }, {.gomaxprocs = 1, .godebug = "asyncpreemptoff=1"});
}

TEST(Step6_Sysmon, GomaxprocsResizesTheRunningProgram) {
  ExpectProgram([] {
    EXPECT_EQ(GOMAXPROCS(0), 2);
    EXPECT_EQ(GOMAXPROCS(4), 2);
    EXPECT_EQ(GOMAXPROCS(0), 4);
    EXPECT_EQ(rt::allp.size(), 4u);
    std::atomic<int> done{0};
    for (int i = 0; i < 100; i++) go([&] { done++; });
    while (done.load() < 100) Gosched();
    EXPECT_EQ(GOMAXPROCS(1), 4);
    EXPECT_EQ(rt::allp.size(), 1u);
  }, {.gomaxprocs = 2});
}

TEST(Step6_SysmonDeathTest, SchedtracePrintsGosLineFormat) {
  // Go 1.19 proc.go schedtrace: "SCHED <t>ms: gomaxprocs=.. idleprocs=..
  // threads=.. spinningthreads=.. idlethreads=.. runqueue=.. [<per-p>]".
  EXPECT_EXIT(
      {
        gort::Run([] { Sleep(absl::Milliseconds(30)); },
            {.gomaxprocs = 2, .godebug = "schedtrace=10"});
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(0),
      "SCHED [0-9]+ms: gomaxprocs=2 idleprocs=[0-9]+ threads=[0-9]+ spinningthreads=[0-9]+ "
      "idlethreads=[0-9]+ runqueue=[0-9]+ \\[[0-9]+ [0-9]+\\]");
}

TEST(Step6_SysmonDeathTest, StackOverflowIsAFatalErrorNotASegfault) {
  if (std::getenv("GORT_SANITIZER") != nullptr) {
    GTEST_SKIP() << "sanitizers report stack overflows themselves";
  }
  struct Recurse {
    // Recurses until the stack runs out (the depth check never stops it in
    // practice; it only tells the compiler the recursion is bounded).
    static int Deep(int n) {
      volatile char pad[1024];
      pad[0] = static_cast<char>(n);
      if (n > (1 << 30)) return pad[0];
      return Deep(n + 1) + pad[0];
    }
  };
  EXPECT_EXIT(gort::Run([] { go([] { Recurse::Deep(0); }); Sleep(absl::Seconds(10)); }),
              ::testing::ExitedWithCode(2),
              "runtime: goroutine stack exceeds [0-9]+-byte limit\n"
              "fatal error: stack overflow");
}

TEST(Step6_SysmonDeathTest, PanicInAGoroutineNamesThatGoroutine) {
  EXPECT_EXIT(gort::Run([] {
                go([] { make_slice<int>(-1); });
                Sleep(absl::Seconds(10));
              }),
              ::testing::ExitedWithCode(2),
              "panic: runtime error: makeslice: len out of range\n\ngoroutine 2 \\[running\\]:");
}

int ThreadCount() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  }
  return -1;
}

TEST(Step6_Sysmon, NothingLeaksAcrossAThousandRuns) {
  // Each run starts ms, goroutines (some left blocked), timers and heap
  // memory; after Run returns, none of it may remain.
  EXPECT_EXIT(
      {
        const int threads_before = ThreadCount();
        for (int i = 0; i < 1000; i++) {
          gort::Run([] {
                std::atomic<int> done{0};
                for (int k = 0; k < 8; k++) go([&done] { done++; });
                go([] { rt::gopark(nullptr, nullptr, rt::waitReason::waitReasonChanReceive); });
                AfterFunc(absl::Hours(1), [] {});
                make_slice<std::int64_t>(100);
                while (done.load() < 8) Gosched();
              },
              {.gomaxprocs = 2});
        }
        const bool ok = ThreadCount() == threads_before && rt::HeapBytesInUse() == 0;
        std::fprintf(stderr, "threads %d -> %d, heap %lu\n", threads_before, ThreadCount(),
                     static_cast<unsigned long>(rt::HeapBytesInUse()));
        std::_Exit(ok ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace gort

namespace gort {
namespace {

// Not a kata step: the runtime's handling of an unwritten kata function
// called inside a goroutine (chapter 01's tests rely on it).
TEST(RuntimeKataTodo, StubInAGoroutineEndsTheProgramAndRunRethrows) {
  EXPECT_EXIT(
      {
        try {
          gort::Run([] {
            go([] { GORT_KATA_TODO("example", "chapters/04_scheduler/README.md"); });
            for (;;) Sleep(absl::Milliseconds(1));  // ended by the stub
          });
        } catch (const rt::KataTodoError& e) {
          std::fprintf(stderr, "rethrown: %s\n", e.what());
          std::_Exit(0);
        }
        std::_Exit(1);
      },
      ::testing::ExitedWithCode(0), "rethrown: KATA TODO: example");
}

}  // namespace
}  // namespace gort
