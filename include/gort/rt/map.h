// The runtime side of Go maps: the hash table behind map[K]V, and the
// functions the compiler calls for make, m[k], m[k] = v, delete and range.
//
// Mirrors Go 1.19 src/runtime/map.go. The bucket layout at the end of this
// file (MapTypeOf) is what Go's compiler builds in
// cmd/compile/internal/reflectdata/reflect.go (MapBucketType).
//
// The shape. A map is an hmap header pointing at an array of 2^B buckets.
// A bucket (bmap) has 8 slots, laid out as Go lays them out:
//
//   tophash[8] | key[0..7] | elem[0..7] | overflow *bmap
//
// Keys together, then values together: no padding between a key and its
// value (map[int64]int8 would waste 7 bytes per pair otherwise). The low B
// bits of a key's hash pick the bucket; its top 8 bits (tophash) are kept
// in the slot's tophash byte, so a lookup compares one byte per slot and
// calls the key's equal only when that byte matches. When all 8 slots of a
// bucket are taken, a new overflow bucket is chained on. Keys or values
// bigger than 128 bytes are stored out of line: the slot holds a pointer.
//
// Invariants (all of them hold between calls; evacuate breaks the first one
// for the bucket it is moving, which nobody else can see during a write):
//   - A bucket chain (a bucket and its overflow buckets) is either wholly
//     evacuated (every tophash byte is evacuatedX, evacuatedY or
//     evacuatedEmpty) or not evacuated at all.
//   - tophash[i] >= minTopHash exactly when slot i holds a key; the small
//     values below minTopHash are markers (see below).
//   - emptyRest at slot i means slots i.. of this bucket and every slot of
//     its overflow buckets are empty, so searches stop there.
//   - Keys never move within their chain once stored (iterators rely on
//     it: a key moved backwards would be returned twice, or not at all).
//   - h->oldbuckets != nullptr exactly while the map grows; old buckets
//     below h->nevacuate are evacuated.
//   - (gort) Every key and value slot holds a constructed value: the zero
//     value when the slot is empty. For plain-memory types that is just
//     zero bytes, as in Go; for std::string and friends it lets the bucket
//     type's hooks destroy every slot at teardown.
//
// Concurrency: none, as in Go. A write sets hashWriting in h->flags for its
// duration; a read, write or iteration step that finds it set reports the
// race with fatal("concurrent map ..."), which ends the process. This
// detection is best effort: it catches most races, not all.
//
// Memory: everything comes from mallocgc and lives until the runtime is
// torn down (there is no collector yet). Old bucket arrays, emptied
// overflow buckets and out-of-line keys of deleted entries are therefore
// kept until gort::Run returns, where Go's GC would free them earlier.
#ifndef GORT_RT_MAP_H_
#define GORT_RT_MAP_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>

#include "include/gort/rt/mbarrier.h"
#include "include/gort/rt/sizeclasses.h"
#include "include/gort/rt/slice.h"
#include "include/gort/rt/type.h"
#include "include/gort/rt/types.h"

