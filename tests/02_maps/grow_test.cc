// Step 5: growth and evacuation: hashGrow, growWork, evacuate,
// advanceEvacuationMark; doubling and same-size growth.
//
// Provenance: b_after_inserts.inc, evacuation.inc, churn.inc, facts.inc
// (tools/groundtruth/maps, Go 1.19; evacuation and churn are statistics
// over maps with random seeds, so the tests compare ranges and means, and
// fix gort's own seeds to stay deterministic); the notes (seed 001
// "扩容过程": x/y halves, nevacuate); Go 1.19 src/runtime/map.go.
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
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

using ::gort::groundtruth::BAfterInserts;
using ::gort::groundtruth::BAfterInsertsRows;
using ::gort::groundtruth::Churn;
using ::gort::groundtruth::ChurnRows;
using ::gort::groundtruth::Evacuation;
using ::gort::groundtruth::EvacuationRows;
using ::gort::testing::BucketOf;
using ::gort::testing::DeterministicRuntime;
using ::gort::testing::HeapReleaser;
using ::gort::testing::I64Get;
using ::gort::testing::I64Has;
using ::gort::testing::I64Map;
using ::gort::testing::I64MapType;
using ::gort::testing::I64Put;
using ::gort::testing::InsertUntilB;
using ::gort::testing::KeySlot;
using ::gort::testing::Load;
using rt::uintptr;

TEST(Step5_Growth, BAfterEachInsertMatchesGo) {
  // b_after_inserts.inc: inserting 10000 keys into make(map[int64]int64),
  // Go 1.19 doubles at inserts 9, 14, 27, 53, 105, 209, 417, 833, 1665,
  // 3329 and 6657.
  HeapReleaser release;
  rt::hmap* h = rt::makemap(I64MapType(), 0, nullptr);
  std::vector<BAfterInserts> got;
  int prev = -1;
  for (std::int64_t n = 1; n <= 10000; ++n) {
    I64Put(h, n, n);
    if (h->B != prev) {
      got.push_back({n, h->B});
      prev = h->B;
    }
  }
  const std::vector<BAfterInserts>& want = BAfterInsertsRows();
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].n, want[i].n) << "change #" << i;
    EXPECT_EQ(got[i].B, want[i].B) << "change #" << i;
  }
  for (std::int64_t n = 1; n <= 10000; ++n) ASSERT_EQ(I64Get(h, n), n);
}

TEST(Step5_Growth, AHintBigEnoughMeansNoGrowth) {
  // b_for_hint.inc: make(map, 1000) has B = 8, which holds 1664 entries.
  HeapReleaser release;
  rt::hmap* h = rt::makemap(I64MapType(), 1000, nullptr);
  for (std::int64_t k = 0; k < 1000; ++k) {
    I64Put(h, k, k);
    ASSERT_FALSE(h->growing());
  }
  EXPECT_EQ(h->B, 8);
}

TEST(Step5_Growth, GrowingStartsWithAlmostEverythingStillInTheOldBuckets) {
  // hashGrow moves nothing; the write that starts it evacuates only the
  // old bucket it needs and the one at nevacuate (growWork). Insert 105
  // makes B 5 (b_after_inserts.inc): 16 old buckets, at most 2 evacuated.
  DeterministicRuntime fixed(21);
  HeapReleaser release;
  const rt::maptype* t = I64MapType();
  rt::hmap* h = rt::makemap(t, 0, nullptr);
  for (std::int64_t k = 1; k <= 105; ++k) I64Put(h, k, -k);
  ASSERT_EQ(h->B, 5);
  ASSERT_TRUE(h->growing());
  EXPECT_FALSE(h->sameSizeGrow());
  EXPECT_EQ(h->noldbuckets(), 16u);
  int evacuated = 0;
  for (uintptr b = 0; b < 16; ++b) evacuated += rt::bucketEvacuated(t, h, b) ? 1 : 0;
  EXPECT_GE(evacuated, 1);
  EXPECT_LE(evacuated, 2);
  EXPECT_GE(h->nevacuate, 1u);
  // Reads find every key, old bucket or new.
  for (std::int64_t k = 1; k <= 105; ++k) ASSERT_EQ(I64Get(h, k), -k);
}

