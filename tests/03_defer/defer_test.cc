// Step 2: defer and the three-step return (deferproc, deferreturn). The
// notes' puzzles, with Go 1.19's output (tools/groundtruth/defer).
#include <array>
#include <memory>

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

TEST(Step2_Defer, DeferredCallsRunLastFirst) {
  ExpectGoOutput("loop_println", puzzles::LoopPrintln);  // 4 3 2 1 0
}

TEST(Step2_Defer, ArgumentsAreEvaluatedAtTheDefer) {
  ExpectGoOutput("args_evaluated", puzzles::ArgsEvaluatedAtDefer);
}

TEST(Step2_Defer, DeferredClosureSeesTheNamedResultAfterTheLastAssignment) {
  ExpectGoOutput("r_value", [] { puzzles::RValue(); });  // " r value =  3"
}

TEST(Step2_Defer, ReturnAssignsBeforeTheDeferredCallsRun) {
  ExpectGoOutput("increase", [] { Println(puzzles::Increase(1)); });  // 2
}

TEST(Step2_Defer, ChainedCallsDeferOnlyTheLast) {
  ExpectGoOutput("chained", puzzles::Chained);  // 1234
}

TEST(Step2_Defer, NestedCallEvaluatesTheFunctionValueAtTheDefer) {
  ExpectGoOutput("nested_call", puzzles::NestedCall);  // outside main... inside
}

TEST(Step2_Defer, ShowGetPrints13542) {
  ExpectGoOutput("show_get", puzzles::ShowGet);
}

TEST(Step2_Defer, ClosuresInALoopShareTheVariable) {
  ExpectGoOutput("closure_loop", puzzles::ClosureLoop);  // 5 5 5 5 5
}

TEST(Step2_Defer, ArgumentsInALoopAreCopies) {
  ExpectGoOutput("arg_loop", puzzles::ArgLoop);  // 4 3 2 1 0
}

TEST(Step2_Defer, ReturnValuePuzzlesF1F2F3) {
  ExpectGoOutput("f1_f2_f3", [] { Println(puzzles::F1(), puzzles::F2(), puzzles::F3()); });
}

TEST(Step2_Defer, ArgumentVersusCapturedVariable) {
  ExpectGoOutput("test_a", puzzles::TestA);
  ExpectGoOutput("test_b", puzzles::TestB);
}

TEST(Step2_Defer, RecordsNameTheirFrameNewestFirst) {
  gort::Run([] {
    rt::g* gp = rt::getg();
    EXPECT_EQ(gp->_defer, nullptr);
    Func([&](auto& outer) {
      outer.defer([] {});
      rt::_defer* outerRecord = gp->_defer;
      EXPECT_NE(outerRecord, nullptr);
      Func([&](auto& inner) {
        inner.defer([] {});
        inner.defer([] {});
        rt::_defer* d2 = gp->_defer;
        rt::_defer* d1 = d2->link;
        EXPECT_EQ(d1->link, outerRecord);
        EXPECT_EQ(d1->sp, d2->sp);
        EXPECT_NE(d1->sp, outerRecord->sp);
        return inner.Return();
      });
      EXPECT_EQ(gp->_defer, outerRecord);  // the inner frame's records are gone
      return outer.Return();
    });
    EXPECT_EQ(gp->_defer, nullptr);
  }, {.gomaxprocs = 1});
}

TEST(Step2_Defer, FirstDeferUsesTheFrameRecordLaterOnesThePool) {
  // Go: deferprocStack for a defer that runs once per call, a pooled
  // record (deferproc) for the others.
  gort::Run([] {
    rt::g* gp = rt::getg();
    rt::p* pp = rt::getm()->p_;
    const std::int32_t before = pp->ndeferpool;
    Func([&](auto& f) {
      f.defer([] {});
      EXPECT_FALSE(gp->_defer->heap);
      f.defer([] {});
      EXPECT_TRUE(gp->_defer->heap);
      return f.Return();
    });
    EXPECT_EQ(pp->ndeferpool, before + 1);  // the pooled record came back
  }, {.gomaxprocs = 1});
}

TEST(Step2_Defer, DeferredCallsRunOncePerReturn) {
  gort::Run([] {
    int calls = 0;
    for (int i = 0; i < 3; i++) {
      Func([&](auto& f) {
        f.defer([&] { calls++; });
        return f.Return();
      });
    }
    EXPECT_EQ(calls, 3);
  });
}

TEST(Step2_Defer, BigClosureIsBoxedAndDestroyed) {
  // More than kDeferClosureBytes of captures: the closure lives on the heap.
  gort::Run([] {
    auto token = std::make_shared<int>(7);
    std::array<std::int64_t, 10> big{};
    big[9] = 35;
    std::int64_t seen = 0;
    Func([&](auto& f) {
      f.defer([big, token, &seen] { seen = big[9] + *token; });
      EXPECT_EQ(token.use_count(), 2);
      return f.Return();
    });
    EXPECT_EQ(seen, 42);
    EXPECT_EQ(token.use_count(), 1);
  });
}

TEST(Step2_Defer, DeferredResultIsDiscarded) {
  // A deferred function's results are thrown away (Go spec).
  gort::Run([] {
    int calls = 0;
    auto count = [&]() -> int { return ++calls; };
    int r = Func<int>([&](auto& f, int& result) {
      f.defer(count);
      return f.Return(result + 10);
    });
    EXPECT_EQ(r, 10);
    EXPECT_EQ(calls, 1);
  });
}

}  // namespace
}  // namespace gort
