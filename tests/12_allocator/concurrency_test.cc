// Allocation from two Ps at once: each P allocates from its own mcache
// without a lock; only refills meet in the mcentrals and the heap. Run
// under ThreadSanitizer too (bazel test --config=tsan).
#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "include/gort/go.h"
#include "include/gort/gort.h"
#include "include/gort/memory.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/mheap.h"
#include "include/gort/rt/runtime2.h"
#include "tests/04_scheduler/program.h"
#include "tests/12_allocator/alloc_test_util.h"

namespace gort::testing {
namespace {

using rt::uintptr;

TEST(Step6_TwoPs, MillionsOfAllocationsFromTwoPsStayDisjoint) {
  // Under TSan every goroutine switch creates a fiber (expensive): fewer
  // allocations, still far more than one span's worth per P.
  const int per = UnderTsan() ? 50'000 : UnderSanitizer() ? 200'000 : 1'500'000;
  ExpectProgram(
      [per] {
        std::atomic<int> done{0};
        std::atomic<int> started{0};
        std::atomic<bool> bad{false};
        std::atomic<rt::mcache*> caches[2] = {nullptr, nullptr};
        gort::MemStats before;
        gort::ReadMemStats(&before);
        for (int w = 0; w < 2; w++) {
          gort::go([&, w] {
            std::vector<std::uint64_t*> mine;
            mine.reserve(per / 16 + 1);
            // Start together (yielding: pinning a spinning goroutine could
            // starve the other one of a P when nothing preempts, as under
            // TSan).
            started.fetch_add(1);
            while (started.load() < 2) gort::Gosched();
            rt::m* mp = rt::acquirem();
            caches[w].store(mp->p_->mcache_);
            rt::releasem(mp);
            for (int i = 0; i < per; i++) {
              auto* p = static_cast<std::uint64_t*>(
                  rt::mallocgc(16, rt::TypeOf<void*>(), /*needzero=*/true));
              if (p[0] != 0 || p[1] != 0) bad.store(true);
              p[0] = static_cast<std::uint64_t>(w) + 1;
              p[1] = static_cast<std::uint64_t>(i);
              if (i % 16 == 0) mine.push_back(p);
              if (i % 4096 == 0) gort::Gosched();
            }
            // Nobody else wrote into our objects.
            for (std::size_t k = 0; k < mine.size(); k++) {
              if (mine[k][0] != static_cast<std::uint64_t>(w) + 1 ||
                  mine[k][1] != static_cast<std::uint64_t>(k * 16)) {
                bad.store(true);
              }
            }
            done.fetch_add(1);
          });
        }
        // Sleep rather than yield, so the idle P steals the second goroutine.
        while (done.load() < 2) gort::Sleep(absl::Milliseconds(5));
        gort::MemStats after;
        gort::ReadMemStats(&after);
        EXPECT_FALSE(bad.load());
        // Plus the two goroutines' closures (go() allocates them on the heap).
        EXPECT_GE(after.Mallocs - before.Mallocs, 2u * per);
        EXPECT_LE(after.Mallocs - before.Mallocs, 2u * per + 2);
        EXPECT_GE(after.HeapAlloc - before.HeapAlloc, 2u * per * 16);
        EXPECT_LE(after.HeapAlloc - before.HeapAlloc, 2u * per * 16 + 2 * 1024);
        // Each allocated from a P's cache (the two usually differ; the
        // scheduler does not promise it).
        EXPECT_NE(caches[0].load(), nullptr);
        EXPECT_NE(caches[1].load(), nullptr);
      },
      Options{.gomaxprocs = 2});
}

TEST(Step6_TwoPs, EveryPHasItsOwnMcache) {
  ExpectProgram(
      [] {
        rt::lock(&rt::sched.lock);
        std::vector<rt::mcache*> caches;
        for (rt::p* pp : rt::allp) caches.push_back(pp->mcache_);
        rt::unlock(&rt::sched.lock);
        ASSERT_EQ(caches.size(), 2u);
        EXPECT_NE(caches[0], nullptr);
        EXPECT_NE(caches[1], nullptr);
        EXPECT_NE(caches[0], caches[1]);
        // A small allocation lands in a span our P's mcache now caches.
        rt::m* mp = rt::acquirem();
        rt::mcache* mine = mp->p_->mcache_;
        void* x = rt::mallocgc(64, rt::TypeOf<void*>(), true);
        rt::mspan* s = rt::spanOf(reinterpret_cast<uintptr>(x));
        EXPECT_EQ(mine->alloc[rt::makeSpanClass(rt::sizeToClass(64), false).value], s);
        EXPECT_EQ(s->sweepgen, rt::mheap_.sweepgen + 3);  // cached
        rt::releasem(mp);
      },
      Options{.gomaxprocs = 2});
}

// Nothing leaks across runs: every run starts from an empty heap and the
// arenas go back to the OS at the end.
TEST(Step6_TwoPs, RepeatedRunsReuseTheSameHeap) {
  uintptr first_base = 0;
  for (int run = 0; run < 20; run++) {
    uintptr base = 0;
    gort::Run(
        [&] {
          for (int i = 0; i < (UnderTsan() ? 2000 : 20000); i++) gort::New<std::array<std::int64_t, 8>>();
          base = rt::mheap_.allArenas.empty() ? 0 : rt::mheap_.allArenas[0];
        },
        Options{.gomaxprocs = 2});
    ASSERT_EQ(rt::HeapBytesInUse(), 0u);
    if (run == 0) first_base = base;
    if (!UnderSanitizer()) {
      ASSERT_EQ(base, first_base) << "run " << run;
    }
  }
}

}  // namespace
}  // namespace gort::testing