// Inserts new keys until h doubles to B = newB, then counts the writes
// from that one until the old buckets are gone.
int WritesToFinishDoublingTo(int newB, std::int64_t first_key) {
  rt::hmap* h = rt::makemap(I64MapType(), 0, nullptr);
  std::int64_t k = InsertUntilB(h, newB, first_key);
  int writes = 1;
  while (h->growing()) {
    I64Put(h, k++, 0);
    ++writes;
  }
  EXPECT_EQ(h->B, newB);
  return writes;
}

TEST(Step5_Growth, EvacuationFinishesWithinTheWritesGoNeeds) {
  // evacuation.inc: Go 1.19 needs between half the old bucket count and
  // the old bucket count of writes to finish a doubling (each write
  // evacuates the bucket it touches plus the one at nevacuate, and
  // nevacuate skips buckets already done). 40 seeded maps per B; each
  // within [old/2, old]; the mean within 5% of Go's 200-map mean.
  DeterministicRuntime fixed(22);
  for (const Evacuation& go : EvacuationRows()) {
    HeapReleaser release;
    constexpr int kTrials = 40;
    double total = 0;
    for (int trial = 0; trial < kTrials; ++trial) {
      const int writes = WritesToFinishDoublingTo(go.new_B, std::int64_t{trial} << 32);
      ASSERT_GE(writes, (go.old_buckets + 1) / 2) << "B " << go.new_B;
      ASSERT_LE(writes, go.old_buckets) << "B " << go.new_B;
      total += writes;
    }
    const double mean = total / kTrials;
    const double go_mean = go.mean_writes_x100 / 100.0;
    std::printf("B %2d: %4d old buckets, gort mean %.2f writes, Go 1.19 mean %.2f (%d..%d)\n",
                go.new_B, go.old_buckets, mean, go_mean, go.min_writes, go.max_writes);
    EXPECT_NEAR(mean, go_mean, go_mean * 0.05 + 0.5)
        << "B " << go.new_B << " (Go 1.19: min " << go.min_writes << ", max " << go.max_writes
        << ")";
  }
}

TEST(Step5_Growth, DoneMeansEveryOldBucketEvacuatedAndDropped) {
  // advanceEvacuationMark: growth ends when nevacuate reaches the old
  // bucket count; oldbuckets, extra->oldoverflow and sameSizeGrow go.
  DeterministicRuntime fixed(23);
  HeapReleaser release;
  const rt::maptype* t = I64MapType();
  rt::hmap* h = rt::makemap(t, 0, nullptr);
  std::int64_t k = InsertUntilB(h, 7);
  ASSERT_TRUE(h->growing());
  void* const old = h->oldbuckets;
  while (h->growing()) {
    I64Put(h, k, k);
    ++k;
    if (h->growing()) {
      EXPECT_LT(h->nevacuate, 64u);
    }
  }
  EXPECT_EQ(h->oldbuckets, nullptr);
  EXPECT_EQ(h->nevacuate, 64u);
  EXPECT_TRUE(h->extra == nullptr || h->extra->oldoverflow == nullptr);
  for (uintptr b = 0; b < 64; ++b) {
    const auto* ob = reinterpret_cast<const rt::bmap*>(static_cast<char*>(old) + b * t->bucketsize);
    EXPECT_TRUE(rt::evacuated(ob)) << "old bucket " << b;
  }
}

TEST(Step5_Evacuate, EachOldBucketSplitsIntoXAndY) {
  // Notes (seed 001): doubling sends each key of old bucket i to new
  // bucket i (X) or i + oldcount (Y), by the hash bit the doubling adds;
  // the old slot records which (evacuatedX / evacuatedY).
  DeterministicRuntime fixed(24);
  HeapReleaser release;
  const rt::maptype* t = I64MapType();
  rt::hmap* h = rt::makemap(t, 0, nullptr);
  InsertUntilB(h, 6);
  const uintptr newbit = h->noldbuckets();  // 32
  char* const old = static_cast<char*>(h->oldbuckets);
  int checked = 0;
  for (uintptr ob = 0; ob < newbit; ++ob) {
    if (!rt::bucketEvacuated(t, h, ob)) rt::evacuate(t, h, ob);
    // int64 buckets hold no pointers, so evacuate leaves the old keys in
    // place (Go clears only buckets with pointers): read them back.
    auto* b = reinterpret_cast<const rt::bmap*>(old + ob * t->bucketsize);
    for (; b != nullptr; b = b->overflow(t)) {
      for (uintptr i = 0; i < rt::bucketCnt; ++i) {
        if (b->tophash[i] == rt::evacuatedEmpty) continue;
        const auto key = Load<std::int64_t>(KeySlot(t, b, i));
        const bool y = (t->hasher(&key, h->hash0) & newbit) != 0;
        EXPECT_EQ(b->tophash[i], y ? rt::evacuatedY : rt::evacuatedX) << key;
        EXPECT_EQ(BucketOf(t, h, key), ob + (y ? newbit : 0)) << key;
        ++checked;
      }
    }
  }
  EXPECT_FALSE(h->growing());
  // Insert 209 doubled the map to B = 6 (b_after_inserts.inc) and went
  // straight to the new array; the 208 keys before it were all evacuated.
  EXPECT_EQ(checked, 208);
}

