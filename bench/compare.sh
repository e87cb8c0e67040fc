#!/usr/bin/env bash
# Runs gort's benchmarks (slices, with std::vector as the C++ peer; the
# scheduler) and their real-Go twins side by side. Needs Go 1.19:
# tools/setup.sh --go.
#
#   bench/compare.sh [min_time_seconds]   (default 0.5)
set -euo pipefail
cd "$(dirname "$0")/.."
min_time="${1:-0.5}"

go=/usr/lib/go-1.19/bin/go
[[ -x $go ]] || go=$(command -v go || true)

for suite in slices_bench sched_bench; do
  echo "== gort: bazel run -c opt //bench:$suite"
  bazel run -c opt "//bench:$suite" -- --benchmark_min_time="$min_time" 2>/dev/null
done

if [[ -n $go ]]; then
  echo
  echo "== Go ($($go version | cut -d' ' -f3))"
  (cd bench/go && "$go" test -run '^$' -bench . -benchtime "${min_time}s" | grep -E '^(Benchmark|cpu)')
else
  echo "Go not found: run tools/setup.sh --go for the Go side." >&2
fi
