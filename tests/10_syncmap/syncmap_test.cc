// Steps 2-5: sync.Map's Load/Store with promotion (step 2), LoadOrStore /
// LoadAndDelete / Delete (step 3), Range (step 4), and many goroutines at
// once (step 5). Mirrors Go 1.19 src/sync/map.go; test ideas from
// src/sync/map_test.go (the quick-check against a mutex-protected map,
// TestConcurrentRange). The internal-state traces are real Go 1.19's,
// recorded by tools/groundtruth/syncmap/regen.sh (syncmap.txt).
#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/sync.h"
#include "include/gort/syncmap.h"
#include "tests/04_scheduler/program.h"

namespace gort {
namespace {

using ::gort::testing::ExpectProgram;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::Pair;

using IntMap = sync::Map<int, int>;

const char* Bool(bool b) { return b ? "true" : "false"; }

// The same text as state() in tools/groundtruth/syncmap/main.go.
std::string State(IntMap& m) {
  sync::MapStats s = m.Stats();
  return absl::StrFormat("read=%d dirty=%s amended=%s misses=%d", s.readLen,
                         s.dirtyNil ? "nil" : absl::StrCat(s.dirtyLen), Bool(s.amended),
                         s.misses);
}

// The same text as key() in tools/groundtruth/syncmap/main.go.
std::string Key(IntMap& m, int k) {
  sync::KeyStats s = m.StatsOf(k);
  const char* st = "absent";
  switch (s.state) {
    case sync::EntryState::kAbsent: break;
    case sync::EntryState::kLive: st = "live"; break;
    case sync::EntryState::kDeleted: st = "deleted"; break;
    case sync::EntryState::kExpunged: st = "expunged"; break;
  }
  return absl::StrFormat("key %d: read=%s dirty=%s %s", k, Bool(s.inRead), Bool(s.inDirty), st);
}

// ---- Step 2: Load, Store, missLocked, dirtyLocked --------------------------

TEST(Step2_LoadStore, ZeroMapIsEmpty) {
  ExpectProgram([] {
    IntMap m;
    EXPECT_THAT(m.Load(1), Pair(0, false));
    EXPECT_EQ(State(m), "read=0 dirty=nil amended=false misses=0");
  });
}

TEST(Step2_LoadStore, StoreThenLoadAndOverwrite) {
  ExpectProgram([] {
    sync::Map<std::string, std::string> m;
    m.Store("go", "1.19");
    EXPECT_THAT(m.Load("go"), Pair("1.19", true));
    m.Store("go", "1.20");
    EXPECT_THAT(m.Load("go"), Pair("1.20", true));
    EXPECT_THAT(m.Load("c++"), Pair("", false));
  });
}

// syncmap.txt, "promotion": new keys go to dirty and amend read; each Load
// that misses read counts, and the len(dirty)-th miss promotes dirty to
// read in one step.
TEST(Step2_LoadStore, PromotionHappensExactlyAfterLenDirtyMisses) {
  ExpectProgram([] {
    IntMap m;
    std::vector<std::string> trace;
    for (int i = 1; i <= 3; i++) {
      m.Store(i, i * 10);
      trace.push_back(absl::StrFormat("store %d: %s", i, State(m)));
    }
    for (int i = 1; i <= 3; i++) {
      m.Load(100 + i);
      trace.push_back(absl::StrFormat("load miss %d: %s", 100 + i, State(m)));
    }
    m.Load(1);
    trace.push_back("load hit 1: " + State(m));
    EXPECT_THAT(trace, ElementsAre("store 1: read=0 dirty=1 amended=true misses=0",
                                   "store 2: read=0 dirty=2 amended=true misses=0",
                                   "store 3: read=0 dirty=3 amended=true misses=0",
                                   "load miss 101: read=0 dirty=3 amended=true misses=1",
                                   "load miss 102: read=0 dirty=3 amended=true misses=2",
                                   "load miss 103: read=3 dirty=nil amended=false misses=0",
                                   "load hit 1: read=3 dirty=nil amended=false misses=0"));
  });
}

TEST(Step2_LoadStore, LoadOfAKeyOnlyInDirtyCountsAMiss) {
  ExpectProgram([] {
    IntMap m;
    m.Store(1, 10);
    m.Store(2, 20);
    EXPECT_THAT(m.Load(2), Pair(20, true));
    EXPECT_EQ(State(m), "read=0 dirty=2 amended=true misses=1");
    EXPECT_THAT(m.Load(1), Pair(10, true));  // second miss of two: promote
    EXPECT_EQ(State(m), "read=2 dirty=nil amended=false misses=0");
  });
}

TEST(Step2_LoadStore, StoreOfAKeyInReadChangesNeitherDirtyNorMisses) {
  ExpectProgram([] {
    IntMap m;
    m.Store(1, 10);
    m.Load(1);  // promote
    m.Store(1, 11);
    EXPECT_EQ(State(m), "read=1 dirty=nil amended=false misses=0");
    EXPECT_THAT(m.Load(1), Pair(11, true));
  });
}

// The fast paths take no lock: with mu held by this very goroutine, a Load
// or Store that tried to lock would deadlock the program (and fail the
// test); hits on read must go through.
TEST(Step2_LoadStore, LoadAndStoreOfAKeyInReadTakeNoLock) {
  ExpectProgram([] {
    IntMap m;
    m.Store(1, 10);
    m.Load(1);  // promote: 1 is in read
    m.raw()->mu.Lock();
    EXPECT_THAT(m.Load(1), Pair(10, true));
    m.Store(1, 11);
    EXPECT_THAT(m.Load(1), Pair(11, true));
    m.Delete(1);  // soft delete: a CAS to nil
    EXPECT_THAT(m.Load(1), Pair(0, false));
    m.raw()->mu.Unlock();
  });
}

// Walks the map of syncmap.txt to the state after "load hit 1".
void Promoted123(IntMap& m) {
  for (int i = 1; i <= 3; i++) m.Store(i, i * 10);
  for (int i = 1; i <= 3; i++) m.Load(100 + i);
}

// syncmap.txt, "delete in read, then a new key".
TEST(Step2_LoadStore, FirstNewKeyAfterPromotionCopiesReadAndExpungesDeleted) {
  ExpectProgram([] {
    IntMap m;
    Promoted123(m);
    m.Delete(2);
    EXPECT_EQ(State(m), "read=3 dirty=nil amended=false misses=0");
    EXPECT_EQ(Key(m, 2), "key 2: read=true dirty=false deleted");
    m.Store(4, 40);
    EXPECT_EQ(State(m), "read=3 dirty=3 amended=true misses=0");
    EXPECT_EQ(Key(m, 2), "key 2: read=true dirty=false expunged");
    EXPECT_EQ(Key(m, 1), "key 1: read=true dirty=true live");
    EXPECT_THAT(m.Load(2), Pair(0, false));
  });
}

TEST(Step2_LoadStore, StoreToAnExpungedKeyPutsItBackIntoDirty) {
  ExpectProgram([] {
    IntMap m;
    Promoted123(m);
    m.Delete(2);
    m.Store(4, 40);
    m.Store(2, 21);
    EXPECT_EQ(State(m), "read=3 dirty=4 amended=true misses=0");
    EXPECT_EQ(Key(m, 2), "key 2: read=true dirty=true live");
    EXPECT_THAT(m.Load(2), Pair(21, true));
  });
}

// Without unexpungeLocked's dirty insert, the key would vanish at the next
// promotion: dirty (which becomes read) would not have it.
TEST(Step2_LoadStore, RevivedExpungedKeySurvivesThePromotion) {
  ExpectProgram([] {
    IntMap m;
    Promoted123(m);
    m.Delete(2);
    m.Store(4, 40);
    m.Store(2, 21);
    for (int i = 0; i < 4; i++) m.Load(200 + i);
    EXPECT_EQ(State(m), "read=4 dirty=nil amended=false misses=0");
    EXPECT_THAT(m.Load(2), Pair(21, true));
    EXPECT_THAT(m.Load(4), Pair(40, true));
  });
}

// ---- Step 3: LoadOrStore, LoadAndDelete, Delete ----------------------------

TEST(Step3_LoadOrStore, StoresWhenMissingAndLoadsWhenPresent) {
  ExpectProgram([] {
    IntMap m;
    EXPECT_THAT(m.LoadOrStore(1, 10), Pair(10, false));
    EXPECT_THAT(m.LoadOrStore(1, 11), Pair(10, true));
    EXPECT_THAT(m.Load(1), Pair(10, true));
  });
}

// syncmap.txt, "LoadOrStore of a dirty-only key counts a miss".
TEST(Step3_LoadOrStore, KeyOnlyInDirtyCountsAMiss) {
  ExpectProgram([] {
    IntMap m;
    Promoted123(m);
    m.Delete(2);
    m.Store(4, 40);
    m.Store(2, 21);
    EXPECT_THAT(m.LoadOrStore(4, 41), Pair(40, true));
    EXPECT_EQ(State(m), "read=3 dirty=4 amended=true misses=1");
  });
}

TEST(Step3_LoadOrStore, RevivesSoftDeletedAndExpungedKeys) {
  ExpectProgram([] {
    IntMap m;
    Promoted123(m);
    m.Delete(1);
    EXPECT_THAT(m.LoadOrStore(1, 11), Pair(11, false));  // nil -> live in read
    EXPECT_EQ(Key(m, 1), "key 1: read=true dirty=false live");
    m.Delete(2);
    m.Store(4, 40);  // expunges 2
    EXPECT_THAT(m.LoadOrStore(2, 22), Pair(22, false));
    EXPECT_EQ(Key(m, 2), "key 2: read=true dirty=true live");
  });
}

// syncmap.txt: "delete 3", "range saw 3", "loadanddelete 4".
TEST(Step3_Delete, DeleteInReadIsSoftAndDeleteOnlyInDirtyIsHard) {
  ExpectProgram([] {
    IntMap m;
    Promoted123(m);
    m.Delete(2);
    m.Store(4, 40);
    m.Store(2, 21);
    m.Delete(3);  // in read: soft
    EXPECT_EQ(State(m), "read=3 dirty=4 amended=true misses=0");
    EXPECT_EQ(Key(m, 3), "key 3: read=true dirty=true deleted");
    m.Store(5, 50);
    m.Delete(5);  // only in dirty: removed from dirty, one miss
    EXPECT_EQ(State(m), "read=3 dirty=4 amended=true misses=1");
    EXPECT_EQ(Key(m, 5), "key 5: read=false dirty=false absent");
  });
}

TEST(Step3_Delete, LoadAndDeleteReturnsTheValueOnce) {
  ExpectProgram([] {
    IntMap m;
    m.Store(4, 40);
    m.Load(4);  // promote
    EXPECT_THAT(m.LoadAndDelete(4), Pair(40, true));
    EXPECT_EQ(Key(m, 4), "key 4: read=true dirty=false deleted");
    EXPECT_THAT(m.LoadAndDelete(4), Pair(0, false));
    EXPECT_THAT(m.Load(4), Pair(0, false));
    m.Delete(99);  // missing: no-op
    EXPECT_EQ(State(m), "read=1 dirty=nil amended=false misses=0");
  });
}

// ---- Step 4: Range ---------------------------------------------------------

// syncmap.txt, "Range promotes": range saw 3 (2 live + revived 2 + 4; 3 is
// deleted), and afterwards dirty is nil, read holds all four keys.
TEST(Step4_Range, RangePromotesDirtyAndSkipsDeletedEntries) {
  ExpectProgram([] {
    IntMap m;
    Promoted123(m);
    m.Delete(2);
    m.Store(4, 40);
    m.Store(2, 21);
    m.LoadOrStore(4, 41);
    m.Delete(3);
    std::map<int, int> seen;
    m.Range([&](const int& k, const int& v) {
      seen[k] = v;
      return true;
    });
    EXPECT_THAT(seen, ElementsAre(Pair(1, 10), Pair(2, 21), Pair(4, 40)));
    EXPECT_EQ(State(m), "read=4 dirty=nil amended=false misses=0");
    EXPECT_EQ(Key(m, 3), "key 3: read=true dirty=false deleted");
  });
}

TEST(Step4_Range, StopsWhenFReturnsFalse) {
  ExpectProgram([] {
    IntMap m;
    for (int i = 0; i < 10; i++) m.Store(i, i);
    int calls = 0;
    m.Range([&](const int&, const int&) { return ++calls < 3; });
    EXPECT_EQ(calls, 3);
  });
}

TEST(Step4_Range, FMayCallTheMapAndSeesEachKeyOnce) {
  ExpectProgram([] {
    IntMap m;
    for (int i = 0; i < 20; i++) m.Store(i, i);
    std::map<int, int> seen;
    m.Range([&](const int& k, const int& v) {
      seen[k]++;
      m.Store(k + 100, v);  // new keys: may or may not be visited
      m.Delete(k);
      return true;
    });
    for (int i = 0; i < 20; i++) EXPECT_EQ(seen[i], 1) << i;
    for (const auto& [k, n] : seen) EXPECT_EQ(n, 1) << k;
    for (int i = 0; i < 20; i++) EXPECT_THAT(m.Load(i + 100), Pair(i, true));
  });
}

// The notes' example (seed 001) and its output; syncmap.txt, last section
// (Go's Range order is random, so both sides sort the Range lines).
TEST(Step4_Range, NotesExamplePrintsTheNotesOutput) {
  ExpectProgram([] {
    sync::Map<int, std::string> sm;
    std::vector<std::string> out;
    sm.Store(1, "a");
    if (auto [v, ok] = sm.Load(1); ok) out.push_back(v);
    if (auto [vv, ok] = sm.LoadOrStore(1, "c"); ok) out.push_back(vv);
    if (auto [vv, ok] = sm.LoadOrStore(2, "c"); !ok) out.push_back(vv);
    std::vector<std::string> lines;
    sm.Range([&](const int& k, const std::string& v) {
      lines.push_back(absl::StrCat(k, ":", v));
      return true;
    });
    std::sort(lines.begin(), lines.end());
    out.insert(out.end(), lines.begin(), lines.end());
    EXPECT_THAT(out, ElementsAre("a", "a", "c", "1:a", "2:c"));
  });
}

// ---- Step 5: many goroutines -----------------------------------------------

// Go's map_test.go checks sync.Map against a mutex-protected map. Here
// goroutines on 2 Ps each run a random op sequence on their own keys
// (so each one's expected results are exact) against a reference
// std::map, while also hammering a shared key range with Loads,
// LoadOrStores and Ranges; at the end the whole content must match.
TEST(Step5_Concurrent, MatchesAMutexProtectedMapUnderManyGoroutines) {
  ExpectProgram(
      [] {
        constexpr int kG = 8, kOps = 3000, kKeys = 16;
        IntMap m;
        sync::Mutex mu;
        std::map<int, int> all;  // the mutex-protected reference (final contents)
        std::atomic<int> failures{0};
        sync::WaitGroup wg;
        for (int g = 0; g < kG; g++) {
          wg.Add(1);
          go([&, g] {
            std::uint32_t rnd = 2654435761u * (g + 1);
            auto next = [&rnd] { return rnd = rnd * 1664525u + 1013904223u, rnd >> 8; };
            std::map<int, int> ref;
            for (int i = 0; i < kOps; i++) {
              int k = g * 1000 + static_cast<int>(next() % kKeys);
              int v = static_cast<int>(next() % 1000);
              auto it = ref.find(k);
              bool has = it != ref.end();
              int old = has ? it->second : 0;
              switch (next() % 6) {
                case 0: {
                  if (m.Load(k) != std::pair<int, bool>(old, has)) failures++;
                  break;
                }
                case 1:
                  m.Store(k, v);
                  ref[k] = v;
                  break;
                case 2: {
                  auto r = m.LoadOrStore(k, v);
                  if (r != std::pair<int, bool>(has ? old : v, has)) failures++;
                  if (!has) ref[k] = v;
                  break;
                }
                case 3: {
                  if (m.LoadAndDelete(k) != std::pair<int, bool>(old, has)) failures++;
                  ref.erase(k);
                  break;
                }
                case 4:
                  m.Delete(k);
                  ref.erase(k);
                  break;
                case 5: {
                  // Shared traffic: keys of others, read-only, plus a Range.
                  m.Load(static_cast<int>(next() % (kG * 1000)));
                  if (i % 500 == 0) {
                    m.Range([&](const int& key, const int&) { return key >= 0; });
                  }
                  break;
                }
              }
              if (i % 64 == 0) Gosched();
            }
            mu.Lock();
            all.insert(ref.begin(), ref.end());
            mu.Unlock();
            wg.Done();
          });
        }
        wg.Wait();
        EXPECT_EQ(failures.load(), 0);
        std::map<int, int> got;
        m.Range([&](const int& k, const int& v) {
          got[k] = v;
          return true;
        });
        EXPECT_THAT(got, ElementsAreArray(all));
      },
      {.gomaxprocs = 2});
}

// Many goroutines race LoadOrStore on the same fresh keys: for each key
// exactly one stores, and everyone gets that one's value.
TEST(Step5_Concurrent, LoadOrStoreHasExactlyOneWinnerPerKey) {
  ExpectProgram(
      [] {
        constexpr int kG = 8, kKeys = 200;
        IntMap m;
        std::atomic<int> stores{0};
        std::atomic<int> mismatches{0};
        sync::WaitGroup wg;
        for (int g = 0; g < kG; g++) {
          wg.Add(1);
          go([&, g] {
            for (int k = 0; k < kKeys; k++) {
              auto [actual, loaded] = m.LoadOrStore(k, g);
              if (!loaded) stores++;
              if (m.Load(k) != std::pair<int, bool>(actual, true)) mismatches++;
              if (k % 16 == 0) Gosched();
            }
            wg.Done();
          });
        }
        wg.Wait();
        EXPECT_EQ(stores.load(), kKeys);
        EXPECT_EQ(mismatches.load(), 0);
      },
      {.gomaxprocs = 2});
}

}  // namespace
}  // namespace gort
