// Step 4: delete and clear: mapdelete (emptyOne holes, emptyRest tails,
// clearing slots, reseeding), mapclear.
//
// Maps are made with hints big enough that nothing grows (growth is
// step 5).
//
// Provenance: facts.inc and uncaught.txt (tools/groundtruth/maps, Go 1.19);
// Go 1.19 src/runtime/map.go for the rest, named in each test.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/map.h"
#include "include/gort/rt/mapview.h"
#include "tests/02_maps/groundtruth.h"
#include "tests/02_maps/test_util.h"

namespace gort {
namespace {

using ::gort::groundtruth::Fact;
using ::gort::testing::DeterministicRuntime;
using ::gort::testing::HeapReleaser;
using ::gort::testing::I64Get;
using ::gort::testing::I64Has;
using ::gort::testing::I64Map;
using ::gort::testing::I64MapType;
using ::gort::testing::I64Put;
using ::gort::testing::KeysInBucket;
using ::gort::testing::KeySlot;
using ::gort::testing::View;
using ::testing::ElementsAre;
using rt::uintptr;

void Del(rt::hmap* h, std::int64_t k) { rt::mapdelete(I64MapType(), h, &k); }

std::vector<int> Tophash(const rt::bmap* b) {
  return {b->tophash, b->tophash + rt::bucketCnt};
}

constexpr int kFull = -1;  // stands for "some tophash >= minTopHash"

std::vector<int> States(const rt::bmap* b) {
  std::vector<int> s = Tophash(b);
  for (int& x : s) {
    if (x >= rt::minTopHash) x = kFull;
  }
  return s;
}

constexpr int R = rt::emptyRest;
constexpr int E = rt::emptyOne;
constexpr int F = kFull;

TEST(Step4_Mapdelete, RemovesTheKeyAndNothingElse) {
  HeapReleaser release;
  rt::hmap* h = rt::makemap(I64MapType(), 1000, nullptr);
  for (std::int64_t k = 0; k < 1000; ++k) I64Put(h, k, k + 1);
  for (std::int64_t k = 0; k < 1000; k += 2) Del(h, k);
  EXPECT_EQ(h->count, 500);
  for (std::int64_t k = 0; k < 1000; ++k) {
    EXPECT_EQ(I64Has(h, k), k % 2 == 1) << k;
    EXPECT_EQ(I64Get(h, k), k % 2 == 1 ? k + 1 : 0) << k;
  }
}

TEST(Step4_Mapdelete, MissingKeysAndNilMapsAreNoOps) {
  // Go: delete(m, k) of a missing key, or on a nil map, does nothing.
  HeapReleaser release;
  Del(nullptr, 1);
  rt::hmap* h = rt::makemap(I64MapType(), 0, nullptr);
  Del(h, 1);  // empty map
  I64Put(h, 1, 1);
  Del(h, 2);
  EXPECT_EQ(h->count, 1);
  I64Map nil;
  delete_(nil, 5);
  EXPECT_EQ(nil.len(), 0);
}

TEST(Step4_Mapdelete, HolesAreEmptyOneAndEmptyTailsBecomeEmptyRest) {
  // map.go mapdelete: the deleted slot becomes emptyOne; if nothing
  // follows it, it and the emptyOne slots right before it become emptyRest.
  DeterministicRuntime fixed(11);
  HeapReleaser release;
  const rt::maptype* t = I64MapType();
  rt::hmap* h = rt::makemap(t, 104, nullptr);  // B = 4
  const std::vector<std::int64_t> k = KeysInBucket(t, h, 3, 5);
  for (std::int64_t key : k) I64Put(h, key, key);
  const rt::bmap* b = rt::ViewMap(t, h).buckets[3].chain[0];
  EXPECT_THAT(States(b), ElementsAre(F, F, F, F, F, R, R, R));
  Del(h, k[2]);
  EXPECT_THAT(States(b), ElementsAre(F, F, E, F, F, R, R, R));
  Del(h, k[3]);
  EXPECT_THAT(States(b), ElementsAre(F, F, E, E, F, R, R, R));
  Del(h, k[4]);  // the tail: 4, 3 and 2 all become emptyRest
  EXPECT_THAT(States(b), ElementsAre(F, F, R, R, R, R, R, R));
  Del(h, k[0]);
  EXPECT_THAT(States(b), ElementsAre(E, F, R, R, R, R, R, R));
  Del(h, k[1]);
  EXPECT_THAT(States(b), ElementsAre(R, R, R, R, R, R, R, R));
  EXPECT_EQ(h->count, 0);
}

TEST(Step4_Mapdelete, EmptyRestWalksBackThroughTheChain) {
  // A chain of 8 + 2: emptying the overflow bucket turns its slots into
  // emptyRest, then the walk goes back to the previous bucket's last slot
  // (full here, so it stops). Deleting that slot later sees the overflow
  // bucket starts with emptyRest and marks it emptyRest too.
  DeterministicRuntime fixed(12);
  HeapReleaser release;
  const rt::maptype* t = I64MapType();
  rt::hmap* h = rt::makemap(t, 104, nullptr);
  const std::vector<std::int64_t> k = KeysInBucket(t, h, 5, 10);
  for (std::int64_t key : k) I64Put(h, key, key);
  const rt::MapView v = rt::ViewMap(t, h);
  ASSERT_EQ(v.buckets[5].chain.size(), 2u);
  const rt::bmap* first = v.buckets[5].chain[0];
  const rt::bmap* second = v.buckets[5].chain[1];
  EXPECT_THAT(States(second), ElementsAre(F, F, R, R, R, R, R, R));
  Del(h, k[8]);
  EXPECT_THAT(States(second), ElementsAre(E, F, R, R, R, R, R, R));
  Del(h, k[9]);
  EXPECT_THAT(States(second), ElementsAre(R, R, R, R, R, R, R, R));
  EXPECT_THAT(States(first), ElementsAre(F, F, F, F, F, F, F, F));
  Del(h, k[7]);
  EXPECT_THAT(States(first), ElementsAre(F, F, F, F, F, F, F, R));
  Del(h, k[5]);
  EXPECT_THAT(States(first), ElementsAre(F, F, F, F, F, E, F, R));
  Del(h, k[6]);
  EXPECT_THAT(States(first), ElementsAre(F, F, F, F, F, R, R, R));
  for (std::size_t i = 0; i < 5; ++i) EXPECT_TRUE(I64Has(h, k[i]));
}

TEST(Step4_Mapdelete, ClearsTheValueSoTheSlotStartsFromZero) {
  // map.go clears the elem on delete: Go compiles m[k] += v to
  // *mapassign(m, k) += v, which adds to whatever the reused slot holds.
  DeterministicRuntime fixed(13);
  HeapReleaser release;
  I64Map m = make_map<std::int64_t, std::int64_t>(100);
  m[7] = 5;
  delete_(m, 7);
  m[7] += 1;
  EXPECT_EQ(m.get(7), 1);
}

TEST(Step4_Mapdelete, ReleasesWhatStringKeysAndValuesOwn) {
  // Go clears deleted keys and elems that hold pointers, for the GC; gort
  // resets them to "" so the strings free their memory at once (and the
  // invariant "every slot holds a constructed value" keeps holding).
  DeterministicRuntime fixed(14);
  HeapReleaser release;
  Map<std::string, std::string> m = make_map<std::string, std::string>(100);
  const std::string key(64, 'k');
  m[key] = std::string(64, 'v');
  const rt::maptype* t = Map<std::string, std::string>::type();
  const uintptr b = testing::BucketOf(t, m.header(), key);
  const rt::bmap* bucket = View(m).buckets[b].chain[0];
  ASSERT_EQ(*static_cast<const std::string*>(KeySlot(t, bucket, 0)), key);
  delete_(m, key);
  EXPECT_EQ(*static_cast<const std::string*>(KeySlot(t, bucket, 0)), "");
  EXPECT_EQ(*static_cast<const std::string*>(testing::ElemSlot(t, bucket, 0)), "");
  EXPECT_EQ(m.len(), 0);
}

TEST(Step4_Mapdelete, AnEmptiedMapGetsANewSeed) {
  // map.go (Go issue 25237): when the last key goes, hash0 is drawn again,
  // so colliding keys an attacker found stop colliding.
  DeterministicRuntime fixed(15);
  HeapReleaser release;
  rt::hmap* h = rt::makemap(I64MapType(), 0, nullptr);
  I64Put(h, 1, 1);
  I64Put(h, 2, 2);
  const std::uint32_t seed = h->hash0;
  Del(h, 1);
  EXPECT_EQ(h->hash0, seed) << "not empty yet";
  Del(h, 2);
  EXPECT_NE(h->hash0, seed);
}

TEST(Step4_Mapdelete, NaNKeysCannotBeDeleted) {
  // facts.inc: delete(m, NaN) finds nothing: len stays 3
  // (nan_len_after_delete).
  HeapReleaser release;
  Map<double, int> m = make_map<double, int>(16);
  const double nan = std::nan("");
  m[nan] = 1;
  m[nan] = 2;
  m[nan] = 3;
  delete_(m, nan);
  EXPECT_EQ(m.len(), Fact("nan_len_after_delete"));
}

TEST(Step4_MapdeleteDeathTest, DeleteDuringAWriteIsFatal) {
  // uncaught.txt case concurrent_map_writes: a delete is a write too.
  // Simulated with the hashWriting flag set by hand.
  EXPECT_EXIT(
      {
        rt::hmap* h = rt::makemap(I64MapType(), 0, nullptr);
        I64Put(h, 1, 1);
        h->flags |= rt::hashWriting;
        Del(h, 1);
      },
      ::testing::ExitedWithCode(2), "fatal error: concurrent map writes");
}

TEST(Step4_Mapclear, EmptiesTheMapAndKeepsItsBuckets) {
  // facts.inc: emptying a 1000-key map[int64]int64 with the range-delete
  // loop (which Go 1.19 compiles to mapclear) leaves B at 8
  // (range_delete_all_1000_B_before/after) and len 0.
  DeterministicRuntime fixed(16);
  HeapReleaser release;
  I64Map m = make_map<std::int64_t, std::int64_t>(1000);
  for (std::int64_t k = 0; k < 1000; ++k) m[k] = k;
  const rt::MapView before = View(m);
  EXPECT_EQ(before.B, Fact("range_delete_all_1000_B_before"));
  void* const buckets = m.header()->buckets;
  const std::uint32_t seed = m.header()->hash0;
  clear(m);
  const rt::MapView after = View(m);
  EXPECT_EQ(m.len(), Fact("range_delete_all_1000_len_after"));
  EXPECT_EQ(after.B, Fact("range_delete_all_1000_B_after"));
  EXPECT_EQ(m.header()->buckets, buckets);
  EXPECT_NE(m.header()->hash0, seed);
  EXPECT_EQ(after.noverflow, 0);
  EXPECT_EQ(after.OverflowBucketsInUse(), 0);
  // The spare overflow buckets are all available again.
  EXPECT_EQ(after.spareOverflow, before.spareOverflow + before.noverflow);
  for (std::int64_t k = 0; k < 1000; ++k) ASSERT_FALSE(m.lookup(k).second) << k;
  m[5] = 6;
  EXPECT_EQ(m.get(5), 6);
  EXPECT_EQ(m.len(), 1);
}

TEST(Step4_Mapclear, RemovesNaNKeysAndStrings) {
  // mapclear empties whatever is there, NaN keys included (Go 1.21's
  // clear(m)); compare Step6_Iteration.RangeDeleteLoopCannotRemoveNaNs.
  HeapReleaser release;
  Map<double, std::string> m = make_map<double, std::string>(16);
  const double nan = std::nan("");
  m[nan] = std::string(50, 'a');
  m[nan] = std::string(50, 'b');
  m[1.5] = std::string(50, 'c');
  clear(m);
  EXPECT_EQ(m.len(), 0);
  EXPECT_EQ(m.get(1.5), "");
  clear(m);  // an empty map: nothing to do
  Map<double, std::string> nil;
  clear(nil);
}

TEST(Step4_MapclearDeathTest, ClearDuringAWriteIsFatal) {
  EXPECT_EXIT(
      {
        rt::hmap* h = rt::makemap(I64MapType(), 0, nullptr);
        I64Put(h, 1, 1);
        h->flags |= rt::hashWriting;
        rt::mapclear(I64MapType(), h);
      },
      ::testing::ExitedWithCode(2), "fatal error: concurrent map writes");
}

}  // namespace
}  // namespace gort
