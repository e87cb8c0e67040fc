// Helpers shared by the chapter 02 tests.
#ifndef GORT_TESTS_02_MAPS_TEST_UTIL_H_
#define GORT_TESTS_02_MAPS_TEST_UTIL_H_

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "include/gort/map.h"
#include "include/gort/rt/alg.h"
#include "include/gort/rt/fastrand.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/map.h"
#include "include/gort/rt/mapview.h"
#include "include/gort/rt/types.h"

namespace gort::testing {

using rt::uintptr;
using I64Map = Map<std::int64_t, std::int64_t>;
inline const rt::maptype* I64MapType() { return I64Map::type(); }

// Fixes every random choice the runtime makes (fastrand: map seeds,
// iteration starts) and the process hash key (alginit), so bucket layouts,
// growth and iteration orders replay exactly: statistical tests become
// deterministic. Create it before any map of the test.
class DeterministicRuntime {
 public:
  explicit DeterministicRuntime(std::uint64_t seed) {
    rt::SetFastrandSeed(seed);
    rt::alginit(seed);
  }
  ~DeterministicRuntime() {
    rt::SetFastrandSeed(0);
    rt::alginit(0);
  }
};

// Frees what a test allocated through mallocgc outside gort::Run.
class HeapReleaser {
 public:
  ~HeapReleaser() { rt::ReleaseHeapForTeardown(); }
};

// Reads a trivially copyable T from p (the runtime hands out void*).
template <class T>
T Load(const void* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

// The bucket of key k in h: the low B bits of its hash (computed here,
// not with the runtime's bucketMask, so helpers do not depend on a kata).
template <class K>
uintptr BucketOf(const rt::maptype* t, const rt::hmap* h, const K& k) {
  return t->hasher(&k, h->hash0) & ((uintptr{1} << h->B) - 1);
}

// n distinct int64 keys, counting up from `from`, that land in bucket b.
inline std::vector<std::int64_t> KeysInBucket(const rt::maptype* t, const rt::hmap* h, uintptr b,
                                              int n, std::int64_t from = 0) {
  std::vector<std::int64_t> keys;
  for (std::int64_t k = from; static_cast<int>(keys.size()) < n; ++k) {
    if (BucketOf(t, h, k) == b) keys.push_back(k);
  }
  return keys;
}

// The key and elem slots of bucket b (no indirection).
inline void* KeySlot(const rt::maptype* t, const rt::bmap* b, uintptr i) {
  return const_cast<char*>(reinterpret_cast<const char*>(b)) + rt::dataOffset + i * t->keysize;
}
inline void* ElemSlot(const rt::maptype* t, const rt::bmap* b, uintptr i) {
  return const_cast<char*>(reinterpret_cast<const char*>(b)) + rt::dataOffset +
         rt::bucketCnt * t->keysize + i * t->elemsize;
}

// PlaceKey puts k -> v into h by hand, the way the step 2 tests need maps
// built before mapassign exists: into the first slot of k's chain whose
// tophash is below minTopHash (chaining a new overflow bucket when the
// chain is full), without any growth. Plain-memory K and V only; big ones
// are stored out of line as the map type says.
template <class K, class V>
void PlaceKey(const rt::maptype* t, rt::hmap* h, const K& k, const V& v) {
  static_assert(std::is_trivially_copyable_v<K> && std::is_trivially_copyable_v<V>);
  if (h->buckets == nullptr) h->buckets = rt::newarray(t->bucket, intgo{1} << h->B);
  const uintptr hash = t->hasher(&k, h->hash0);
  std::uint8_t top = static_cast<std::uint8_t>(hash >> 56);
  if (top < rt::minTopHash) top += rt::minTopHash;
  auto* b = reinterpret_cast<rt::bmap*>(static_cast<char*>(h->buckets) +
                                        (hash & ((uintptr{1} << h->B) - 1)) * t->bucketsize);
  for (;;) {
    for (uintptr i = 0; i < rt::bucketCnt; ++i) {
      if (b->tophash[i] >= rt::minTopHash) continue;
      b->tophash[i] = top;
      void* ks = KeySlot(t, b, i);
      void* es = ElemSlot(t, b, i);
      if (t->indirectkey()) ks = *static_cast<void**>(ks) = rt::newobject(t->key);
      if (t->indirectelem()) es = *static_cast<void**>(es) = rt::newobject(t->elem);
      std::memcpy(ks, &k, sizeof(K));
      std::memcpy(es, &v, sizeof(V));
      ++h->count;
      return;
    }
    if (b->overflow(t) == nullptr) b->setoverflow(t, static_cast<rt::bmap*>(rt::newobject(t->bucket)));
    b = b->overflow(t);
  }
}

// Untyped access to a map[int64]int64, as compiled Go code does it:
// m[k] (mapaccess1), _, ok := m[k] (mapaccess2), m[k] = v (mapassign).
inline std::int64_t I64Get(rt::hmap* h, std::int64_t k) {
  return Load<std::int64_t>(rt::mapaccess1(I64MapType(), h, &k));
}
inline bool I64Has(rt::hmap* h, std::int64_t k) {
  bool ok;
  rt::mapaccess2(I64MapType(), h, &k, &ok);
  return ok;
}
inline void I64Put(rt::hmap* h, std::int64_t k, std::int64_t v) {
  *static_cast<std::int64_t*>(rt::mapassign(I64MapType(), h, &k)) = v;
}

// Inserts key -> key for keys first, first+1, ... until h->B reaches b
// (the insert that starts the doubling to b is the last one). Returns the
// next unused key.
inline std::int64_t InsertUntilB(rt::hmap* h, int b, std::int64_t first = 0) {
  std::int64_t k = first;
  while (h->B < b) {
    I64Put(h, k, k);
    ++k;
  }
  return k;
}

// A map's internals, seen from a typed Map.
template <class K, class V>
rt::MapView View(const Map<K, V>& m) {
  return rt::ViewMap(Map<K, V>::type(), m.header());
}

}  // namespace gort::testing

#endif  // GORT_TESTS_02_MAPS_TEST_UTIL_H_
