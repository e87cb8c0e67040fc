// Benchmarks for chapter 04 (the scheduler), side by side with Go
// (bench/go/sched_test.go has a twin of each).
//
// Run: bazel run -c opt //bench:sched_bench   (or bench/compare.sh)
//
// Each benchmark runs inside one gort program (GOMAXPROCS=1) so that it
// measures the scheduler, not Run's start-up.
#include <atomic>
#include <cstdint>
#include <cstdlib>

#include "benchmark/benchmark.h"
#include "include/gort/gort.h"
#include "include/gort/rt/asm.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"

namespace {

// The floor: one save-switch-restore round trip through gort's context
// switch (two stack switches), with no scheduler around it.
void BareSwitchBack(void* arg) { gort_gogo(*static_cast<gort::rt::uintptr*>(arg)); }

void BM_BareSwitchRoundTrip(benchmark::State& state) {
  constexpr std::size_t kStack = 64 * 1024;
  char* stack = static_cast<char*>(std::aligned_alloc(64, kStack));
  const auto top = reinterpret_cast<gort::rt::uintptr>(stack + kStack);
  gort::rt::uintptr saved = 0;
  for (auto _ : state) gort_mcall(&BareSwitchBack, &saved, &saved, top);
  std::free(stack);
}
BENCHMARK(BM_BareSwitchRoundTrip);

// Two goroutines on one p take turns with Gosched: one op = one Gosched,
// i.e. one switch through the scheduler and the global queue.
void BM_GoschedSwitch(benchmark::State& state) {
  gort::Run(
      [&] {
        std::atomic<bool> stop{false};
        std::atomic<bool> stopped{false};
        gort::go([&] {
          while (!stop.load(std::memory_order_relaxed)) gort::Gosched();
          stopped = true;
        });
        for (auto _ : state) gort::Gosched();
        stop = true;
        while (!stopped.load()) gort::Gosched();
      },
      {.gomaxprocs = 1});
}
BENCHMARK(BM_GoschedSwitch);

// go f() and wait for f to have run: one op = newproc + one goroutine's
// whole life (first run, exit, gfput) + the switches around it.
void BM_SpawnExit(benchmark::State& state) {
  gort::Run(
      [&] {
        std::atomic<std::int64_t> ran{0};
        std::int64_t want = 0;
        for (auto _ : state) {
          gort::go([&ran] { ran.fetch_add(1, std::memory_order_relaxed); });
          ++want;
          while (ran.load(std::memory_order_relaxed) != want) gort::Gosched();
        }
      },
      {.gomaxprocs = 1});
}
BENCHMARK(BM_SpawnExit);

// Ping-pong with gopark/goready: one op = one round trip (each side parks
// once and is readied once). Go's twin uses an unbuffered channel, whose
// send/receive park and ready the same way (plus the channel's own work).
//
// Each side readies the other from gopark's unlockf, on g0, once it is
// itself parked, as a channel does under its lock. Readying the partner
// first and parking after would leave a window in which sysmon's
// preemption (the pair hands off through runnext, so its shared time slice
// runs out after 10 ms) moves the readier to the global queue; the partner
// would then ready a runnable g ("fatal error: bad g->status in ready").
bool ReadyPartner(gort::rt::g* /*gp*/, void* partner) {
  gort::rt::goready(static_cast<gort::rt::g*>(partner));
  return true;
}

void BM_ParkReadyRoundTrip(benchmark::State& state) {
  gort::Run(
      [&] {
        std::atomic<gort::rt::g*> pong{nullptr};
        std::atomic<bool> stop{false};
        gort::rt::g* ping = gort::rt::getg();
        gort::go([&] {
          pong = gort::rt::getg();
          gort::rt::gopark(nullptr, nullptr, gort::rt::waitReason::waitReasonChanReceive);
          while (!stop.load()) {
            gort::rt::gopark(&ReadyPartner, ping, gort::rt::waitReason::waitReasonChanReceive);
          }
        });
        while (pong.load() == nullptr ||
               gort::rt::readgstatus(pong.load()) != gort::rt::_Gwaiting) {
          gort::Gosched();
        }
        for (auto _ : state) {
          gort::rt::gopark(&ReadyPartner, pong.load(), gort::rt::waitReason::waitReasonChanReceive);
        }
        // pong is parked (it readied us from its unlockf): let it finish.
        stop = true;
        gort::rt::goready(pong.load());
        gort::Gosched();
      },
      {.gomaxprocs = 1});
}
BENCHMARK(BM_ParkReadyRoundTrip);

// Starting and stopping a timer: one op = AfterFunc (heap insert on this
// p) + Stop (heap delete).
void BM_TimerAfterFuncStop(benchmark::State& state) {
  gort::Run(
      [&] {
        for (auto _ : state) {
          gort::Timer t = gort::AfterFunc(absl::Hours(1), [] {});
          benchmark::DoNotOptimize(t.Stop());
        }
      },
      {.gomaxprocs = 1});
}
BENCHMARK(BM_TimerAfterFuncStop);

}  // namespace

BENCHMARK_MAIN();
