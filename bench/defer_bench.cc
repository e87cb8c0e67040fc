// Benchmarks for chapter 03 (defer, panic and recover), side by side with
// Go (bench/go/defer_test.go has a twin of each).
//
// Run: bazel run -c opt //bench:defer_bench   (or bench/compare.sh defer)
//
// Each benchmark runs inside one gort program (GOMAXPROCS=1): deferred
// calls live on a goroutine.
#include <cstdint>

#include "benchmark/benchmark.h"
#include "include/gort/gort.h"

namespace {

// A sink the optimiser must keep writes to.
std::int64_t sink = 0;

[[gnu::noinline]] void Add(std::int64_t* x) { *x += 1; }

// The same work without a deferred call: the baseline.
[[gnu::noinline]] void NoDefer(std::int64_t* x) {
  Add(x);
}

// One deferred call: newdefer (per-p pool) + deferproc + deferreturn +
// the trampoline + freedefer. Go 1.19 open-codes this one (no record at
// all); DeferInLoop below is Go's record path.
[[gnu::noinline]] void OneDefer(std::int64_t* x) {
  gort::Func([x](auto& f) {
    f.defer(Add, x);
    return f.Return();
  });
}

// A defer in a loop: Go cannot open-code it and uses a _defer record
// (deferprocStack), like every gort defer.
[[gnu::noinline]] void DeferInLoop(std::int64_t* x) {
  gort::Func([x](auto& f) {
    for (int i = 0; i < 1; i++) f.defer(Add, x);
    return f.Return();
  });
}

void BM_NoDefer(benchmark::State& state) {
  gort::Run([&] {
    for (auto _ : state) NoDefer(&sink);
  }, {.gomaxprocs = 1});
}
BENCHMARK(BM_NoDefer);

void BM_Defer(benchmark::State& state) {
  gort::Run([&] {
    for (auto _ : state) OneDefer(&sink);
  }, {.gomaxprocs = 1});
}
BENCHMARK(BM_Defer);

void BM_DeferInLoop(benchmark::State& state) {
  gort::Run([&] {
    for (auto _ : state) DeferInLoop(&sink);
  }, {.gomaxprocs = 1});
}
BENCHMARK(BM_DeferInLoop);

// panic + recover round trip: gopanic runs the deferred call, which
// recovers; the frame returns normally (gort: one C++ throw to the Func).
[[gnu::noinline]] std::int64_t PanicRecover(std::int64_t v) {
  return gort::Func<std::int64_t>([v](auto& f, std::int64_t& r) {
    f.defer([&r] {
      if (gort::recover() != gort::nil) r = 1;
    });
    gort::panic(v);
    return f.Return();
  });
}

void BM_PanicRecover(benchmark::State& state) {
  gort::Run([&] {
    std::int64_t n = 0;
    for (auto _ : state) n += PanicRecover(n);
    benchmark::DoNotOptimize(n);
  }, {.gomaxprocs = 1});
}
BENCHMARK(BM_PanicRecover);

}  // namespace

BENCHMARK_MAIN();
