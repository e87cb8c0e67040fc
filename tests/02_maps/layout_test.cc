// Step 1: layout and sizing: bucketShift, bucketMask, tophash,
// overLoadFactor, tooManyOverflowBuckets, makeBucketArray, makemap, and
// the hash that feeds them.
//
// Provenance: B thresholds and preallocated bucket counts from real Go 1.19
// (tools/groundtruth/maps: b_after_inserts.inc, b_for_hint.inc,
// prealloc.inc, maptypes.inc); formulas from Go 1.19 src/runtime/map.go as
// named in each test; the notes (seed 001 "map 扩容", seed 004 makemap).
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/alg.h"
#include "include/gort/rt/map.h"
#include "include/gort/rt/mapview.h"
#include "tests/02_maps/groundtruth.h"
#include "tests/02_maps/test_util.h"

namespace gort {
namespace {

using ::gort::groundtruth::BAfterInsertsRows;
using ::gort::groundtruth::BForHintRows;
using ::gort::groundtruth::MapTypeLayout;
using ::gort::groundtruth::MapTypeRow;
using ::gort::groundtruth::Prealloc;
using ::gort::groundtruth::PreallocRows;
using ::gort::testing::DeterministicRuntime;
using ::gort::testing::HeapReleaser;
using ::gort::testing::I64MapType;
using rt::uintptr;

TEST(Step1_BucketShift, PowersOfTwoAndMasks) {
  // map.go: bucketShift(b) = 1 << (b & 63); bucketMask(b) = bucketShift(b) - 1.
  EXPECT_EQ(rt::bucketShift(0), 1u);
  EXPECT_EQ(rt::bucketShift(4), 16u);
  EXPECT_EQ(rt::bucketShift(18), 262144u);
  EXPECT_EQ(rt::bucketShift(63), uintptr{1} << 63);
  EXPECT_EQ(rt::bucketShift(64), 1u) << "the shift count is masked to 6 bits, as in Go";
  EXPECT_EQ(rt::bucketMask(0), 0u);
  EXPECT_EQ(rt::bucketMask(3), 7u);
  EXPECT_EQ(rt::bucketMask(10), 1023u);
}

TEST(Step1_Tophash, TopByteWithMarkersMovedOutOfTheWay) {
  // map.go tophash: the hash's top 8 bits; values below minTopHash (5) are
  // reserved for the empty/evacuated markers and get minTopHash added.
  EXPECT_EQ(rt::tophash(uintptr{0xab} << 56 | 0x1234), 0xab);
  EXPECT_EQ(rt::tophash(uintptr{0xff} << 56), 0xff);
  EXPECT_EQ(rt::tophash(uintptr{5} << 56), 5);
  EXPECT_EQ(rt::tophash(0), 5);                  // 0 + 5
  EXPECT_EQ(rt::tophash(uintptr{4} << 56), 9);   // 4 + 5
  EXPECT_EQ(rt::tophash(~uintptr{0} >> 8), 5);   // top byte 0
  for (uintptr top = 0; top < 256; ++top) {
    EXPECT_GE(rt::tophash(top << 56), rt::minTopHash) << "top byte " << top;
  }
}

TEST(Step1_OverLoadFactor, TriggersExactlyWhereGoDoubles) {
  // mapassign doubles when overLoadFactor(count+1, B): the insert that
  // makes the count n grows B-1 to B at exactly the n Go 1.19 shows
  // (b_after_inserts.inc: 9, 14, 27, 53, ... 6657).
  for (const auto& row : BAfterInsertsRows()) {
    if (row.B == 0) continue;
    const auto oldB = static_cast<std::uint8_t>(row.B - 1);
    EXPECT_TRUE(rt::overLoadFactor(row.n, oldB)) << "n=" << row.n << " B=" << row.B - 1;
    EXPECT_FALSE(rt::overLoadFactor(row.n - 1, oldB)) << "n=" << row.n - 1 << " B=" << row.B - 1;
  }
}

TEST(Step1_OverLoadFactor, SixPointFiveEntriesPerBucket) {
  // Notes (seed 001): grow when the average load passes 6.5. map.go keeps
  // it as 13/2 in integer math, with a floor of 8 entries (one bucket).
  EXPECT_FALSE(rt::overLoadFactor(8, 0));
  EXPECT_TRUE(rt::overLoadFactor(9, 0));  // B=0: 13*(1/2) is 0, the 8 floor decides
  EXPECT_FALSE(rt::overLoadFactor(13, 1));
  EXPECT_TRUE(rt::overLoadFactor(14, 1));
  EXPECT_FALSE(rt::overLoadFactor(6'815'744, 20));  // 6.5 * 2^20
  EXPECT_TRUE(rt::overLoadFactor(6'815'745, 20));
  EXPECT_FALSE(rt::overLoadFactor(-1, 0)) << "negative hints never ask for buckets";
}

TEST(Step1_TooManyOverflowBuckets, AsManyOverflowBucketsAsBucketsCappedAt2To15) {
  // Notes (seed 001): below 2^15 buckets, "too many" is noverflow >= the
  // bucket count; from 2^15 buckets on, noverflow >= 2^15 (map.go).
  EXPECT_FALSE(rt::tooManyOverflowBuckets(0, 0));
  EXPECT_TRUE(rt::tooManyOverflowBuckets(1, 0));
  EXPECT_FALSE(rt::tooManyOverflowBuckets(255, 8));
  EXPECT_TRUE(rt::tooManyOverflowBuckets(256, 8));
  EXPECT_FALSE(rt::tooManyOverflowBuckets(32767, 15));
  EXPECT_TRUE(rt::tooManyOverflowBuckets(32768, 15));
  EXPECT_FALSE(rt::tooManyOverflowBuckets(32767, 20));
  EXPECT_TRUE(rt::tooManyOverflowBuckets(32768, 20));
  EXPECT_TRUE(rt::tooManyOverflowBuckets(65535, 30));
}

// The map type of map[[K]byte][E]byte, as Go's prealloc probes use.
template <int K, int E>
const rt::maptype* BytesMapType() {
  return rt::MapTypeOf<std::array<char, K>, std::array<char, E>>();
}

const rt::maptype* BytesMapTypeFor(int key_size, int elem_size) {
  if (key_size == 1 && elem_size == 1) return BytesMapType<1, 1>();
  if (key_size == 4 && elem_size == 4) return BytesMapType<4, 4>();
  if (key_size == 8 && elem_size == 8) return BytesMapType<8, 8>();
  if (key_size == 8 && elem_size == 32) return BytesMapType<8, 32>();
  if (key_size == 16 && elem_size == 8) return BytesMapType<16, 8>();
  if (key_size == 32 && elem_size == 8) return BytesMapType<32, 8>();
  if (key_size == 24 && elem_size == 100) return BytesMapType<24, 100>();
  return nullptr;
}

// Counts the buckets a makeBucketArray result holds: 2^b main buckets plus
// the spares from nextOverflow to the bucket whose overflow pointer is the
// end marker (the array itself).
int CountBuckets(const rt::maptype* t, std::uint8_t b, const rt::bucketArray& a) {
  int n = 1 << b;
  if (a.nextOverflow == nullptr) return n;
  const rt::bmap* spare = a.nextOverflow;
  for (++n; spare->overflow(t) == nullptr; ++n) {
    spare = reinterpret_cast<const rt::bmap*>(reinterpret_cast<const char*>(spare) + t->bucketsize);
  }
  EXPECT_EQ(spare->overflow(t), a.buckets) << "the last spare must point back at the array";
  return n;
}

TEST(Step1_MakeBucketArray, PreallocatedOverflowBucketsMatchGo) {
  // prealloc.inc: Go 1.19's bucket counts for 7 bucket sizes and B 0..12.
  // E.g. 144-byte buckets at B=4: 16 + 2^0 = 17 buckets = 2448 bytes,
  // rounded up to the 2688-byte size class = 18 whole buckets.
  HeapReleaser release;
  for (const Prealloc& row : PreallocRows()) {
    const rt::maptype* t = BytesMapTypeFor(row.key_size, row.elem_size);
    ASSERT_NE(t, nullptr) << "no C++ type for " << row.key_size << "/" << row.elem_size;
    ASSERT_EQ(t->bucketsize, row.bucket_size) << row.key_size << "/" << row.elem_size;
    const auto b = static_cast<std::uint8_t>(row.B);
    rt::bucketArray a = rt::makeBucketArray(t, b, nullptr);
    EXPECT_EQ(CountBuckets(t, b, a), row.nbuckets)
        << "bucket size " << row.bucket_size << ", B " << row.B;
    // Notes (seed 004): no spares below B=4, at least 2^(B-4) from B=4 on.
    if (row.B < 4) {
      EXPECT_EQ(a.nextOverflow, nullptr);
    } else {
      EXPECT_GE(row.nbuckets, (1 << row.B) + (1 << (row.B - 4)));
    }
  }
}

TEST(Step1_MakeBucketArray, ReusesAndClearsADirtyArray) {
  // map.go: with dirtyalloc, makeBucketArray clears that array and sets
  // up its spare overflow buckets again (what mapclear relies on).
  HeapReleaser release;
  const rt::maptype* t = I64MapType();
  rt::bucketArray a = rt::makeBucketArray(t, 5, nullptr);
  const uintptr bytes = static_cast<uintptr>(CountBuckets(t, 5, a)) * t->bucketsize;
  std::memset(a.buckets, 0x5a, bytes);  // scribble over everything
  rt::bucketArray again = rt::makeBucketArray(t, 5, a.buckets);
  EXPECT_EQ(again.buckets, a.buckets);
  EXPECT_EQ(again.nextOverflow, a.nextOverflow);
  EXPECT_EQ(CountBuckets(t, 5, again), 37);  // prealloc.inc {8, 8, 144, 5, 37}
  const auto* p = static_cast<const unsigned char*>(a.buckets);
  const uintptr last_overflow_word = bytes - rt::kPtrSize;
  for (uintptr i = 0; i < last_overflow_word; ++i) {
    ASSERT_EQ(p[i], 0) << "byte " << i << " not cleared";
  }
}

TEST(Step1_MakeBucketArray, BucketsOfStringsHoldEmptyStrings) {
  // gort's invariant (map.h): every slot holds a constructed value. Buckets
  // of std::string keys and values come from the bucket type's zero hook,
  // so each slot is a valid empty string (ASan checks the teardown).
  HeapReleaser release;
  const rt::maptype* t = Map<std::string, std::string>::type();
  rt::bucketArray a = rt::makeBucketArray(t, 4, nullptr);
  const int n = CountBuckets(t, 4, a);
  // 528-byte buckets (8 + 8*32 + 8*32 + 8): 16 + 1 = 17 buckets = 8976
  // bytes, rounded up to Go 1.19's 9472-byte size class, which still
  // holds only 17 whole buckets.
  EXPECT_EQ(t->bucketsize, 528);
  EXPECT_EQ(n, 17);
  for (int b = 0; b < n; ++b) {
    const auto* bucket = reinterpret_cast<const rt::bmap*>(static_cast<char*>(a.buckets) +
                                                           b * t->bucketsize);
    for (uintptr i = 0; i < rt::bucketCnt; ++i) {
      EXPECT_EQ(*static_cast<const std::string*>(testing::KeySlot(t, bucket, i)), "");
      EXPECT_EQ(*static_cast<const std::string*>(testing::ElemSlot(t, bucket, i)), "");
    }
  }
}

TEST(Step1_Makemap, BForHintMatchesGo) {
  // b_for_hint.inc: make(map[int64]int64, hint) for hint -1..2000.
  HeapReleaser release;
  const rt::maptype* t = I64MapType();
  for (const auto& row : BForHintRows()) {
    for (std::int64_t hint = row.min_hint; hint <= row.max_hint; ++hint) {
      rt::hmap* h = rt::makemap(t, hint, nullptr);
      ASSERT_EQ(h->B, row.B) << "hint " << hint;
      EXPECT_EQ(h->count, 0);
      EXPECT_EQ(h->buckets == nullptr, row.B == 0)
          << "buckets are allocated eagerly unless B == 0 (hint " << hint << ")";
    }
  }
}

TEST(Step1_Makemap, SpareOverflowBucketsFromBFour) {
  // Notes (seed 004) and map.go: for B >= 4 makemap keeps the spare
  // overflow buckets in h->extra->nextOverflow; below, there are none.
  HeapReleaser release;
  const rt::maptype* t = I64MapType();
  rt::hmap* small = rt::makemap(t, 52, nullptr);  // B = 3 (b_for_hint.inc)
  EXPECT_EQ(small->B, 3);
  EXPECT_EQ(small->extra, nullptr);
  rt::hmap* big = rt::makemap(t, 104, nullptr);  // B = 4
  EXPECT_EQ(big->B, 4);
  ASSERT_NE(big->extra, nullptr);
  EXPECT_EQ(rt::ViewMap(t, big).spareOverflow, 2);  // prealloc.inc {8, 8, 144, 4, 18}: 18 - 16
}

TEST(Step1_Makemap, ImpossibleHintsMeanNoHint) {
  // map.go makemap: a hint whose buckets would exceed maxAlloc is treated
  // as 0; a negative hint is allowed at run time (facts.inc:
  // make_negative_hint_len = 0) and also gives B = 0 (b_for_hint.inc).
  HeapReleaser release;
  const rt::maptype* t = I64MapType();
  EXPECT_EQ(rt::makemap(t, -1, nullptr)->B, 0);
  EXPECT_EQ(rt::makemap(t, std::numeric_limits<rt::intgo>::min(), nullptr)->B, 0);
  EXPECT_EQ(rt::makemap(t, std::numeric_limits<rt::intgo>::max(), nullptr)->B, 0);
  EXPECT_EQ(rt::makemap(t, rt::intgo{1} << 50, nullptr)->B, 0);  // 2^50 * 144 > 2^48
}

TEST(Step1_Makemap, EveryMapGetsItsOwnSeed) {
  // map.go: hash0 = fastrand() per map, so two maps place the same keys in
  // different buckets and iterate them in different orders.
  DeterministicRuntime fixed(1);
  HeapReleaser release;
  const rt::maptype* t = I64MapType();
  std::set<std::uint32_t> seeds;
  for (int i = 0; i < 100; ++i) seeds.insert(rt::makemap(t, 0, nullptr)->hash0);
  for (int i = 0; i < 100; ++i) seeds.insert(rt::makemap_small()->hash0);
  EXPECT_GE(seeds.size(), 199u);  // 200 draws of 32 bits: a collision is ~5e-6 likely
}

TEST(Step1_Makemap, SmallMapsAllocateNoBuckets) {
  // makemap_small (hint <= 8 known to the compiler): B = 0, buckets later.
  HeapReleaser release;
  rt::hmap* h = rt::makemap_small();
  EXPECT_EQ(h->B, 0);
  EXPECT_EQ(h->count, 0);
  EXPECT_EQ(h->buckets, nullptr);
  EXPECT_EQ(h->extra, nullptr);
}

// The C++ twins of the Go map types in maptypes.inc.
struct Pair32 {
  std::int32_t a;
  std::int32_t b;
};

void ExpectLayout(const rt::maptype* t, const MapTypeRow& go, bool compare_bucketsize = true) {
  SCOPED_TRACE(go.name);
  EXPECT_EQ(t->key->size, static_cast<uintptr>(go.key_size));
  EXPECT_EQ(t->elem->size, static_cast<uintptr>(go.elem_size));
  EXPECT_EQ(t->keysize, go.keysize);
  EXPECT_EQ(t->elemsize, go.elemsize);
  if (compare_bucketsize) {
    EXPECT_EQ(t->bucketsize, go.bucketsize);
  }
  EXPECT_EQ(static_cast<int>(t->flags), go.flags);
  // The runtime walks buckets by t->bucketsize: a map with spares must
  // find its end marker exactly there.
  HeapReleaser release;
  rt::hmap* h = rt::makemap(t, 104, nullptr);  // B = 4
  EXPECT_EQ(h->B, 4);
  EXPECT_GE(rt::ViewMap(t, h).spareOverflow, 1);
}

TEST(Step1_Layout, BucketLayoutMatchesGosCompiler) {
  // maptypes.inc: Go 1.19's maptype for each type. Keys and elems up to 128
  // bytes are stored inline, larger ones through a pointer (slot size 8).
  ExpectLayout(Map<std::int64_t, std::int64_t>::type(), MapTypeLayout("map[int64]int64"));
  ExpectLayout(Map<std::int32_t, std::int8_t>::type(), MapTypeLayout("map[int32]int8"));
  ExpectLayout(Map<std::uint8_t, std::uint8_t>::type(), MapTypeLayout("map[uint8]uint8"));
  ExpectLayout(Map<std::int64_t, bool>::type(), MapTypeLayout("map[int64]bool"));
  ExpectLayout(Map<double, std::int64_t>::type(), MapTypeLayout("map[float64]int64"));
  ExpectLayout(Map<float, std::int32_t>::type(), MapTypeLayout("map[float32]int32"));
  ExpectLayout(Map<Pair32, std::int64_t>::type(), MapTypeLayout("map[struct{a,b int32}]int64"));
  ExpectLayout(Map<std::array<char, 128>, std::int64_t>::type(),
               MapTypeLayout("map[[128]byte]int64"));
  ExpectLayout(Map<std::array<char, 129>, std::int64_t>::type(),
               MapTypeLayout("map[[129]byte]int64"));
  ExpectLayout(Map<std::int64_t, std::array<char, 128>>::type(),
               MapTypeLayout("map[int64][128]byte"));
  ExpectLayout(Map<std::int64_t, std::array<char, 129>>::type(),
               MapTypeLayout("map[int64][129]byte"));
  // A Go string is a 16-byte header, a std::string 32 bytes: same flags
  // (reflexive, needkeyupdate), bigger slots and buckets.
  const rt::maptype* s = Map<std::string, std::int64_t>::type();
  EXPECT_EQ(s->keysize, sizeof(std::string));
  EXPECT_EQ(s->bucketsize, 8 + 8 * sizeof(std::string) + 8 * 8 + 8);
  ExpectLayout(s,
               MapTypeRow{"map[string]int64 (std::string)", static_cast<int>(sizeof(std::string)),
                          8, static_cast<int>(sizeof(std::string)), 8, 0,
                          MapTypeLayout("map[string]int64").flags},
               /*compare_bucketsize=*/false);
}

TEST(Step1_Layout, FastPathsAreChosenAsGosCompilerChooses) {
  // cmd/compile/internal/walk/walk.go mapfast: 4- and 8-byte plain keys
  // and strings get Go's specialised routines (map_fast32.go,
  // map_fast64.go, map_faststr.go), unless elems are stored out of line.
  // maptype.fast records the choice; the kata may ignore it.
  EXPECT_EQ((Map<std::int64_t, std::int64_t>::type()->fast), rt::mapfast64);
  EXPECT_EQ((Map<Pair32, std::int64_t>::type()->fast), rt::mapfast64);
  EXPECT_EQ((Map<std::int32_t, std::int8_t>::type()->fast), rt::mapfast32);
  EXPECT_EQ((Map<std::string, std::int64_t>::type()->fast), rt::mapfaststr);
  EXPECT_EQ((Map<double, std::int64_t>::type()->fast), rt::mapslow);
  EXPECT_EQ((Map<std::uint8_t, std::uint8_t>::type()->fast), rt::mapslow);
  EXPECT_EQ((Map<std::int64_t, std::array<char, 129>>::type()->fast), rt::mapslow);
  HeapReleaser release;
  EXPECT_EQ(rt::makemap(I64MapType(), 9, nullptr)->B, 1);
}

TEST(Step1_Hash, LowBitsPickBucketsEvenlyAndTophashUsesAllValues) {
  // The bucket is hash & bucketMask(B), the slot filter tophash(hash): both
  // ends of the hash must be well mixed. 2^17 sequential keys into 2^10
  // buckets: 128 per bucket expected; every bucket within 64..192, and all
  // 251 tophash values (5..255) seen. (Go's hashes pass the same check;
  // ours is Go's own memhash, alg.h.)
  const rt::maptype* t = I64MapType();
  std::vector<int> per_bucket(1 << 10);
  std::set<int> tops;
  for (std::int64_t k = 0; k < (1 << 17); ++k) {
    const uintptr hash = t->hasher(&k, 12345);
    ++per_bucket[hash & rt::bucketMask(10)];
    tops.insert(rt::tophash(hash));
  }
  for (int b = 0; b < (1 << 10); ++b) {
    EXPECT_GT(per_bucket[b], 64) << "bucket " << b;
    EXPECT_LT(per_bucket[b], 192) << "bucket " << b;
  }
  EXPECT_EQ(tops.size(), 251u);
  EXPECT_EQ(*tops.begin(), rt::minTopHash);
}

TEST(Step1_Hash, SeedsChangeTheBucketOfAKey) {
  // Per-map seeds (hash0) scatter the same key differently in every map.
  const rt::maptype* t = I64MapType();
  const std::int64_t key = 42;
  std::set<uintptr> buckets;
  for (uintptr seed = 1; seed <= 64; ++seed) buckets.insert(t->hasher(&key, seed) & rt::bucketMask(8));
  EXPECT_GE(buckets.size(), 40u);  // 64 seeds into 256 buckets: ~57 distinct expected
}

TEST(Step1_Hash, FloatsHashLikeGo) {
  // alg.go f64hash: +0 and -0 are equal keys and hash alike; every NaN
  // hashes randomly (NaN != NaN, so it can never be found anyway).
  const rt::maptype* t = Map<double, int>::type();
  const double pz = 0.0;
  const double nz = -0.0;
  const double nan = std::nan("");
  EXPECT_EQ(rt::tophash(t->hasher(&pz, 7)), rt::tophash(t->hasher(&nz, 7)));
  EXPECT_TRUE(t->key->equal(&pz, &nz));
  EXPECT_FALSE(t->key->equal(&nan, &nan));
  std::set<uintptr> nan_buckets;
  for (int i = 0; i < 64; ++i) nan_buckets.insert(t->hasher(&nan, 7) & rt::bucketMask(8));
  EXPECT_GE(nan_buckets.size(), 40u);
  const float fz = 0.0f;
  const float fnz = -0.0f;
  const rt::maptype* f = Map<float, int>::type();
  EXPECT_EQ(f->hasher(&fz, 3) & rt::bucketMask(16), f->hasher(&fnz, 3) & rt::bucketMask(16));
}

}  // namespace
}  // namespace gort
