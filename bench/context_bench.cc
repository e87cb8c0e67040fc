// Benchmarks for chapter 11 (context), side by side with Go
// (bench/go/context_test.go has a twin of each).
//
// Run: bazel run -c opt //bench:context_bench   (or bench/compare.sh context)
#include <vector>

#include "benchmark/benchmark.h"
#include "include/gort/context.h"
#include "include/gort/gort.h"

namespace {

namespace context = gort::context;

// WithCancel on a cancelCtx parent (propagateCancel registers the child in
// the parent's children set) and the cancel that removes it again.
void BM_WithCancelThenCancel(benchmark::State& state) {
  gort::Run(
      [&] {
        auto [parent, cancelParent] = context::WithCancel(context::Background());
        for (auto _ : state) {
          auto [ctx, cancel] = context::WithCancel(parent);
          cancel();
        }
        cancelParent();
      },
      {.gomaxprocs = 1});
}
BENCHMARK(BM_WithCancelThenCancel);

// One op: a parent with 1 000 WithCancel children, then cancelling the
// parent, which cancels every child (nobody called Done, so each child
// takes the shared closed channel).
void BM_CancelParentOf1000Children(benchmark::State& state) {
  gort::Run(
      [&] {
        std::vector<context::CancelFunc> cancels;
        cancels.reserve(1000);
        for (auto _ : state) {
          auto [parent, cancelParent] = context::WithCancel(context::Background());
          for (int i = 0; i < 1000; i++) cancels.push_back(context::WithCancel(parent).second);
          cancelParent();
          cancels.clear();
        }
      },
      {.gomaxprocs = 1});
}
BENCHMARK(BM_CancelParentOf1000Children);

}  // namespace

BENCHMARK_MAIN();
