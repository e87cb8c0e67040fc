#!/usr/bin/env bash
# Runs one chapter's benchmarks in gort (C++, with its C++ peers) and in
# real Go, side by side. Needs Go 1.19 for the Go side: tools/setup.sh --go.
#
#   bench/compare.sh [slices|maps|defer|sched|sync|chan|context|alloc|syncmap] [min_time_seconds] [repetitions]
#
# Defaults: slices, 0.5 s, 1 repetition. This machine's timings vary from
# run to run; with repetitions > 1 both sides run that many times, in turn
# (C++, Go, C++, Go, ...), so slow phases of the machine hit both alike.
set -euo pipefail
cd "$(dirname "$0")/.."
suite="${1:-slices}"
min_time="${2:-0.5}"
reps="${3:-1}"

case "$suite" in
  slices) go_filter='^Benchmark(AppendOneAtATime1M|Growslice)' ;;
  maps) go_filter='^BenchmarkMap' ;;
  sched) go_filter='^Benchmark(GoschedSwitch|SpawnExit|ParkReadyRoundTrip|TimerAfterFuncStop)' ;;
  sync) go_filter='^Benchmark(Mutex|RWMutex|WaitGroup|Once)' ;;
  defer) go_filter='^Benchmark(NoDefer|Defer|DeferInLoop|PanicRecover)$' ;;
  syncmap) go_filter='^Benchmark(SyncMap|MutexMap)' ;;
  alloc) go_filter='^Benchmark(Ring16|Ring64|Large64K|Ring16TwoPs)$' ;;
  context) go_filter='^Benchmark(WithCancelThenCancel|CancelParentOf1000Children)$' ;;
  chan) go_filter='^Benchmark(ChanPingPong|ChanBuffered128|Select2Ready)' ;;
  *) echo "usage: bench/compare.sh [slices|maps|defer|sched|sync|chan|context|alloc|syncmap] [min_time_seconds] [repetitions]" >&2; exit 2 ;;
esac

# jemalloc uses initial-exec TLS: dlopen needs a bigger static TLS surplus.
[[ $suite == alloc ]] && export GLIBC_TUNABLES=glibc.rtld.optional_static_tls=65536

go=/usr/lib/go-1.19/bin/go
[[ -x $go ]] || go=$(command -v go || true)

bazel build -c opt "//bench:${suite}_bench" 2>/dev/null
bin="bazel-bin/bench/${suite}_bench"

for ((i = 1; i <= reps; i++)); do
  echo "== gort and C++ peers ($bin), round $i"
  "$bin" --benchmark_min_time="$min_time" 2>/dev/null | grep -E '^(BM_|-----|Benchmark)'
  if [[ -n $go ]]; then
    echo
    echo "== Go ($($go version | cut -d' ' -f3)), round $i"
    (cd bench/go && "$go" test -run '^$' -bench "$go_filter" -benchtime "${min_time}s" |
      grep -E '^(Benchmark|cpu)')
  else
    echo "Go not found: run tools/setup.sh --go for the Go side." >&2
  fi
  echo
done
