// Benchmarks for chapter 12 (the allocator), side by side with Go and with
// the C++ allocators Debian ships: glibc malloc, tcmalloc (minimal),
// jemalloc and mimalloc.
//
// Each gort benchmark has a twin of the same name in bench/go/alloc_test.go.
// Run: bazel run -c opt //bench:alloc_bench   (or bench/compare.sh alloc)
//
// The pattern is Go's usual one: a ring of live objects, each allocation
// replacing the oldest. The C++ peers free the object they replace. gort
// has no collector yet, so it frees nothing inside a round; every round is
// one gort::Run (timer paused outside the allocations) whose teardown
// returns the heap, where Go's GC would reclaim it in the background.
// Peers are loaded with dlopen (their tc_/mallocx/mi_ entry points, so
// they never replace the process's malloc); a missing one is skipped.
#include <dlfcn.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "benchmark/benchmark.h"
#include "include/gort/go.h"
#include "include/gort/gort.h"
#include "include/gort/memory.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/type.h"

namespace {

constexpr std::int64_t kRing = 1 << 20;   // live small objects
constexpr std::int64_t kLargeRing = 64;   // live large objects
constexpr std::size_t kLarge = 64 << 10;  // 64 KiB: a large object (> 32 KiB)

// ---- gort ------------------------------------------------------------------

template <std::size_t N>
using Bytes = std::array<std::uint8_t, N>;

// Runs `batch` timed operations per gort::Run until the benchmark is done.
template <class Setup, class Body>
void GortRounds(benchmark::State& state, std::int64_t batch, int procs, Setup setup, Body body) {
  while (state.KeepRunningBatch(batch)) {
    state.PauseTiming();
    gort::Run(
        [&] {
          setup();
          state.ResumeTiming();
          body(batch);
          state.PauseTiming();
        },
        gort::Options{.gomaxprocs = procs});
    state.ResumeTiming();
  }
}

template <std::size_t N>
void BM_Ring(benchmark::State& state) {
  std::vector<Bytes<N>*> ring(kRing);
  GortRounds(
      state, kRing, 1,
      [&] {
        for (auto& p : ring) p = gort::New<Bytes<N>>();
      },
      [&](std::int64_t n) {
        for (std::int64_t i = 0; i < n; i++) {
          Bytes<N>* p = gort::New<Bytes<N>>();
          (*p)[0] = static_cast<std::uint8_t>(i);
          ring[i & (kRing - 1)] = p;
        }
      });
}
void BM_Ring16(benchmark::State& state) { BM_Ring<16>(state); }
void BM_Ring64(benchmark::State& state) { BM_Ring<64>(state); }
BENCHMARK(BM_Ring16)->UseRealTime();
BENCHMARK(BM_Ring64)->UseRealTime();

void BM_Large64K(benchmark::State& state) {
  std::vector<void*> ring(kLargeRing);
  const gort::rt::Type* t = gort::rt::TypeOf<std::uint8_t>();
  GortRounds(
      state, 1024, 1, [] {},
      [&](std::int64_t n) {
        for (std::int64_t i = 0; i < n; i++) {
          auto* p = static_cast<std::uint8_t*>(gort::rt::mallocgc(kLarge, t, true));
          p[0] = 1;
          ring[i & (kLargeRing - 1)] = p;
        }
      });
}
BENCHMARK(BM_Large64K)->UseRealTime();

// Two Ps allocating at once, each into its own ring (16-byte objects).
void BM_Ring16TwoPs(benchmark::State& state) {
  std::vector<Bytes<16>*> rings[2] = {std::vector<Bytes<16>*>(kRing / 2),
                                      std::vector<Bytes<16>*>(kRing / 2)};
  GortRounds(
      state, kRing, 2, [] {},
      [&](std::int64_t n) {
        std::atomic<int> done{0};
        for (int w = 0; w < 2; w++) {
          gort::go([&, w] {
            auto& ring = rings[w];
            for (std::int64_t i = 0; i < n / 2; i++) {
              Bytes<16>* p = gort::New<Bytes<16>>();
              (*p)[0] = static_cast<std::uint8_t>(i);
              ring[i & (kRing / 2 - 1)] = p;
            }
            done.fetch_add(1);
          });
        }
        while (done.load() < 2) gort::Gosched();
      });
}
BENCHMARK(BM_Ring16TwoPs)->UseRealTime();

// ---- C++ peers ---------------------------------------------------------------

struct Peer {
  void* (*alloc)(std::size_t);
  void (*release)(void*);
};

void* JeAlloc(std::size_t n);
void JeFree(void* p);
void* (*je_mallocx)(std::size_t, int) = nullptr;
void (*je_dallocx)(void*, int) = nullptr;
void* JeAlloc(std::size_t n) { return je_mallocx(n, 0); }
void JeFree(void* p) { je_dallocx(p, 0); }

// Returns false (and skips the benchmark) when the library is missing.
bool LoadPeer(const char* name, Peer* peer) {
  if (std::strcmp(name, "glibc") == 0) {
    *peer = {&std::malloc, &std::free};
    return true;
  }
  struct Lib {
    const char* name;
    const char* so;
    const char* alloc;
    const char* release;
  };
  static const Lib libs[] = {
      {"tcmalloc", "libtcmalloc_minimal.so.4", "tc_malloc", "tc_free"},
      {"jemalloc", "libjemalloc.so.2", "mallocx", "dallocx"},
      {"mimalloc", "libmimalloc.so.2", "mi_malloc", "mi_free"},
  };
  for (const Lib& lib : libs) {
    if (std::strcmp(lib.name, name) != 0) continue;
    void* h = dlopen(lib.so, RTLD_NOW | RTLD_LOCAL);
    if (h == nullptr) return false;
    void* a = dlsym(h, lib.alloc);
    void* r = dlsym(h, lib.release);
    if (a == nullptr || r == nullptr) return false;
    if (std::strcmp(name, "jemalloc") == 0) {
      je_mallocx = reinterpret_cast<void* (*)(std::size_t, int)>(a);
      je_dallocx = reinterpret_cast<void (*)(void*, int)>(r);
      *peer = {&JeAlloc, &JeFree};
    } else {
      *peer = {reinterpret_cast<void* (*)(std::size_t)>(a), reinterpret_cast<void (*)(void*)>(r)};
    }
    return true;
  }
  return false;
}

// One thread's ring: free the oldest, allocate (zeroed, as Go's new), touch.
void PeerRing(const Peer& peer, std::size_t size, std::vector<void*>& ring, std::int64_t n) {
  const std::int64_t mask = static_cast<std::int64_t>(ring.size()) - 1;
  for (std::int64_t i = 0; i < n; i++) {
    void*& slot = ring[i & mask];
    peer.release(slot);
    slot = peer.alloc(size);
    std::memset(slot, 0, size);
    static_cast<std::uint8_t*>(slot)[0] = static_cast<std::uint8_t>(i);
  }
}

void BM_PeerRing(benchmark::State& state, const char* name, std::size_t size, std::int64_t live,
                 int threads) {
  Peer peer;
  if (!LoadPeer(name, &peer)) {
    // jemalloc also needs GLIBC_TUNABLES=glibc.rtld.optional_static_tls=65536
    // (bench/compare.sh sets it): it uses initial-exec TLS.
    state.SkipWithError("cannot dlopen (tools/setup.sh installs it; see compare.sh)");
    return;
  }
  std::vector<std::vector<void*>> rings(threads, std::vector<void*>(live / threads));
  for (auto& ring : rings) {
    for (auto& p : ring) p = peer.alloc(size);
  }
  const std::int64_t batch = size > 32768 ? 1024 : kRing;
  while (state.KeepRunningBatch(batch)) {
    if (threads == 1) {
      PeerRing(peer, size, rings[0], batch);
    } else {
      std::vector<std::thread> ts;
      for (int t = 0; t < threads; t++) {
        ts.emplace_back([&, t] { PeerRing(peer, size, rings[t], batch / threads); });
      }
      for (auto& t : ts) t.join();
    }
  }
  for (auto& ring : rings) {
    for (void* p : ring) peer.release(p);
  }
}

#define PEER(name)                                                                   \
  BENCHMARK_CAPTURE(BM_PeerRing, Ring16_##name, #name, 16, kRing, 1)->UseRealTime(); \
  BENCHMARK_CAPTURE(BM_PeerRing, Ring64_##name, #name, 64, kRing, 1)->UseRealTime(); \
  BENCHMARK_CAPTURE(BM_PeerRing, Large64K_##name, #name, kLarge, kLargeRing, 1)      \
      ->UseRealTime();                                                               \
  BENCHMARK_CAPTURE(BM_PeerRing, Ring16TwoPs_##name, #name, 16, kRing, 2)->UseRealTime();

PEER(glibc)
PEER(tcmalloc)
PEER(jemalloc)
PEER(mimalloc)

}  // namespace

BENCHMARK_MAIN();
