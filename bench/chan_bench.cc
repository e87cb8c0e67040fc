// Benchmarks for chapters 05 and 06 (channels, select), side by side with
// Go (bench/go/chan_test.go has a twin of each).
//
// Run: bazel run -c opt //bench:chan_bench   (or bench/compare.sh chan)
//
// Each benchmark runs inside one gort program with GOMAXPROCS = the
// benchmark's argument (1 or 2), and reports real time: with 2 ps the
// goroutines may run on two threads.
#include <cstdint>

#include "benchmark/benchmark.h"
#include "include/gort/gort.h"

namespace {

// Unbuffered ping-pong: one op = one round trip (two hand-offs, each side
// parks once and is readied once).
void BM_ChanPingPong(benchmark::State& state) {
  gort::Run(
      [&] {
        auto ping = gort::make_chan<int>();
        auto pong = gort::make_chan<int>();
        gort::go([=] {
          for (int v : ping) pong.send(v);
        });
        for (auto _ : state) {
          ping.send(1);
          benchmark::DoNotOptimize(pong.recv());
        }
        gort::close(ping);
      },
      {.gomaxprocs = static_cast<int>(state.range(0))});
}
BENCHMARK(BM_ChanPingPong)->Arg(1)->Arg(2)->UseRealTime();

// Buffered (cap 128) producer/consumer: one op = one value through the
// channel.
void BM_ChanBuffered128(benchmark::State& state) {
  gort::Run(
      [&] {
        auto c = gort::make_chan<std::int64_t>(128);
        auto done = gort::make_chan<std::int64_t>();
        gort::go([=] {
          std::int64_t sum = 0;
          for (std::int64_t v : c) sum += v;
          done.send(sum);
        });
        std::int64_t i = 0;
        for (auto _ : state) c.send(++i);
        gort::close(c);
        benchmark::DoNotOptimize(done.recv());
      },
      {.gomaxprocs = static_cast<int>(state.range(0))});
}
BENCHMARK(BM_ChanBuffered128)->Arg(1)->Arg(2)->UseRealTime();

// A select over two channels that are both ready: one op = one select (a
// receive from one of the two, chosen at random) plus the send that makes
// that channel ready again.
void BM_Select2Ready(benchmark::State& state) {
  gort::Run(
      [&] {
        auto a = gort::make_chan<int>(1);
        auto b = gort::make_chan<int>(1);
        a.send(1);
        b.send(2);
        for (auto _ : state) {
          gort::select(gort::recv(a, [&](int v) { a.send(v); }),
                       gort::recv(b, [&](int v) { b.send(v); }));
        }
      },
      {.gomaxprocs = static_cast<int>(state.range(0))});
}
BENCHMARK(BM_Select2Ready)->Arg(1)->Arg(2)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
