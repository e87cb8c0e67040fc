// Step 3: panic and recover (gopanic, gorecover), with Go 1.19's output
// for each program (tools/groundtruth/defer) and defer_test.go's ideas.
#include <algorithm>
#include <atomic>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/panic.h"
#include "include/gort/rt/runtime2.h"
#include "tests/03_defer/puzzles.h"
#include "tests/03_defer/test_util.h"

namespace gort {
namespace {

using testing::ExpectGoOutput;
using testing::Println;

// helper() calls recover for a deferred function: not a direct call.
any Helper() { return recover(); }

TEST(Step3_Recover, RecoverInAHelperReturnsNil) {
  ExpectGoOutput("recover_in_helper", [] {
    Func([](auto& f) {
      f.defer([] { Println("outer:", recover()); });
      f.defer([] { Println("helper:", Helper()); });
      panic("boom");
      return f.Return();
    });
  });
}

TEST(Step3_Recover, RecoverInAFunctionLiteralInsideTheDeferredCallReturnsNil) {
  ExpectGoOutput("recover_nested_literal", [] {
    Func([](auto& f) {
      f.defer([] { Println("outer:", recover()); });
      f.defer([] { Println("literal:", [] { return recover(); }()); });
      panic("boom");
      return f.Return();
    });
  });
}

TEST(Step3_Recover, RecoverInADeferredCallOfADeferredCallReturnsNil) {
  // defer_test.go TestRecoverMatching.
  ExpectGoOutput("recover_matching", [] {
    Func([](auto& f) {
      f.defer([] { Println("first:", recover()); });
      f.defer([] {
        Func([](auto& g) {
          g.defer([] { Println("inner:", recover()); });
          return g.Return();
        });
      });
      panic("panic1");
      return f.Return();
    });
  });
}

TEST(Step3_Recover, ANewerPanicAbortsTheOlderOne) {
  // defer_test.go TestAbortedPanic: recovering panic2 also ends panic1.
  ExpectGoOutput("aborted_panic", [] {
    Func([](auto& f) {
      f.defer([] { Println("last:", recover()); });
      f.defer([] { Println("middle:", recover()); });
      f.defer([] { panic("panic2"); });
      panic("panic1");
      return f.Return();
    });
  });
}

TEST(Step3_Recover, SecondRecoverReturnsNil) {
  ExpectGoOutput("recover_twice", [] {
    Func([](auto& f) {
      f.defer([] {
        Println("first:", recover());
        Println("second:", recover());
      });
      panic("once");
      return f.Return();
    });
  });
}

TEST(Step3_Recover, RecoverWithoutAPanicReturnsNil) {
  ExpectGoOutput("recover_without_panic", [] {
    Func([](auto& f) {
      f.defer([] { Println("recover:", recover()); });
      Println("returning");
      return f.Return();
    });
  });
}

TEST(Step3_Recover, RecoverOutsideADeferredCallReturnsNil) {
  gort::Run([] {
    Func([](auto& f) {
      EXPECT_TRUE(recover() == nil);
      return f.Return();
    });
  });
}

TEST(Step3_Recover, DeferredCallsAfterTheRecoveringOneStillRun) {
  // func f() (x int) { defer func() { x = 2 * x }(); defer func() { recover(); x = 21 }(); panic("p") }
  ExpectGoOutput("defer_after_recover", [] {
    Println(Func<int>([](auto& f, int& x) {
      f.defer([&] { x = 2 * x; });
      f.defer([&] {
        recover();
        x = 21;
      });
      panic("p");
      return f.Return();
    }));
  });
}

void Deep(int n) {
  Func([n](auto& f) {
    f.defer(Println<const char*, int>, "unwinding", n);
    if (n == 0) panic(7);
    Deep(n - 1);
    return f.Return();
  });
}

TEST(Step3_Recover, PanicRunsTheDeferredCallsOfEveryFrame) {
  ExpectGoOutput("recover_deep", [] {
    Println(Func<int>([](auto& f, int& x) {
      f.defer([&] {
        if (any r = recover(); r != nil) x = *r.As<int>();
      });
      Deep(3);
      return f.Return(-1);
    }));
  });
}

void Interpreter(int level, int maxlevel, int rec) {
  Func([=](auto& f) {
    f.defer([level] {
      any e = recover();
      if (e == nil) return;
      if (level != *e.As<int>()) {
        Println("re-panic at level", level);
        panic(e);
      }
      Println("recovered at level", level);
    });
    if (level + 1 < maxlevel) {
      Interpreter(level + 1, maxlevel, rec);
    } else {
      panic(rec);
    }
    return f.Return();
  });
}

TEST(Step3_Recover, RepeatedRepanicsAreRecoveredAtTheRightLevel) {
  // defer_test.go TestDeferWithRepeatedRepanics: interpreter(0, 6, 2).
  ExpectGoOutput("interpreter", [] { Interpreter(0, 6, 2); });
}

TEST(Step3_Recover, RuntimeErrorIsARuntimeErrorValue) {
  ExpectGoOutput("runtime_error_recover", [] {
    Func([](auto& f) {
      f.defer([] {
        any r = recover();
        const rt::error* re = r.AsRuntimeError();
        Println(re != nullptr, re != nullptr ? re->Error() : "");
        Println(r.AsError() != nullptr);
      });
      Slice<int> s = slice_of<int>({1, 2, 3});
      int i = 5;
      Println(s[i]);
      return f.Return();
    });
  });
}

TEST(Step3_Recover, PanicNilIsRecoveredAsNil) {
  // Go 1.19: recover() returns nil for panic(nil), and the panic stops.
  ExpectGoOutput("recover_panic_nil", [] {
    Func([](auto& f) {
      f.defer([] { Println("r:", recover()); });
      panic(nil);
      return f.Return();
    });
  });
}

TEST(Step3_Recover, ErrorValueIsAnError) {
  ExpectGoOutput("recover_error_value", [] {
    Func([](auto& f) {
      f.defer([] {
        any r = recover();
        const rt::error* err = r.AsError();
        Println(err != nullptr, err != nullptr ? err->Error() : "<nil>");
      });
      panic(errors::New("custom error"));
      return f.Return();
    });
  });
}

TEST(Step3_Recover, EachGoroutineRecoversItsOwnPanic) {
  ExpectGoOutput("goroutines_recover_own", [] {
    std::mutex mu;
    std::vector<std::string> got;
    std::atomic<int> done{0};
    for (int i = 0; i < 3; i++) {
      go([&, i] {
        Func([&, i](auto& f) {
          f.defer([&] { done++; });
          f.defer([&] {
            any r = recover();
            std::lock_guard<std::mutex> l(mu);
            got.push_back(testing::Fmt(r));
          });
          panic(absl::StrCat("g", i));
          return f.Return();
        });
      });
    }
    testing::WaitFor([&] { return done.load() == 3; });  // wg.Wait()
    std::sort(got.begin(), got.end());
    Println("[" + absl::StrJoin(got, " ") + "]");
  });
}

TEST(Step3_Recover, DeferredCallMayParkWhileAPanicIsInFlight) {
  // GOMAXPROCS=2: after each Sleep the goroutine may resume on the other
  // thread, in the middle of gopanic's loop.
  ExpectGoOutput(
      "deferred_sleep_in_panic",
      [] {
        std::atomic<bool> done{false};
        go([&] {
          Func([&](auto& f) {
            f.defer([&] { done = true; });
            f.defer([] {
              Sleep(absl::Milliseconds(10));
              Println("after sleep:", recover());
            });
            f.defer([] {
              Sleep(absl::Milliseconds(1));
              Println("still panicking");
            });
            panic("slow");
            return f.Return();
          });
        });
        testing::WaitFor([&] { return done.load(); });
        Println("main done");
      },
      {.gomaxprocs = 2});
}

TEST(Step3_Recover, PanicOutsideAGoroutineThrowsRtPanic) {
  // Unit tests call runtime functions outside gort::Run: there is no g to
  // run deferred calls on, so the panic is a C++ exception.
  EXPECT_THROW(panic("outside"), rt::Panic);
  try {
    panic(42);
  } catch (const rt::Panic& p) {
    EXPECT_STREQ(p.what(), "42");
  }
}

TEST(Step4_PanicDeathTest, RecoverInAHelperDoesNotStopThePanic) {
  GORT_EXPECT_GO_DEATH("recover_in_helper_only", [] {
    Func([](auto& f) {
      f.defer([] { Helper(); });
      panic("not recovered");
      return f.Return();
    });
  });
}

TEST(Step3_RecoverDeathTest, ThrowIsNotRecoverable) {
  // The notes' double Unlock: "fatal error: sync: unlock of unlocked
  // mutex" (Go's text for sync.Mutex); fatal errors skip deferred calls.
  EXPECT_EXIT(gort::Run([] {
                testing::Out().Echo(true);
                Func([](auto& f) {
                  f.defer([] {
                    testing::Out().Write("Try to recover the panic\n");
                    recover();
                  });
                  rt::fatal("sync: unlock of unlocked mutex");
                  return f.Return();
                });
              }),
              ::testing::ExitedWithCode(2),
              ::testing::AllOf(
                  ::testing::HasSubstr("fatal error: sync: unlock of unlocked mutex\n"),
                  ::testing::Not(::testing::HasSubstr("Try to recover"))));
}

}  // namespace
}  // namespace gort
