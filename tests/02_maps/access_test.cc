// Step 2: lookup: mapaccess1, mapaccess2, the _fat variants, mapaccessK.
//
// mapassign is step 3, so these tests build their maps by hand
// (testing::PlaceKey writes tophash, key and elem into the first free slot
// of the key's chain), which also lets them set up states on purpose: long
// chains, a misplaced emptyRest, a half-done growth.
//
// Provenance: facts.inc (tools/groundtruth/maps, Go 1.19) for nil-map and
// NaN/zero-key behaviour; Go 1.19 src/runtime/map.go for the rest, named
// in each test.
#include <array>
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
using ::gort::testing::I64Map;
using ::gort::testing::I64Get;
using ::gort::testing::I64Has;
using ::gort::testing::I64MapType;
using ::gort::testing::I64Put;
using ::gort::testing::KeysInBucket;
using ::gort::testing::Load;
using ::gort::testing::PlaceKey;
using rt::uintptr;



TEST(Step2_Mapaccess, NilAndEmptyMapsReadZero) {
  // facts.inc: in Go 1.19 reading a nil map gives 0 (nil_read_value) and
  // ok = false (nil_lookup_ok). mapaccess1 never returns null: missing
  // keys read the shared zero block (map.go zeroVal).
  HeapReleaser release;
  const rt::maptype* t = I64MapType();
  const std::int64_t k = 7;
  EXPECT_EQ(rt::mapaccess1(t, nullptr, &k), rt::zeroVal);
  EXPECT_EQ(I64Get(nullptr, 7), Fact("nil_read_value"));
  EXPECT_EQ(I64Has(nullptr, 7), Fact("nil_lookup_ok") != 0);
  rt::hmap* empty = rt::makemap(t, 100, nullptr);
  EXPECT_EQ(rt::mapaccess1(t, empty, &k), rt::zeroVal);
  EXPECT_FALSE(I64Has(empty, 7));
}

TEST(Step2_Mapaccess, FindsEveryKeyPlacedByHand) {
  HeapReleaser release;
  rt::hmap* h = rt::makemap(I64MapType(), 100, nullptr);  // B = 4
  for (std::int64_t k = 0; k < 100; ++k) PlaceKey(I64MapType(), h, k, k * 10 + 1);
  for (std::int64_t k = 0; k < 100; ++k) {
    EXPECT_EQ(I64Get(h, k), k * 10 + 1) << k;
    EXPECT_TRUE(I64Has(h, k)) << k;
  }
  for (std::int64_t k = 100; k < 200; ++k) {
    EXPECT_EQ(I64Get(h, k), 0) << k;
    EXPECT_FALSE(I64Has(h, k)) << k;
  }
}

TEST(Step2_Mapaccess, FollowsOverflowChains) {
  // 20 keys of one bucket: the bucket and two overflow buckets (8 + 8 + 4).
  HeapReleaser release;
  const rt::maptype* t = I64MapType();
  rt::hmap* h = rt::makemap(t, 13, nullptr);  // B = 1
  const std::vector<std::int64_t> keys = KeysInBucket(t, h, 1, 20);
  for (std::int64_t k : keys) PlaceKey(t, h, k, -k);
  ASSERT_EQ(rt::ViewMap(t, h).buckets[1].chain.size(), 3u);
  for (std::int64_t k : keys) EXPECT_EQ(I64Get(h, k), -k) << k;
}

// The next two tests use double keys, which take map.go's generic search.
// (For int64 keys Go's compiler calls map_fast64.go instead, and so does
// the reference implementation: that search compares whole keys and needs
// neither tophash nor emptyRest.)
using F64Map = Map<double, std::int64_t>;

bool F64Has(rt::hmap* h, double k) {
  bool ok;
  rt::mapaccess2(F64Map::type(), h, &k, &ok);
  return ok;
}

// n double keys 0.0, 1.0, ... that land in bucket b of h.
std::vector<double> DoublesInBucket(rt::hmap* h, uintptr b, int n) {
  std::vector<double> keys;
  for (double d = 0;; ++d) {
    if (testing::BucketOf(F64Map::type(), h, d) != b) continue;
    keys.push_back(d);
    if (static_cast<int>(keys.size()) == n) return keys;
  }
}

