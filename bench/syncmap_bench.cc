// Benchmarks for chapter 10 (sync.Map), side by side with Go
// (bench/go/syncmap_test.go has a twin of each) and with a gort::Map under
// a gort::sync::Mutex as the peer sync.Map is meant to beat on reads.
//
// Run: bazel run -c opt //bench:syncmap_bench   (or bench/compare.sh syncmap)
#include <cstdint>

#include "benchmark/benchmark.h"
#include "include/gort/gort.h"
#include "include/gort/map.h"
#include "include/gort/sync.h"
#include "include/gort/syncmap.h"

namespace {

constexpr int kKeys = 1024;

// Load of a present key after promotion: the lock-free read path (one map
// lookup in read.m plus an atomic load of entry.p).
void BM_SyncMapLoadHit(benchmark::State& state) {
  gort::Run(
      [&] {
        gort::sync::Map<std::int64_t, std::int64_t> m;
        for (std::int64_t i = 0; i < kKeys; i++) m.Store(i, i);
        for (std::int64_t i = 0; i < kKeys; i++) m.Load(i);  // promote
        std::int64_t i = 0, sum = 0;
        for (auto _ : state) {
          sum += m.Load(i++ & (kKeys - 1)).first;
        }
        benchmark::DoNotOptimize(sum);
      },
      {.gomaxprocs = 1});
}
BENCHMARK(BM_SyncMapLoadHit);

// Store to a key already in read: box the value, CAS it into the entry.
void BM_SyncMapStoreExisting(benchmark::State& state) {
  gort::Run(
      [&] {
        gort::sync::Map<std::int64_t, std::int64_t> m;
        for (std::int64_t i = 0; i < kKeys; i++) m.Store(i, i);
        for (std::int64_t i = 0; i < kKeys; i++) m.Load(i);  // promote
        std::int64_t i = 1000;
        for (auto _ : state) {
          m.Store(i & (kKeys - 1), i);
          i++;
        }
      },
      {.gomaxprocs = 1});
}
BENCHMARK(BM_SyncMapStoreExisting);

// Peer: the same Load with a gort::Map behind a gort::sync::Mutex.
void BM_MutexMapLoadHit(benchmark::State& state) {
  gort::Run(
      [&] {
        auto m = gort::make_map<std::int64_t, std::int64_t>();
        gort::sync::Mutex mu;
        for (std::int64_t i = 0; i < kKeys; i++) m.set(i, i);
        std::int64_t i = 0, sum = 0;
        for (auto _ : state) {
          mu.Lock();
          sum += m.get(i++ & (kKeys - 1));
          mu.Unlock();
        }
        benchmark::DoNotOptimize(sum);
      },
      {.gomaxprocs = 1});
}
BENCHMARK(BM_MutexMapLoadHit);

}  // namespace

BENCHMARK_MAIN();