namespace gort::rt {

// Maximum number of key/elem pairs a bucket can hold.
inline constexpr int bucketCntBits = 3;
inline constexpr uintptr bucketCnt = uintptr{1} << bucketCntBits;

// The load factor that triggers growth, 6.5 average entries per bucket,
// kept as 13/2 so the check is integer arithmetic. Why 6.5: Go measured
// (map.go's table) that lower factors waste memory on empty slots and
// higher ones chain many overflow buckets; at 6.5 about 21% of buckets have
// an overflow bucket just before growth, at 10.8 bytes of overhead per
// entry.
inline constexpr uintptr loadFactorNum = 13;
inline constexpr uintptr loadFactorDen = 2;

// Keys and values larger than this are stored out of line (indirectly).
inline constexpr uintptr maxKeySize = 128;
inline constexpr uintptr maxElemSize = 128;

// Where the keys start in a bucket: right after tophash[8], 8-aligned.
inline constexpr uintptr dataOffset = 8;

// Tophash markers. Values below minTopHash never come from a hash (tophash
// bumps small top bytes up by minTopHash).
inline constexpr std::uint8_t emptyRest = 0;       // empty, and so is every later slot and overflow bucket
inline constexpr std::uint8_t emptyOne = 1;        // empty
inline constexpr std::uint8_t evacuatedX = 2;      // moved to the first half of the new array
inline constexpr std::uint8_t evacuatedY = 3;      // moved to the second half
inline constexpr std::uint8_t evacuatedEmpty = 4;  // empty, and the bucket is evacuated
inline constexpr std::uint8_t minTopHash = 5;      // smallest tophash of a filled slot

// hmap.flags bits.
inline constexpr std::uint8_t iterator = 1;      // there may be an iterator using buckets
inline constexpr std::uint8_t oldIterator = 2;   // there may be an iterator using oldbuckets
inline constexpr std::uint8_t hashWriting = 4;   // a write is in progress
inline constexpr std::uint8_t sameSizeGrow = 8;  // the current growth keeps the bucket count

// Sentinel bucket number for iterator checks: "no check needed".
inline constexpr uintptr noCheck = ~uintptr{0};

// The largest value mapaccess1 can return a zero for (Go: maxZero) and the
// zero bytes it points at for missing keys. Never written.
inline constexpr uintptr maxZero = 1024;
alignas(16) inline std::uint8_t zeroVal[maxZero] = {};

struct maptype;

// isEmpty reports whether a tophash byte marks an empty slot.
inline bool isEmpty(std::uint8_t x) { return x <= emptyOne; }

// bmap: a bucket. Only tophash is declared; keys, elems and the overflow
// pointer follow at offsets the maptype gives.
struct bmap {
  // tophash[i] is the top byte of the hash of key i, or a marker. If
  // tophash[0] is one of the evacuated* markers, the whole chain has been
  // evacuated.
  std::uint8_t tophash[bucketCnt];

  // The next bucket of this chain (the last word of the bucket), or null.
  inline bmap* overflow(const maptype* t) const;
  inline void setoverflow(const maptype* t, bmap* ovf);
  // Address of key slot 0.
  void* keys() { return reinterpret_cast<char*>(this) + dataOffset; }
};

// evacuated reports whether b's chain has been moved to the new array.
inline bool evacuated(const bmap* b) {
  const std::uint8_t h = b->tophash[0];
  return h > emptyOne && h < minTopHash;
}

// mapextra: fields not every map needs.
struct mapextra {
  // When neither keys nor values hold pointers, Go marks buckets as
  // pointer-free so the GC skips them, and keeps overflow buckets alive by
  // listing them here instead ([]*bmap). overflow lists those of buckets,
  // oldoverflow those of oldbuckets. gort keeps the same lists (each a
  // slice of bmap*, grown with growslice) for the collector to come.
  slice* overflow;
  slice* oldoverflow;
  // The next free preallocated overflow bucket (see makeBucketArray).
  bmap* nextOverflow;
};

// hmap: the map header; a map value is a pointer to one (nil map: null).
// Plain memory: newobject hands it out zeroed, as Go's new(hmap).
struct hmap {
  intgo count;              // live entries: len(m). Must be first.
  std::uint8_t flags;       // iterator | oldIterator | hashWriting | sameSizeGrow
  std::uint8_t B;           // log2 of the bucket count (holds up to 6.5 * 2^B entries)
  std::uint16_t noverflow;  // about how many overflow buckets (exact below B = 16)
  std::uint32_t hash0;      // hash seed, random per map

  void* buckets;     // 2^B buckets; null only while B == 0 and nothing was stored
  void* oldbuckets;  // the previous, half-size (or same-size) array while growing
  uintptr nevacuate;  // old buckets below this are evacuated
  mapextra* extra;    // optional fields