TEST(Step2_Mapaccess, StopsAtEmptyRestButNotAtEmptyOne) {
  // map.go: emptyRest promises that nothing follows, so a search stops
  // there; emptyOne is just a hole, and the search goes on. Break the
  // promise on purpose and the key behind it becomes invisible.
  HeapReleaser release;
  const rt::maptype* t = F64Map::type();
  ASSERT_EQ(t->fast, rt::mapslow);
  rt::hmap* h = rt::makemap(t, 13, nullptr);
  const std::vector<double> keys = DoublesInBucket(h, 0, 3);
  for (double k : keys) PlaceKey(t, h, k, std::int64_t{1});
  auto* b = static_cast<rt::bmap*>(h->buckets);
  b->tophash[1] = rt::emptyOne;  // slot 1 is now a hole
  EXPECT_TRUE(F64Has(h, keys[2]));
  EXPECT_FALSE(F64Has(h, keys[1]));
  b->tophash[1] = rt::emptyRest;  // a (false) end marker
  EXPECT_FALSE(F64Has(h, keys[2])) << "the search must stop at emptyRest";
  EXPECT_TRUE(F64Has(h, keys[0]));
}

TEST(Step2_Mapaccess, ComparesTophashBeforeKeys) {
  // map.go: a slot's key is only compared when its tophash byte matches
  // the key's; a wrong tophash hides a key whose bytes are right there.
  HeapReleaser release;
  const rt::maptype* t = F64Map::type();
  rt::hmap* h = rt::makemap(t, 13, nullptr);
  const double k = DoublesInBucket(h, 0, 1)[0];
  PlaceKey(t, h, k, std::int64_t{5});
  auto* b = static_cast<rt::bmap*>(h->buckets);
  ASSERT_EQ(b->tophash[0], rt::tophash(t->hasher(&k, h->hash0)));
  EXPECT_TRUE(F64Has(h, k));
  b->tophash[0] = static_cast<std::uint8_t>(b->tophash[0] == 255 ? 254 : b->tophash[0] + 1);
  EXPECT_FALSE(F64Has(h, k));
}

TEST(Step2_Mapaccess, ReadsTheOldBucketUntilItIsEvacuated) {
  // map.go mapaccess: while growing, the key's old bucket is read unless
  // evacuated(oldb). Fake a doubling from B=1 to B=2 that has moved
  // nothing yet, then mark old bucket 0 evacuated without moving its keys:
  // readers must trust the mark and look (in vain) in the new buckets.
  HeapReleaser release;
  const rt::maptype* t = I64MapType();
  rt::hmap* h = rt::makemap(t, 13, nullptr);  // B = 1
  for (std::int64_t k = 0; k < 13; ++k) PlaceKey(t, h, k, k + 100);
  h->oldbuckets = h->buckets;
  h->buckets = rt::newarray(t->bucket, 4);
  h->B = 2;
  for (std::int64_t k = 0; k < 13; ++k) EXPECT_EQ(I64Get(h, k), k + 100) << k;

  auto* old0 = static_cast<rt::bmap*>(h->oldbuckets);
  for (uintptr i = 0; i < rt::bucketCnt; ++i) old0->tophash[i] = rt::evacuatedEmpty;
  for (std::int64_t k = 0; k < 13; ++k) {
    const bool in_old0 = (t->hasher(&k, h->hash0) & 1) == 0;
    EXPECT_EQ(I64Has(h, k), !in_old0) << k;
  }
}

TEST(Step2_Mapaccess, SameSizeGrowthReadsTheSameIndexInTheOldArray) {
  // map.go: during a same-size growth the old array has as many buckets as
  // the new one, so the mask is not narrowed.
  HeapReleaser release;
  const rt::maptype* t = I64MapType();
  rt::hmap* h = rt::makemap(t, 26, nullptr);  // B = 2
  for (std::int64_t k = 0; k < 26; ++k) PlaceKey(t, h, k, k * 3);
  h->oldbuckets = h->buckets;
  h->buckets = rt::newarray(t->bucket, 4);
  h->flags |= rt::sameSizeGrow;
  for (std::int64_t k = 0; k < 26; ++k) EXPECT_EQ(I64Get(h, k), k * 3) << k;
}

TEST(Step2_Mapaccess, FatVariantsReturnTheCallersZero) {
  // mapaccess1_fat/mapaccess2_fat (map.go): for elems whose zero value is
  // not in zeroVal, the caller passes its own.
  HeapReleaser release;
  const rt::maptype* t = I64MapType();
  rt::hmap* h = rt::makemap(t, 0, nullptr);
  PlaceKey(t, h, std::int64_t{1}, std::int64_t{11});
  std::int64_t zero = 0;
  const std::int64_t one = 1;
  const std::int64_t two = 2;
  EXPECT_EQ(rt::mapaccess1_fat(t, h, &two, &zero), &zero);
  EXPECT_EQ(Load<std::int64_t>(rt::mapaccess1_fat(t, h, &one, &zero)), 11);
  bool ok = true;
  EXPECT_EQ(rt::mapaccess2_fat(t, h, &two, &zero, &ok), &zero);
  EXPECT_FALSE(ok);
  EXPECT_EQ(Load<std::int64_t>(rt::mapaccess2_fat(t, h, &one, &zero, &ok)), 11);
  EXPECT_TRUE(ok);
}

