// Benchmarks for chapter 02 (maps), side by side with Go and two C++ peers.
//
// Each gort benchmark BM_Map<Op> has a twin Benchmark<Op> in
// bench/go/maps_test.go doing the same work on a real Go map; the
// BM_StdUnordered<Op> and BM_AbslFlat<Op> ones do it with
// std::unordered_map and absl::flat_hash_map (abseil's Swiss table).
// Run: bazel run -c opt //bench:maps_bench   (or bench/compare.sh maps)
//
// Workloads, all on 1<<20 entries (1M):
//   Insert        m[k] = k for k = 0..1M-1 into an empty map (growth included)
//   LookupHit     read all 1M keys, in key order, from a full map
//   LookupMiss    read 1M absent keys (1M..2M-1)
//   Iterate       range over the full map, summing values
//   Delete        delete all 1M keys from a full map
//   *String       the same with std::string keys "key-<k>" (<= 15 bytes,
//                 so libstdc++ keeps them inline: no allocation per key)
// Counters report ns per element. gort has no collector yet, so the heap is
// released between rounds with the timer paused, where Go's GC would
// reclaim maps in the background.
#include <cstdint>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "benchmark/benchmark.h"
#include "include/gort/map.h"
#include "include/gort/rt/malloc.h"

namespace {

constexpr std::int64_t kN = 1 << 20;

void PerElement(benchmark::State& state) {
  state.counters["ns/elem"] =
      benchmark::Counter(static_cast<double>(kN) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// Keys are read from prepared arrays on both sides (here and in Go), so
// producing key number k costs the same everywhere: one sequential load.
struct IntKeys {
  using K = std::int64_t;
  static const K& Key(std::int64_t k) {
    static const auto* keys = [] {
      auto* v = new std::vector<K>(2 * kN);
      for (std::int64_t i = 0; i < 2 * kN; ++i) (*v)[i] = i;
      return v;
    }();
    return (*keys)[k];
  }
};

// "key-<k>": at most 11 bytes, which libstdc++ keeps inline (SSO).
struct StringKeys {
  using K = std::string;
  static const K& Key(std::int64_t k) {
    static const auto* keys = [] {
      auto* v = new std::vector<K>();
      v->reserve(2 * kN);
      for (std::int64_t i = 0; i < 2 * kN; ++i) v->push_back("key-" + std::to_string(i));
      return v;
    }();
    return (*keys)[k];
  }
};

// --- The maps behind one interface, so each workload is written once.

template <class KeySet>
struct Gort {
  using Keys = KeySet;
  using M = gort::Map<typename Keys::K, std::int64_t>;
  static M Make() { return gort::make_map<typename Keys::K, std::int64_t>(); }
  static void Set(M& m, std::int64_t k) { m.set(Keys::Key(k), k); }
  static std::int64_t Get(const M& m, std::int64_t k) { return m.get(Keys::Key(k)); }
  static void Del(M& m, std::int64_t k) { gort::delete_(m, Keys::Key(k)); }
  static void Release() { gort::rt::ReleaseHeapForTeardown(); }
};

// std::unordered_map and absl::flat_hash_map, with their default hashes.
template <template <class...> class Table, class KeySet>
struct Cpp {
  using Keys = KeySet;
  using M = Table<typename Keys::K, std::int64_t>;
  static M Make() { return M(); }
  static void Set(M& m, std::int64_t k) { m[Keys::Key(k)] = k; }
  static std::int64_t Get(const M& m, std::int64_t k) {
    auto it = m.find(Keys::Key(k));
    return it == m.end() ? 0 : it->second;
  }
  static void Del(M& m, std::int64_t k) { m.erase(Keys::Key(k)); }
  static void Release() {}
};

using GortInt = Gort<IntKeys>;
using StdInt = Cpp<std::unordered_map, IntKeys>;
using AbslInt = Cpp<absl::flat_hash_map, IntKeys>;
using GortStr = Gort<StringKeys>;
using StdStr = Cpp<std::unordered_map, StringKeys>;
using AbslStr = Cpp<absl::flat_hash_map, StringKeys>;

template <class Impl>
typename Impl::M Full() {
  typename Impl::M m = Impl::Make();
  for (std::int64_t k = 0; k < kN; ++k) Impl::Set(m, k);
  return m;
}

// --- Workloads.

template <class Impl>
void Insert(benchmark::State& state) {
  Impl::Keys::Key(0);  // build the key array before timing
  for (auto _ : state) {
    {
      typename Impl::M m = Impl::Make();
      for (std::int64_t k = 0; k < kN; ++k) Impl::Set(m, k);
      benchmark::DoNotOptimize(m);
      state.PauseTiming();
    }  // the C++ peers free their map here, untimed like gort's release
    Impl::Release();
    state.ResumeTiming();
  }
  PerElement(state);
}

// Reads keys [from, from + 1M) of a full map: hits from 0, misses from 1M.
template <class Impl, std::int64_t kFrom>
void Lookup(benchmark::State& state) {
  const typename Impl::M m = Full<Impl>();
  for (auto _ : state) {
    std::int64_t sum = 0;
    for (std::int64_t k = kFrom; k < kFrom + kN; ++k) sum += Impl::Get(m, k);
    benchmark::DoNotOptimize(sum);
  }
  PerElement(state);
}

template <class Impl>
void LookupHit(benchmark::State& state) {
  Lookup<Impl, 0>(state);
}

template <class Impl>
void LookupMiss(benchmark::State& state) {
  Lookup<Impl, kN>(state);
}

template <class Impl>
void Iterate(benchmark::State& state) {
  const typename Impl::M m = Full<Impl>();
  for (auto _ : state) {
    std::int64_t sum = 0;
    for (const auto& [k, v] : m) sum += v;
    benchmark::DoNotOptimize(sum);
  }
  PerElement(state);
}

template <class Impl>
void Delete(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    {
      typename Impl::M m = Full<Impl>();
      state.ResumeTiming();
      for (std::int64_t k = 0; k < kN; ++k) Impl::Del(m, k);
      benchmark::DoNotOptimize(m);
      state.PauseTiming();
    }
    Impl::Release();
    state.ResumeTiming();
  }
  PerElement(state);
}

#define GORT_MAP_BENCH(Name, Workload, Impl) \
  void Name(benchmark::State& state) { Workload<Impl>(state); } \
  BENCHMARK(Name)->Unit(benchmark::kMillisecond)

GORT_MAP_BENCH(BM_MapInsert, Insert, GortInt);
GORT_MAP_BENCH(BM_StdUnorderedInsert, Insert, StdInt);
GORT_MAP_BENCH(BM_AbslFlatInsert, Insert, AbslInt);
GORT_MAP_BENCH(BM_MapLookupHit, LookupHit, GortInt);
GORT_MAP_BENCH(BM_StdUnorderedLookupHit, LookupHit, StdInt);
GORT_MAP_BENCH(BM_AbslFlatLookupHit, LookupHit, AbslInt);
GORT_MAP_BENCH(BM_MapLookupMiss, LookupMiss, GortInt);
GORT_MAP_BENCH(BM_StdUnorderedLookupMiss, LookupMiss, StdInt);
GORT_MAP_BENCH(BM_AbslFlatLookupMiss, LookupMiss, AbslInt);
GORT_MAP_BENCH(BM_MapIterate, Iterate, GortInt);
GORT_MAP_BENCH(BM_StdUnorderedIterate, Iterate, StdInt);
GORT_MAP_BENCH(BM_AbslFlatIterate, Iterate, AbslInt);
GORT_MAP_BENCH(BM_MapDelete, Delete, GortInt);
GORT_MAP_BENCH(BM_StdUnorderedDelete, Delete, StdInt);
GORT_MAP_BENCH(BM_AbslFlatDelete, Delete, AbslInt);

GORT_MAP_BENCH(BM_MapInsertString, Insert, GortStr);
GORT_MAP_BENCH(BM_StdUnorderedInsertString, Insert, StdStr);
GORT_MAP_BENCH(BM_AbslFlatInsertString, Insert, AbslStr);
GORT_MAP_BENCH(BM_MapLookupHitString, LookupHit, GortStr);
GORT_MAP_BENCH(BM_StdUnorderedLookupHitString, LookupHit, StdStr);
GORT_MAP_BENCH(BM_AbslFlatLookupHitString, LookupHit, AbslStr);
GORT_MAP_BENCH(BM_MapLookupMissString, LookupMiss, GortStr);
GORT_MAP_BENCH(BM_StdUnorderedLookupMissString, LookupMiss, StdStr);
GORT_MAP_BENCH(BM_AbslFlatLookupMissString, LookupMiss, AbslStr);
GORT_MAP_BENCH(BM_MapIterateString, Iterate, GortStr);
GORT_MAP_BENCH(BM_MapDeleteString, Delete, GortStr);
GORT_MAP_BENCH(BM_StdUnorderedDeleteString, Delete, StdStr);
GORT_MAP_BENCH(BM_AbslFlatDeleteString, Delete, AbslStr);

}  // namespace

BENCHMARK_MAIN();