  // growing reports whether the map is being grown (to double or same size).
  bool growing() const { return oldbuckets != nullptr; }
  // sameSizeGrow reports whether the current growth keeps the bucket count.
  bool sameSizeGrow() const { return (flags & rt::sameSizeGrow) != 0; }
  // noldbuckets: the bucket count before the current growth.
  uintptr noldbuckets() const {
    std::uint8_t oldB = B;
    if (!sameSizeGrow()) --oldB;
    return uintptr{1} << oldB;
  }
  // oldbucketmask: a mask computing n % noldbuckets().
  uintptr oldbucketmask() const { return noldbuckets() - 1; }

  // Step 3. incrnoverflow counts one more overflow bucket: exactly while
  // B < 16, and with probability 1/2^(B-15) above, so that noverflow (16
  // bits) reaches 2^15 when there are about as many overflow buckets as
  // buckets.
  void incrnoverflow();
  // Step 3. newoverflow chains a fresh overflow bucket after b (taken from
  // the preallocated ones if any are left) and returns it.
  bmap* newoverflow(const maptype* t, bmap* b);
  // Step 3. createOverflow makes sure extra and extra->overflow exist.
  void createOverflow();
};

// maptype: what the compiler knows about map[K]V (Go: maptype).
struct maptype {
  const Type* key;
  const Type* elem;
  const Type* bucket;  // the bucket type: tophash, keys, elems, overflow
  // Hashes a key with a seed (the key type's hash).
  uintptr (*hasher)(const void* key, uintptr seed);
  std::uint8_t keysize;     // bytes of a key slot (a pointer if indirect)
  std::uint8_t elemsize;    // bytes of an elem slot (a pointer if indirect)
  std::uint16_t bucketsize;  // bytes of a bucket
  std::uint32_t flags;
  // gort: which of Go's specialised map routines the compiler would call
  // for this type (cmd/compile walk.go mapfast: mapfast32, mapfast64,
  // mapfaststr, or mapslow). Go has separate functions for them
  // (map_fast32.go, map_fast64.go, map_faststr.go); the reference
  // implementation takes a specialised path inside the same functions
  // instead. Nothing requires it: the generic path is always correct.
  std::uint8_t fast;

