// Benchmarks for chapters 07-09 (sync), side by side with Go
// (bench/go/sync_test.go has a twin of each) and with absl::Mutex and
// std::mutex as C++ peers.
//
// Run: bazel run -c opt //bench:sync_bench   (or bench/compare.sh sync)
//
// gort benchmarks run inside one gort program, so they measure the lock,
// not Run's start-up.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "benchmark/benchmark.h"
#include "include/gort/gort.h"
#include "include/gort/sync.h"

namespace {

// Lock + Unlock of a mutex nobody else touches: one op = the two fast paths.
void BM_MutexUncontended(benchmark::State& state) {
  gort::Run(
      [&] {
        gort::sync::Mutex mu;
        for (auto _ : state) {
          mu.Lock();
          mu.Unlock();
        }
      },
      {.gomaxprocs = 1});
}
BENCHMARK(BM_MutexUncontended);

void BM_AbslMutexUncontended(benchmark::State& state) {
  absl::Mutex mu;
  for (auto _ : state) {
    mu.Lock();
    mu.Unlock();
  }
}
BENCHMARK(BM_AbslMutexUncontended);

void BM_StdMutexUncontended(benchmark::State& state) {
  std::mutex mu;
  for (auto _ : state) {
    mu.lock();
    mu.unlock();
  }
}
BENCHMARK(BM_StdMutexUncontended);

// Two ps: a second goroutine locks and unlocks the same mutex in a loop
// while main does the measured Lock/Unlock pairs (with a little work
// inside, so the lock is held some of the time). One op = one pair of
// main's, under contention.
void BM_MutexContended2P(benchmark::State& state) {
  gort::Run(
      [&] {
        gort::sync::Mutex mu;
        std::int64_t counter = 0;
        std::atomic<bool> stop{false}, stopped{false};
        gort::go([&] {
          while (!stop.load(std::memory_order_relaxed)) {
            mu.Lock();
            counter++;
            mu.Unlock();
          }
          stopped = true;
        });
        for (auto _ : state) {
          mu.Lock();
          counter++;
          mu.Unlock();
        }
        stop = true;
        while (!stopped.load()) gort::Gosched();
        benchmark::DoNotOptimize(counter);
      },
      {.gomaxprocs = 2});
}
BENCHMARK(BM_MutexContended2P);

void BM_AbslMutexContended2Threads(benchmark::State& state) {
  static absl::Mutex mu;
  static std::int64_t counter = 0;
  static std::atomic<bool> stop{false};
  static std::atomic<bool> started{false};
  std::thread t;
  stop = false;
  t = std::thread([] {
    started = true;
    while (!stop.load(std::memory_order_relaxed)) {
      mu.Lock();
      counter++;
      mu.Unlock();
    }
  });
  while (!started.load()) {
  }
  for (auto _ : state) {
    mu.Lock();
    counter++;
    mu.Unlock();
  }
  stop = true;
  t.join();
}
BENCHMARK(BM_AbslMutexContended2Threads);

// The read path: RLock + RUnlock, no writer.
void BM_RWMutexRLockRUnlock(benchmark::State& state) {
  gort::Run(
      [&] {
        gort::sync::RWMutex rw;
        for (auto _ : state) {
          rw.RLock();
          rw.RUnlock();
        }
      },
      {.gomaxprocs = 1});
}
BENCHMARK(BM_RWMutexRLockRUnlock);

void BM_AbslMutexReaderLock(benchmark::State& state) {
  absl::Mutex mu;
  for (auto _ : state) {
    mu.ReaderLock();
    mu.ReaderUnlock();
  }
}
BENCHMARK(BM_AbslMutexReaderLock);

// WaitGroup Add(1) + Done(), nobody waiting.
void BM_WaitGroupAddDone(benchmark::State& state) {
  gort::Run(
      [&] {
        gort::sync::WaitGroup wg;
        for (auto _ : state) {
          wg.Add(1);
          wg.Done();
        }
      },
      {.gomaxprocs = 1});
}
BENCHMARK(BM_WaitGroupAddDone);

// Once.Do after the first call: the fast path, one atomic load.
void BM_OnceDoFastPath(benchmark::State& state) {
  gort::Run(
      [&] {
        gort::sync::Once once;
        int calls = 0;
        once.Do([&] { calls++; });
        for (auto _ : state) once.Do([&] { calls++; });
        benchmark::DoNotOptimize(calls);
      },
      {.gomaxprocs = 1});
}
BENCHMARK(BM_OnceDoFastPath);

}  // namespace

BENCHMARK_MAIN();