TEST(Step2_Mapaccess, MapaccessKReturnsTheStoredKey) {
  // +0 and -0 are one key (f64equal); mapaccessK hands back the key as
  // stored, here -0, which is what iteration reports (facts.inc:
  // zero_key_signbit_after_pos_then_neg = 1 once -0 was written last).
  HeapReleaser release;
  const rt::maptype* t = Map<double, std::int64_t>::type();
  rt::hmap* h = rt::makemap(t, 0, nullptr);
  PlaceKey(t, h, -0.0, std::int64_t{2});
  const double pz = 0.0;
  rt::keyElem ke = rt::mapaccessK(t, h, &pz);
  ASSERT_NE(ke.key, nullptr);
  EXPECT_EQ(std::signbit(Load<double>(ke.key)), Fact("zero_key_signbit_after_pos_then_neg") != 0);
  EXPECT_EQ(Load<std::int64_t>(ke.elem), Fact("zero_value_after_pos_then_neg"));
  const double one = 1.0;
  EXPECT_EQ(rt::mapaccessK(t, h, &one).key, nullptr);
}

TEST(Step2_Mapaccess, NaNIsNeverFound) {
  // facts.inc: nan_lookup_ok = 0: NaN != NaN, so no lookup matches.
  HeapReleaser release;
  const rt::maptype* t = Map<double, std::int64_t>::type();
  rt::hmap* h = rt::makemap(t, 0, nullptr);
  const double nan = std::nan("");
  PlaceKey(t, h, nan, std::int64_t{1});
  bool ok = true;
  rt::mapaccess2(t, h, &nan, &ok);
  EXPECT_EQ(ok, Fact("nan_lookup_ok") != 0);
}

TEST(Step2_TypedGet, ReadsNeverInsert) {
  // Go's m[k] read does not add k; gort's get, lookup and m[k] as a value
  // do not either (include/gort/map.h).
  HeapReleaser release;
  I64Map m(rt::makemap(I64MapType(), 0, nullptr));
  PlaceKey(I64MapType(), m.header(), std::int64_t{1}, std::int64_t{10});
  EXPECT_EQ(m.get(1), 10);
  EXPECT_EQ(m.get(2), 0);
  const std::int64_t via_index = m[3];
  EXPECT_EQ(via_index, 0);
  auto [v, ok] = m.lookup(4);
  EXPECT_EQ(v, 0);
  EXPECT_FALSE(ok);
  EXPECT_EQ(m.len(), 1);
  EXPECT_FALSE(m.lookup(2).second);
  EXPECT_FALSE(m.lookup(3).second);
}

TEST(Step2_TypedGet, BigValuesUseTheFatPath) {
  // Elems over maxZero (1024) bytes cannot be read from zeroVal: the typed
  // API passes its own zero (mapaccess1_fat), as Go's compiler does.
  HeapReleaser release;
  using Big = std::array<char, 2000>;
  Map<std::int64_t, Big> m(rt::makemap(Map<std::int64_t, Big>::type(), 0, nullptr));
  Big filled;
  filled.fill('x');
  PlaceKey(Map<std::int64_t, Big>::type(), m.header(), std::int64_t{1}, filled);
  EXPECT_EQ(m.get(1)[1999], 'x');
  const Big missing = m.get(2);
  for (char c : missing) ASSERT_EQ(c, 0);
  EXPECT_FALSE(m.lookup(2).second);
}

TEST(Step2_TypedGet, NilMapReadsZero) {
  // facts.inc: nil_len = 0, nil_read_value = 0, nil_lookup_ok = 0.
  I64Map nil;
  EXPECT_TRUE(nil.is_nil());
  EXPECT_EQ(nil.len(), Fact("nil_len"));
  EXPECT_EQ(nil.get(1), Fact("nil_read_value"));
  EXPECT_EQ(nil.lookup(1).second, Fact("nil_lookup_ok") != 0);
}

TEST(Step2_MapaccessDeathTest, ReadDuringAWriteIsFatal) {
  // uncaught.txt: a read racing a write dies with "fatal error: concurrent
  // map read and map write", exit 2. Simulated: the hashWriting flag is
  // set by hand, as a writer would have it set mid-write.
  EXPECT_EXIT(
      {
        rt::hmap* h = rt::makemap(I64MapType(), 0, nullptr);
        PlaceKey(I64MapType(), h, std::int64_t{1}, std::int64_t{1});
        h->flags |= rt::hashWriting;
        I64Get(h, 1);
      },
      ::testing::ExitedWithCode(2), "fatal error: concurrent map read and map write");
}

}  // namespace
}  // namespace gort