  // Keys (elems) are stored out of line; the slot holds a pointer.
  bool indirectkey() const { return (flags & 1) != 0; }
  bool indirectelem() const { return (flags & 2) != 0; }
  // k == k for every key k (false for floats: NaN != NaN).
  bool reflexivekey() const { return (flags & 4) != 0; }
  // Overwriting an existing key must store the new key too (+0 vs -0;
  // Go also sets it for strings).
  bool needkeyupdate() const { return (flags & 8) != 0; }
};

// maptype.fast values (Go: cmd/compile/internal/walk/walk.go).
inline constexpr std::uint8_t mapslow = 0;
inline constexpr std::uint8_t mapfast32 = 1;
inline constexpr std::uint8_t mapfast64 = 2;
inline constexpr std::uint8_t mapfaststr = 3;

inline constexpr std::uint32_t kIndirectKey = 1;
inline constexpr std::uint32_t kIndirectElem = 2;
inline constexpr std::uint32_t kReflexiveKey = 4;
inline constexpr std::uint32_t kNeedKeyUpdate = 8;

inline bmap* bmap::overflow(const maptype* t) const {
  return *reinterpret_cast<bmap* const*>(reinterpret_cast<const char*>(this) +
                                         t->bucketsize - kPtrSize);
}

inline void bmap::setoverflow(const maptype* t, bmap* ovf) {
  *reinterpret_cast<bmap**>(reinterpret_cast<char*>(this) + t->bucketsize - kPtrSize) = ovf;
}

// memclrBucketData clears everything in bucket b after its tophash bytes
// (keys, elems, overflow pointer), as Go's evacuate does with
// memclrHasPointers once a bucket is evacuated: every slot goes back to its
// zero value (out-of-line slots to null) and the chain is unlinked. For
// plain-memory buckets this is one memset; for buckets of C++ values it
// resets slot by slot so the values release what they own.
inline void memclrBucketData(const maptype* t, bmap* b) {
  char* p = reinterpret_cast<char*>(b);
  if (t->bucket->trivial) {
    std::memset(p + dataOffset, 0, t->bucketsize - dataOffset);
    return;
  }
  for (uintptr i = 0; i < bucketCnt; ++i) {
    void* k = p + dataOffset + i * t->keysize;
    void* e = p + dataOffset + bucketCnt * t->keysize + i * t->elemsize;
    if (t->indirectkey()) {
      *static_cast<void**>(k) = nullptr;
    } else {
      typedmemclr(t->key, k);
    }
    if (t->indirectelem()) {
      *static_cast<void**>(e) = nullptr;
    } else {
      typedmemclr(t->elem, e);
    }
  }
  b->setoverflow(t, nullptr);
}

// hiter: the state of one range loop over a map (Go: hiter). key and elem
// point at the current entry; key is null when the loop is over.
struct hiter {
  void* key = nullptr;      // null means the iteration is over
  void* elem = nullptr;
  const maptype* t = nullptr;
  hmap* h = nullptr;
  void* buckets = nullptr;  // h->buckets when the iteration started
  bmap* bptr = nullptr;     // the bucket being walked
  slice* overflow = nullptr;     // keeps h->buckets' overflow buckets listed
  slice* oldoverflow = nullptr;  // and h->oldbuckets'
  uintptr startBucket = 0;  // the (random) bucket the iteration started at
  std::uint8_t offset = 0;  // the (random) slot each bucket is started at
  bool wrapped = false;     // went past the last bucket back to bucket 0
  std::uint8_t B = 0;       // h->B when the iteration started
  std::uint8_t i = 0;       // next slot to look at in bptr
  uintptr bucket = 0;       // next bucket to walk
  uintptr checkBucket = 0;  // when walking an old bucket: the new bucket whose keys to return
};

// ---------------------------------------------------------------------------
// Step 1: layout and sizing.

// bucketShift returns 2^b (the bucket count for B = b).
uintptr bucketShift(std::uint8_t b);
// bucketMask returns 2^b - 1 (hash & bucketMask(B) picks the bucket).
uintptr bucketMask(std::uint8_t b);
// tophash returns the top byte of hash, bumped by minTopHash when it would
// collide with a marker.
std::uint8_t tophash(uintptr hash);
// overLoadFactor reports whether count entries in 2^B buckets exceed the
// load factor: count > 8 and count > 13 * (2^B / 2).
bool overLoadFactor(intgo count, std::uint8_t B);
// tooManyOverflowBuckets reports whether noverflow overflow buckets are
// too many for 2^B buckets: noverflow >= 2^min(B, 15).
bool tooManyOverflowBuckets(std::uint16_t noverflow, std::uint8_t B);

struct bucketArray {
  void* buckets;
  bmap* nextOverflow;  // first preallocated overflow bucket, or null
};
// makeBucketArray allocates 2^b buckets, plus 2^(b-4) preallocated overflow
// buckets when b >= 4, rounded up to fill the allocation's size class.
// The spare buckets follow the main ones; the last spare's overflow pointer
// is set to the array itself to mark the end. With dirtyalloc (an array
// from an earlier call with the same t and b) it clears and reuses that
// array instead.
bucketArray makeBucketArray(const maptype* t, std::uint8_t b, void* dirtyalloc);
// makemap_small: make(map[K]V) or make(map[K]V, hint) with hint <= 8.
hmap* makemap_small();
// makemap: make(map[K]V, hint). Picks the smallest B that holds hint
// entries; allocates buckets now unless B == 0. A hint < 0 or too large
// counts as 0. h, when not null, is the header to use.
hmap* makemap(const maptype* t, intgo hint, hmap* h);

// ---------------------------------------------------------------------------
// Step 2: access.

// mapaccess1: m[key] as a value. Returns a pointer to the element, or to
// zeroVal when the key is absent (elems up to maxZero bytes). Never null.
void* mapaccess1(const maptype* t, hmap* h, const void* key);
// mapaccess2: v, ok := m[key].
void* mapaccess2(const maptype* t, hmap* h, const void* key, bool* ok);
// mapaccess1_fat and mapaccess2_fat: the same for element types whose zero
// value is not zeroVal's bytes (bigger than maxZero, or non-trivial C++
// types); `zero` points at a zero value to return for missing keys.
void* mapaccess1_fat(const maptype* t, hmap* h, const void* key, void* zero);
void* mapaccess2_fat(const maptype* t, hmap* h, const void* key, void* zero, bool* ok);
// mapaccessK returns pointers to the stored key and element, or nulls.
// (Used by iteration.)
struct keyElem {
  void* key;
  void* elem;
};
keyElem mapaccessK(const maptype* t, hmap* h, const void* key);

// ---------------------------------------------------------------------------
// Step 3: assign.

// mapassign: m[key] = ... Finds or makes the slot for key and returns a
// pointer to its element, which the caller then stores into. Panics
// "assignment to entry in nil map" (a plainError) when h is null.
void* mapassign(const maptype* t, hmap* h, const void* key);

// ---------------------------------------------------------------------------
// Step 4: delete and clear.

// mapdelete: delete(m, key). A nil map or a missing key is a no-op.
void mapdelete(const maptype* t, hmap* h, const void* key);
// mapclear: removes every entry, keeping the bucket array (what Go 1.19
// compiles `for k := range m { delete(m, k) }` into, and Go 1.21's clear).
void mapclear(const maptype* t, hmap* h);

// ---------------------------------------------------------------------------
// Step 5: growth.

// hashGrow starts growing: doubles the bucket count when the map is over
// the load factor, else (too many overflow buckets) allocates the same
// count again. Moves nothing: growWork and evacuate do that, little by
// little, on later writes.
void hashGrow(const maptype* t, hmap* h);
// growWork evacuates the old bucket that `bucket` (a new bucket number)
// comes from, and one more to make progress.
void growWork(const maptype* t, hmap* h, uintptr bucket);
// evacuate moves the entries of old bucket `oldbucket` (and its overflow
// chain) to the new array: to the same index (X) or, when doubling, to
// index + noldbuckets (Y), by the hash bit that the doubling adds.
void evacuate(const maptype* t, hmap* h, uintptr oldbucket);
// advanceEvacuationMark moves nevacuate past evacuated buckets and ends the
// growth when all of them are.
void advanceEvacuationMark(hmap* h, const maptype* t, uintptr newbit);
// bucketEvacuated reports whether old bucket `bucket` has been evacuated.
bool bucketEvacuated(const maptype* t, hmap* h, uintptr bucket);

// ---------------------------------------------------------------------------
// Step 6: iteration.

// mapiterinit starts `for k, v := range m`: picks a random start bucket and
// slot offset and advances to the first entry (it->key null if none).
void mapiterinit(const maptype* t, hmap* h, hiter* it);
// mapiternext advances to the next entry; it->key becomes null at the end.
void mapiternext(hiter* it);

// ---------------------------------------------------------------------------
// What the compiler emits for map[K]V: the bucket type and the maptype.

namespace internal {

// A key or elem slot: the value itself, or a pointer to it when it is too
// big to keep inline.
template <class T, uintptr kMax>
using MapSlot = std::conditional_t<(sizeof(T) > kMax), T*, T>;

// The bucket struct Go's compiler builds (MapBucketType): tophash, 8 keys,
// 8 elems, then the overflow pointer. Being a real C++ struct, its type
// descriptor (TypeOf) zero-constructs and destroys every key and elem slot,
// which is how buckets of std::string keys are built and torn down.
template <class K, class V>
struct MapBucket {
  std::uint8_t tophash[bucketCnt];
  MapSlot<K, maxKeySize> keys[bucketCnt];
  MapSlot<V, maxElemSize> elems[bucketCnt];
  bmap* overflow;
};

template <class K>
constexpr bool ReflexiveKey() {
  if constexpr (requires { Hasher<K>::reflexive; }) {
    return Hasher<K>::reflexive;
  } else {
    return !std::is_floating_point_v<K>;
  }
}

// cmd/compile's mapfast: a specialised routine for 4- and 8-byte
// plain-memory keys and for strings, unless the elem is stored out of line.
template <class K, class V>
constexpr std::uint8_t MapFast() {
  if constexpr (sizeof(V) > maxElemSize) {
    return mapslow;
  } else if constexpr (std::is_same_v<K, std::string>) {
    return mapfaststr;
  } else if constexpr (kRegularMemory<K> && !UserHashed<K> && !UserEqual<K>) {
    return sizeof(K) == 4 ? mapfast32 : sizeof(K) == 8 ? mapfast64 : mapslow;
  } else {
    return mapslow;
  }
}

template <class K>
constexpr bool NeedKeyUpdate() {
  return std::is_floating_point_v<K> || std::is_same_v<K, std::string> ||
         !ReflexiveKey<K>();
}

}  // namespace internal

// A bucket is pointer-free (Go: the GC need not scan it; the overflow
// pointers are then kept in mapextra instead) when keys and elems are
// inline and pointer-free.
template <class K, class V>
struct PointerFree<internal::MapBucket<K, V>>
    : std::bool_constant<PointerFree<K>::value && PointerFree<V>::value &&
                         sizeof(K) <= maxKeySize && sizeof(V) <= maxElemSize> {};

// MapTypeOf<K, V>(): the one maptype of map[K]V.
template <class K, class V>
const maptype* MapTypeOf() {
  using Bucket = internal::MapBucket<K, V>;
  static_assert(internal::kHashable<K>,
                "map key type has no hash: use a plain-memory type, float, double, "
                "std::string, or specialise gort::rt::Hasher<K>");
  static_assert(internal::kComparable<K>, "map key type has no ==");
  static_assert(alignof(K) <= 8 && alignof(V) <= 8, "key/elem align too big");
  // Go's layout, which the runtime's offset arithmetic assumes.
  static_assert(sizeof(Bucket) ==
                    alignUp(dataOffset + bucketCnt * sizeof(internal::MapSlot<K, maxKeySize>) +
                                bucketCnt * sizeof(internal::MapSlot<V, maxElemSize>),
                            kPtrSize) +
                        kPtrSize,
                "bucket layout differs from Go's");
  static const maptype type = [] {
    maptype t{};
    t.key = TypeOf<K>();
    t.elem = TypeOf<V>();
    t.bucket = TypeOf<Bucket>();
    t.hasher = t.key->hash;
    t.keysize = sizeof(internal::MapSlot<K, maxKeySize>);
    t.elemsize = sizeof(internal::MapSlot<V, maxElemSize>);
    t.bucketsize = sizeof(Bucket);
    t.flags = (sizeof(K) > maxKeySize ? kIndirectKey : 0) |
              (sizeof(V) > maxElemSize ? kIndirectElem : 0) |
              (internal::ReflexiveKey<K>() ? kReflexiveKey : 0) |
              (internal::NeedKeyUpdate<K>() ? kNeedKeyUpdate : 0);
    t.fast = internal::MapFast<K, V>();
    return t;
  }();
  return &type;
}

}  // namespace gort::rt

#endif  // GORT_RT_MAP_H_
