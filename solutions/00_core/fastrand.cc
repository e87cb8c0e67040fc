// fastrand: wyrand generators, one per thread, all derived from one seed.
//
// Mirrors Go 1.19 src/runtime/stubs.go fastrand (wyrand on 64-bit
// platforms). Go keeps the state in the M; an M is an OS thread, so a
// thread_local state is the same thing. A generation counter lets
// SetFastrandSeed restart every thread's state lazily.
#include "include/gort/rt/fastrand.h"

#include <atomic>
#include <chrono>
#include <cstdint>

namespace gort::rt {
namespace {

std::atomic<std::uint64_t> g_seed{0};
std::atomic<std::uint64_t> g_generation{1};
std::atomic<std::uint64_t> g_thread_counter{0};

struct ThreadState {
  std::uint64_t state = 0;
  std::uint64_t generation = 0;
};

thread_local ThreadState t_rand;

std::uint64_t Mix(std::uint64_t a, std::uint64_t b) {
  const unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
  return static_cast<std::uint64_t>(r >> 64) ^ static_cast<std::uint64_t>(r);
}

std::uint64_t RandomSeed() {
  static int anchor;
  return static_cast<std::uint64_t>(
             std::chrono::steady_clock::now().time_since_epoch().count()) ^
         reinterpret_cast<std::uintptr_t>(&anchor) ^ 0x9e3779b97f4a7c15ull;
}

ThreadState& State() {
  const std::uint64_t gen = g_generation.load(std::memory_order_acquire);
  if (t_rand.generation != gen) {
    std::uint64_t seed = g_seed.load(std::memory_order_relaxed);
    if (seed == 0) {
      std::uint64_t expected = 0;
      seed = RandomSeed();
      if (!g_seed.compare_exchange_strong(expected, seed)) seed = expected;
    }
    // Threads get distinct streams in the order they first ask.
    const std::uint64_t index = g_thread_counter.fetch_add(1, std::memory_order_relaxed);
    t_rand.state = Mix(seed ^ 0xa0761d6478bd642full, index + 1);
    t_rand.generation = gen;
  }
  return t_rand;
}

}  // namespace

std::uint64_t fastrand64() {
  ThreadState& t = State();
  t.state += 0xa0761d6478bd642full;
  return Mix(t.state, t.state ^ 0xe7037ed1a0b428dbull);
}

std::uint32_t fastrand() { return static_cast<std::uint32_t>(fastrand64()); }

void SetFastrandSeed(std::uint64_t seed) {
  g_seed.store(seed, std::memory_order_relaxed);
  g_thread_counter.store(0, std::memory_order_relaxed);
  g_generation.fetch_add(1, std::memory_order_release);
}

}  // namespace gort::rt