TEST(Step5_Growth, EveryKeyStaysReadableWhileEvacuating) {
  DeterministicRuntime fixed(25);
  HeapReleaser release;
  rt::hmap* h = rt::makemap(I64MapType(), 0, nullptr);
  std::int64_t n = InsertUntilB(h, 10);  // the doubling 9 -> 10 just began
  while (h->growing()) {
    for (std::int64_t k = 0; k < n; ++k) ASSERT_EQ(I64Get(h, k), k) << k;
    I64Put(h, n, n);
    ++n;
  }
  for (std::int64_t k = 0; k < n; ++k) ASSERT_EQ(I64Get(h, k), k) << k;
}

TEST(Step5_Growth, DeletesDuringGrowthAlsoEvacuate) {
  // mapdelete calls growWork too: deletes alone finish a growth.
  DeterministicRuntime fixed(26);
  HeapReleaser release;
  rt::hmap* h = rt::makemap(I64MapType(), 0, nullptr);
  const std::int64_t n = InsertUntilB(h, 9);
  ASSERT_TRUE(h->growing());
  std::int64_t deleted = 0;
  for (std::int64_t k = 0; k < n && h->growing(); k += 2, ++deleted) {
    rt::mapdelete(I64MapType(), h, &k);
  }
  EXPECT_FALSE(h->growing());
  EXPECT_EQ(h->count, n - deleted);
  for (std::int64_t k = 0; k < n; ++k) {
    EXPECT_EQ(I64Has(h, k), k % 2 == 1 || k >= 2 * deleted) << k;
  }
}

TEST(Step5_SameSizeGrowth, ChurnRepacksOverflowBucketsWithoutChangingB) {
  // churn.inc: a map at its full count (208 keys at B = 5, 1664 at B = 8)
  // churned by deleting its oldest key and inserting a new one keeps B,
  // piles up overflow buckets until noverflow reaches 2^B, and then grows
  // "sideways": a same-size growth repacks the keys. Go 1.19 (20 maps per
  // B): the growth starts after ops_min..ops_max churn steps, and leaves at
  // most noverflow_after_max overflow buckets.
  DeterministicRuntime fixed(27);
  for (const Churn& go : ChurnRows()) {
    for (int trial = 0; trial < 4; ++trial) {
      HeapReleaser release;
      SCOPED_TRACE(::testing::Message() << "B " << go.B << " trial " << trial);
      rt::hmap* h = rt::makemap(I64MapType(), 0, nullptr);
      for (std::int64_t k = 0; k < go.count; ++k) I64Put(h, k, k);
      ASSERT_EQ(h->B, go.B);
      std::int64_t oldest = 0;
      std::int64_t next = go.count;
      int ops = 0;
      int trigger = -1;
      int noverflow_before = 0;
      int in_use_before = 0;
      while (ops < 1'000'000) {
        ++ops;
        rt::mapdelete(I64MapType(), h, &oldest);
        ++oldest;
        const int before = h->noverflow;
        // Walking every chain is slow: only when growth may start now.
        const int in_use = before >= (1 << go.B)
                               ? rt::ViewMap(I64MapType(), h).OverflowBucketsInUse()
                               : 0;
        I64Put(h, next++, 0);
        ASSERT_EQ(h->B, go.B) << "churn at a constant count must never double";
        if (trigger < 0 && h->growing()) {
          ASSERT_TRUE(h->sameSizeGrow());
          trigger = ops;
          noverflow_before = before;
          in_use_before = in_use;
        }
        if (trigger >= 0 && !h->growing()) break;
      }
      ASSERT_GT(trigger, 0) << "no same-size growth";
      std::printf("B %d: same-size growth after %d churn ops (Go 1.19: %d..%d); overflow "
                  "buckets in use %d before, %d after; noverflow after %d (Go max %d)\n",
                  go.B, trigger, go.ops_min, go.ops_max, in_use_before,
                  rt::ViewMap(I64MapType(), h).OverflowBucketsInUse(), h->noverflow,
                  go.noverflow_after_max);
      EXPECT_EQ(noverflow_before, go.noverflow_at_trigger_min);  // exactly 2^B
      EXPECT_GE(trigger, go.ops_min / 2);
      EXPECT_LE(trigger, go.ops_max * 2);
      EXPECT_LE(h->noverflow, go.noverflow_after_max * 3 / 2);
      EXPECT_LT(rt::ViewMap(I64MapType(), h).OverflowBucketsInUse(), in_use_before / 2);
      EXPECT_EQ(h->count, go.count);
      for (std::int64_t k = oldest; k < next; ++k) ASSERT_TRUE(I64Has(h, k)) << k;
    }
  }
}

