// Benchmarks for chapter 01 (slices), side by side with Go and std::vector.
//
// Each gort benchmark has a twin of the same name in bench/go/slices_test.go
// doing the same work in real Go; the std::vector ones are the C++ peer.
// Run: bazel run -c opt //bench:slices_bench   (or bench/compare.sh)
//
// gort has no collector yet, so benchmarks free the heap between rounds
// (ReleaseHeapForTeardown) with the timer paused, where Go's GC would
// reclaim the arrays in the background.
#include <cstdint>
#include <vector>

#include "benchmark/benchmark.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/slice.h"
#include "include/gort/rt/type.h"
#include "include/gort/slice.h"

namespace {

constexpr std::int64_t kOneMillion = 1 << 20;

// append(s, v) of 1<<20 int64 values, one at a time, from a nil slice.
void BM_AppendOneAtATime1M(benchmark::State& state) {
  for (auto _ : state) {
    gort::Slice<std::int64_t> s;
    for (std::int64_t j = 0; j < kOneMillion; ++j) s = gort::append(s, j);
    benchmark::DoNotOptimize(s.data());
    state.PauseTiming();
    gort::rt::ReleaseHeapForTeardown();
    state.ResumeTiming();
  }
  state.counters["ns/elem"] = benchmark::Counter(
      static_cast<double>(kOneMillion) * state.iterations(),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_AppendOneAtATime1M)->Unit(benchmark::kMillisecond);

// The C++ peer: std::vector<int64_t>::push_back, 1<<20 times.
void BM_VectorPushBack1M(benchmark::State& state) {
  for (auto _ : state) {
    std::vector<std::int64_t> v;
    for (std::int64_t j = 0; j < kOneMillion; ++j) v.push_back(j);
    benchmark::DoNotOptimize(v.data());
  }
  state.counters["ns/elem"] = benchmark::Counter(
      static_cast<double>(kOneMillion) * state.iterations(),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_VectorPushBack1M)->Unit(benchmark::kMillisecond);

// One growslice per iteration: a full []int64 of length n grows by one
// element (allocate the next size, copy n elements), as Go's
// BenchmarkGrowsliceSizes does with append(s[:n:n], 1).
void BM_GrowsliceSizes(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const gort::rt::Type* et = gort::rt::TypeOf<std::int64_t>();
  gort::rt::slice full{gort::rt::makeslice(et, n, n), n, n};
  std::int64_t since_release = 0;
  for (auto _ : state) {
    gort::rt::slice grown = gort::rt::growslice(et, full, n + 1);
    benchmark::DoNotOptimize(grown.array);
    if (++since_release == 256) {  // keep the heap small: no GC yet
      state.PauseTiming();
      gort::rt::ReleaseHeapForTeardown();
      full = {gort::rt::makeslice(et, n, n), n, n};
      since_release = 0;
      state.ResumeTiming();
    }
  }
  state.SetBytesProcessed(state.iterations() * n * 8);
  gort::rt::ReleaseHeapForTeardown();
}
BENCHMARK(BM_GrowsliceSizes)->Arg(16)->Arg(1024)->Arg(65536);

// The C++ peer of one growth: reserve a larger vector and copy n elements.
void BM_VectorGrowSizes(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  std::vector<std::int64_t> full(n);
  for (auto _ : state) {
    std::vector<std::int64_t> grown;
    grown.reserve(n + n / 2);
    grown.assign(full.begin(), full.end());
    grown.push_back(1);
    benchmark::DoNotOptimize(grown.data());
  }
  state.SetBytesProcessed(state.iterations() * n * 8);
}
BENCHMARK(BM_VectorGrowSizes)->Arg(16)->Arg(1024)->Arg(65536);

}  // namespace

BENCHMARK_MAIN();
