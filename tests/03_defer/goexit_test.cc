// Step 4: Goexit and printing the chain (Goexit, printpanics). Unrecovered
// panics end the program with Go 1.19's text and exit code 2
// (tools/groundtruth/defer).
#include <atomic>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/panic.h"
#include "include/gort/rt/runtime2.h"
#include "tests/03_defer/puzzles.h"
#include "tests/03_defer/test_util.h"

namespace gort {
namespace {

using ::testing::ExitedWithCode;
using ::testing::HasSubstr;
using testing::ExpectGoOutput;
using testing::Println;

TEST(Step4_Goexit, GoexitRunsEveryDeferredCallAndRecoverReturnsNil) {
  ExpectGoOutput("goexit_runs_defers", [] {
    std::atomic<bool> done{false};
    go([&] {
      Func([&](auto& f) {
        f.defer([&] { done = true; });  // wg.Done()
        f.defer(Println<const char*>, "deferred 1");
        f.defer([] { Println("recover in Goexit:", recover()); });
        Func([](auto& g) {
          g.defer(Println<const char*>, "deferred 2");
          Goexit();
          return g.Return();
        });
        Println("not reached");
        return f.Return();
      });
    });
    testing::WaitFor([&] { return done.load(); });  // wg.Wait()
    Println("main done");
  });
}

TEST(Step4_Goexit, RecoveringAPanicRaisedDuringGoexitDoesNotStopIt) {
  ExpectGoOutput("goexit_panic_recover", [] {
    std::atomic<bool> done{false};
    go([&] {
      Func([&](auto& f) {
        f.defer([&] { done = true; });
        f.defer([] { Println("recovered:", recover()); });
        f.defer([] { panic("in goexit"); });
        Goexit();
        return f.Return();
      });
      Println("not reached either");
    });
    testing::WaitFor([&] { return done.load(); });
    Println("main done");
  });
}

TEST(Step4_Goexit, GoexitLeavesNoRecordsOnTheG) {
  gort::Run([] {
    rt::g* child = nullptr;
    std::atomic<bool> done{false};
    go([&] {
      child = rt::getg();
      Func([&](auto& f) {
        f.defer([&] { done = true; });
        f.defer([] {});
        Goexit();
        return f.Return();
      });
    });
    testing::WaitFor([&] { return done.load(); });
    // The child is past its deferred calls; let it finish goexit0.
    testing::WaitFor([&] { return rt::readgstatus(child) == rt::_Gdead; });
    ASSERT_NE(child, nullptr);
    EXPECT_EQ(child->_defer, nullptr);
    EXPECT_EQ(child->_panic, nullptr);
  }, {.gomaxprocs = 1});
}

TEST(Step4_Printpanics, PrintsOldestFirstWithTabsAndRecoveredMarks) {
  rt::_panic a;
  a.arg = "first";
  a.recovered = true;
  rt::_panic b;
  b.arg = "again: first";
  b.link = &a;
  EXPECT_EQ(rt::printpanics(&b), "panic: first [recovered]\n\tpanic: again: first\n");
}

TEST(Step4_Printpanics, SkipsGoexit) {
  rt::_panic exit;
  exit.goexit = true;
  rt::_panic p;
  p.arg = 42;
  p.link = &exit;
  EXPECT_EQ(rt::printpanics(&p), "panic: 42\n");  // no tab after a Goexit
}

TEST(Step4_Printpanics, PrintsValuesLikeGosPrint) {
  rt::_panic p;
  p.arg = 1.5;
  EXPECT_EQ(rt::printpanics(&p), "panic: +1.500000e+000\n");
  p.arg = nil;
  EXPECT_EQ(rt::printpanics(&p), "panic: nil\n");
  p.arg = errors::New("custom error");
  EXPECT_EQ(rt::printpanics(&p), "panic: custom error\n");
}

struct Stringer {
  std::string String() const { return "I am a Stringer"; }
};

// Each death test: the program, Go's stderr head (panics.inc) + a blank
// line + "goroutine 1 [running]:", exit code 2.
TEST(Step4_PanicDeathTest, PanicWithAString) {
  GORT_EXPECT_GO_DEATH("panic_string", [] { panic("boom"); });
}

TEST(Step4_PanicDeathTest, PanicWithAnInt) {
  GORT_EXPECT_GO_DEATH("panic_int", [] { panic(42); });
}

TEST(Step4_PanicDeathTest, PanicWithAFloatPrintsLikeGosPrint) {
  GORT_EXPECT_GO_DEATH("panic_float", [] { panic(1.5); });
}

TEST(Step4_PanicDeathTest, PanicWithNil) {
  GORT_EXPECT_GO_DEATH("panic_nil", [] { panic(nil); });
}

TEST(Step4_PanicDeathTest, PanicWithAnErrorPrintsError) {
  GORT_EXPECT_GO_DEATH("panic_error", [] { panic(errors::New("custom error")); });
}

TEST(Step4_PanicDeathTest, PanicWithAStringerPrintsString) {
  GORT_EXPECT_GO_DEATH("panic_stringer", [] { panic(Stringer{}); });
}

TEST(Step4_PanicDeathTest, IndexOutOfRange) {
  GORT_EXPECT_GO_DEATH("panic_index", [] {
    Slice<int> s = slice_of<int>({1, 2, 3});
    int i = 5;
    Println(s[i]);
  });
}

TEST(Step4_PanicDeathTest, RepanicPrintsTheRecoveredPanicFirst) {
  GORT_EXPECT_GO_DEATH("repanic", [] {
    Func([](auto& f) {
      f.defer([] {
        any r = recover();
        panic("again: " + r.Print());
      });
      panic("first");
      return f.Return();
    });
  });
}

TEST(Step4_PanicDeathTest, RepanicWithTheSameValue) {
  GORT_EXPECT_GO_DEATH("repanic_same", [] {
    Func([](auto& f) {
      f.defer([] { panic(recover()); });
      panic("A");
      return f.Return();
    });
  });
}

TEST(Step4_PanicDeathTest, PanicDuringPanicPrintsTheChain) {
  GORT_EXPECT_GO_DEATH("panic_during_panic", [] {
    Func([](auto& f) {
      f.defer([] { panic("B"); });
      panic("A");
      return f.Return();
    });
  });
}

TEST(Step4_PanicDeathTest, ThreeNestedPanics) {
  GORT_EXPECT_GO_DEATH("three_panics", [] {
    Func([](auto& f) {
      f.defer([] { panic("C"); });
      f.defer([] { panic("B"); });
      panic("A");
      return f.Return();
    });
  });
}

TEST(Step4_PanicDeathTest, ARecoveredPanicLeavesTheChain) {
  GORT_EXPECT_GO_DEATH("panic_after_recover", [] {
    Func([](auto& f) {
      f.defer([] { panic("second"); });
      f.defer([] { recover(); });
      panic("first");
      return f.Return();
    });
  });
}

TEST(Step4_PanicDeathTest, PanicInTheRecoveringCallKeepsTheRecoveredOne) {
  GORT_EXPECT_GO_DEATH("panic_in_recovering_call", [] {
    Func([](auto& f) {
      f.defer([] {
        recover();
        panic("from the recovering call");
      });
      panic("original");
      return f.Return();
    });
  });
}

TEST(Step4_PanicDeathTest, NilMethodValueF4) {
  // Go prints a "[signal SIGSEGV ...]" line after the panic line; gort has
  // no fault handler (puzzles::Deref checks), so only the first line is
  // Go's, then the blank line and the header.
  const testing::GoCase& c = testing::Case("f4");
  const std::string first = std::string(c.stderr_head).substr(0, std::string(c.stderr_head).find('\n'));
  EXPECT_EXIT(gort::Run(puzzles::F4), ExitedWithCode(c.exit_code),
              HasSubstr(first + "\n\ngoroutine 1 [running]:\n"));
}

TEST(Step4_PanicDeathTest, MainGoexitRunsDeferredCallsThenDeadlocks) {
  // A fatal error, not a panic: no goroutine header follows (Go prints
  // none when no goroutine is left).
  const testing::GoCase& c = testing::Case("goexit_main");
  EXPECT_EXIT(gort::Run([] {
                testing::Out().Echo(true);
                Func([](auto& f) {
                  f.defer(Println<const char*>, "main's deferred call");
                  Goexit();
                  return f.Return();
                });
              }),
              ExitedWithCode(c.exit_code),
              HasSubstr(std::string(c.stdout_text) + "\n" + c.stderr_head + "\n"));
}

TEST(Step4_PanicDeathTest, APanicInAnotherGoroutineEndsTheProgram) {
  // main's deferred recover does not see another goroutine's panic. Go's
  // goroutine number differs (gort numbers goroutines from 1 without
  // Go's runtime goroutines), so only the panic line is compared.
  const testing::GoCase& c = testing::Case("goroutine_panic");
  EXPECT_EXIT(gort::Run([] {
                testing::Out().Echo(true);
                Func([](auto& f) {
                  f.defer([] { Println("main recovers:", recover()); });
                  go([] { panic("in goroutine"); });
                  Sleep(absl::Seconds(1));
                  return f.Return();
                });
              }),
              ExitedWithCode(c.exit_code),
              ::testing::AllOf(HasSubstr(std::string(c.stderr_head) + "\n\ngoroutine 2 [running]:\n"),
                               ::testing::Not(HasSubstr("main recovers"))));
}

}  // namespace
}  // namespace gort