TEST(Step5_Growth, StringMapsGrowAndClearEvacuatedBuckets) {
  // Buckets of std::string hold pointers (ptrdata != 0), so evacuate
  // clears an evacuated old bucket (Go: memclrHasPointers) when no
  // iterator can still read it: its strings are reset to "".
  DeterministicRuntime fixed(28);
  HeapReleaser release;
  Map<std::string, std::string> m = make_map<std::string, std::string>();
  const rt::maptype* t = Map<std::string, std::string>::type();
  int n = 0;
  while (m.header()->B < 8) {
    m[std::to_string(n)] = std::string(40, 'v') + std::to_string(n);
    ++n;
  }
  ASSERT_TRUE(m.header()->growing());
  const uintptr ob = m.header()->nevacuate - 1;  // evacuated by growWork
  const auto* b = reinterpret_cast<const rt::bmap*>(static_cast<char*>(m.header()->oldbuckets) +
                                                    ob * t->bucketsize);
  ASSERT_TRUE(rt::evacuated(b));
  for (uintptr i = 0; i < rt::bucketCnt; ++i) {
    EXPECT_EQ(*static_cast<const std::string*>(KeySlot(t, b, i)), "");
  }
  EXPECT_EQ(b->overflow(t), nullptr);
  for (; n < 20000; ++n) m[std::to_string(n)] = std::string(40, 'v') + std::to_string(n);
  for (int k = 0; k < 20000; ++k) {
    ASSERT_EQ(m.get(std::to_string(k)), std::string(40, 'v') + std::to_string(k));
  }
  EXPECT_EQ(m.len(), 20000);
}

TEST(Step5_Growth, BigKeysMoveByPointer) {
  // Out-of-line keys and elems are evacuated by copying the pointer.
  HeapReleaser release;
  using K = std::array<char, 160>;
  Map<K, std::int64_t> m = make_map<K, std::int64_t>();
  for (std::int64_t i = 0; i < 2000; ++i) {
    K k{};
    std::snprintf(k.data(), k.size(), "key %lld", static_cast<long long>(i));
    m[k] = i;
  }
  EXPECT_EQ(m.len(), 2000);
  for (std::int64_t i = 0; i < 2000; ++i) {
    K k{};
    std::snprintf(k.data(), k.size(), "key %lld", static_cast<long long>(i));
    ASSERT_EQ(m.get(k), i);
  }
}

TEST(Step5_Growth, NaNKeysSurviveGrowth) {
  // Every NaN is a new entry (facts.inc nan_len_after_3_inserts); 1000 of
  // them force several doublings, and none is lost on the way.
  HeapReleaser release;
  Map<double, int> m = make_map<double, int>();
  for (int i = 0; i < 1000; ++i) m[std::nan("")] = i;
  EXPECT_EQ(m.len(), 1000);
  EXPECT_EQ(m.header()->B, 8);  // b_after_inserts.inc: 833 <= 1000 < 1665
}

}  // namespace
}  // namespace gort
