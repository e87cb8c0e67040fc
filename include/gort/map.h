// gort::Map<K, V>: Go's map[K]V for C++.
//
// A Map is one pointer to the runtime's hash table (rt::hmap), exactly what
// a Go map value is. Copying a Map copies the pointer: copies share the
// table, as in Go. A default-constructed Map is the nil map. This file is
// the "compiler" half: it lowers map expressions to the runtime calls in
// include/gort/rt/map.h the way cmd/compile does (walk/builtin.go,
// walk/range.go); the hash table itself, which the chapter teaches, lives
// in the runtime.
//
//   auto m = gort::make_map<std::string, int>();  // make(map[string]int)
//   m.set("a", 1);                                // m["a"] = 1
//   m["b"] = 2;                                   // m["b"] = 2
//   m["b"] += 40;                                 // m["b"] += 40
//   int a = m.get("a");                           // a := m["a"]
//   int z = m.get("zzz");                         // 0: reads never insert
//   auto [v, ok] = m.lookup("b");                 // v, ok := m["b"]
//   gort::delete_(m, "a");                        // delete(m, "a")
//   for (auto [k, v] : m) { ... }                 // for k, v := range m
//   intgo n = m.len();                            // len(m)
//
// Reads never insert. C++'s std::map::operator[] inserts a default value
// when the key is missing; Go's m[k] does not, and neither does gort's.
// get(k) and lookup(k) only read. m[k] returns a small proxy (Map::Index)
// that reads when converted to V and writes when assigned to, so both
// `V x = m[k];` and `m[k] = v;` mean what they mean in Go. Do not keep the
// proxy (`auto x = m[k];` gives you the proxy, not a value).
//
// Keys: any type the runtime can hash and compare (see rt::Type in
// include/gort/rt/type.h): integers, enums, pointers, bool, float, double
// (NaN != NaN, +0 == -0, as in Go), std::string, padding-free structs of
// those, or your own type with a gort::rt::Hasher<K> specialisation. Values:
// any copyable type with a noexcept default constructor (its zero value).
//
// Iteration order is random, on purpose, as in Go: each range starts at a
// random bucket and slot. Deleting during a range is allowed (a deleted
// key not yet reached is not produced); inserting is allowed too (the new
// key may or may not be produced; no key is produced twice). The
// references a range yields stay valid until the next step of the range or
// the next write to the map.
//
// Thread safety: as in Go, none. Any number of threads may read (get,
// lookup, range) at once; a write concurrent with anything else is a bug,
// which the runtime usually detects and reports with Go's fatal error
// ("concurrent map writes", ...; exit status 2).
//
// Panics: set and m[k] = v on a nil map panic (rt::Panic) with Go's
// "assignment to entry in nil map".
//
// Cost: get/set/delete are O(1) on average: one hash, then mostly one
// bucket. A write during growth also moves up to two old buckets.
#ifndef GORT_MAP_H_
#define GORT_MAP_H_

#include <cstring>
#include <initializer_list>
#include <iterator>
#include <type_traits>
#include <utility>

#include "include/gort/rt/map.h"
#include "include/gort/rt/type.h"
#include "include/gort/rt/types.h"

namespace gort {

using rt::intgo;

template <class K, class V>
class Map {
  // Go returns zero values of elements up to rt::maxZero bytes from one
  // shared block of zero bytes; that works for plain-memory types only.
  // Other value types use the _fat entry points with their own zero value.
  static constexpr bool kZeroValIsZero = rt::internal::kTrivial<V> && sizeof(V) <= rt::maxZero;

 public:
  using key_type = K;
  using mapped_type = V;

  class Index;
  class iterator;

  // The nil map: reads find nothing, writes panic.
  Map() = default;
  // Wraps a runtime map header that holds K keys and V values.
  explicit Map(rt::hmap* h) : h_(h) {}

  // len(m).
  intgo len() const { return h_ == nullptr ? 0 : h_->count; }
  // m == nil.
  bool is_nil() const { return h_ == nullptr; }

  // m[k] as a value: the value stored for k, or V() if there is none.
  V get(const K& k) const {
    if constexpr (kZeroValIsZero) {
      const void* p = rt::mapaccess1(type(), h_, &k);
      V v;
      std::memcpy(static_cast<void*>(&v), p, sizeof(V));
      return v;
    } else {
      return *static_cast<const V*>(rt::mapaccess1_fat(type(), h_, &k, Zero()));
    }
  }

  // v, ok := m[k].
  std::pair<V, bool> lookup(const K& k) const {
    bool ok;
    if constexpr (kZeroValIsZero) {
      const void* p = rt::mapaccess2(type(), h_, &k, &ok);
      V v;
      std::memcpy(static_cast<void*>(&v), p, sizeof(V));
      return {v, ok};
    } else {
      return {*static_cast<const V*>(rt::mapaccess2_fat(type(), h_, &k, Zero(), &ok)), ok};
    }
  }

  // m[k] = v. Panics "assignment to entry in nil map" on a nil map.
  void set(const K& k, const V& v) const { *Slot(k) = v; }

  // m[k], to read or to write (see the top of this file).
  Index operator[](const K& k) const { return Index(*this, k); }

  // for k, v := range m. Random order; see the top of this file.
  iterator begin() const {
    iterator it;
    rt::mapiterinit(type(), h_, &it.it_);
    return it;
  }
  std::default_sentinel_t end() const { return {}; }

  // The map's type descriptor and header, for code (and tests) that talk
  // to the runtime directly.
  static const rt::maptype* type() { return rt::MapTypeOf<K, V>(); }
  rt::hmap* header() const { return h_; }

 private:
  template <class K2, class V2>
  friend void clear(Map<K2, V2> m);

  // *mapassign(m, k): the element slot for k, inserted (as V()) if new.
  V* Slot(const K& k) const { return static_cast<V*>(rt::mapassign(type(), h_, &k)); }

  static void* Zero() {
    static V* const zero = new V();  // never destroyed: used until exit
    return zero;
  }

  rt::hmap* h_ = nullptr;
};

// Map::Index: what m[k] returns. Converting it to V reads (never inserts);
// assigning to it writes, as do +=, -= and ++ (Go lowers m[k] op= v to
// *mapassign(m, k) op= v, so a missing key starts from V()). It holds a
// copy of the key.
template <class K, class V>
class Map<K, V>::Index {
 public:
  Index(Map m, const K& k) : m_(m), key_(k) {}
  Index(const Index&) = default;

  operator V() const { return m_.get(key_); }  // NOLINT: implicit on purpose

  const Index& operator=(const V& v) const {
    m_.set(key_, v);
    return *this;
  }
  // m[a] = m[b]: read b, then write a.
  const Index& operator=(const Index& other) const { return *this = static_cast<V>(other); }
  const Index& operator+=(const V& v) const {
    *m_.Slot(key_) += v;
    return *this;
  }
  const Index& operator-=(const V& v) const {
    *m_.Slot(key_) -= v;
    return *this;
  }
  const Index& operator++() const {
    ++*m_.Slot(key_);
    return *this;
  }

 private:
  Map m_;
  K key_;
};

// Map::iterator: one range loop (an rt::hiter). *it is a pair of
// references to the current key and value.
template <class K, class V>
class Map<K, V>::iterator {
 public:
  using value_type = std::pair<const K&, const V&>;
  using difference_type = std::ptrdiff_t;

  value_type operator*() const {
    return {*static_cast<const K*>(it_.key), *static_cast<const V*>(it_.elem)};
  }
  iterator& operator++() {
    rt::mapiternext(&it_);
    return *this;
  }
  void operator++(int) { ++*this; }
  friend bool operator==(const iterator& it, std::default_sentinel_t) {
    return it.it_.key == nullptr;
  }

 private:
  friend class Map;
  rt::hiter it_;
};

// make(map[K]V) and make(map[K]V, hint): an empty map with room for about
// hint entries before it has to grow.
template <class K, class V>
Map<K, V> make_map(intgo hint = 0) {
  // Go's compiler calls makemap_small when the hint is known to be small.
  if (hint >= 0 && hint <= static_cast<intgo>(rt::bucketCnt)) {
    return Map<K, V>(rt::makemap_small());
  }
  return Map<K, V>(rt::makemap(Map<K, V>::type(), hint, nullptr));
}

// A map literal: map[K]V{k1: v1, k2: v2}.
template <class K, class V>
Map<K, V> map_of(std::initializer_list<std::pair<const K, V>> entries) {
  Map<K, V> m = make_map<K, V>(static_cast<intgo>(entries.size()));
  for (const auto& [k, v] : entries) m.set(k, v);
  return m;
}

// delete(m, k). Deleting a missing key, or from a nil map, does nothing.
template <class K, class V>
void delete_(Map<K, V> m, const std::type_identity_t<K>& k) {
  rt::mapdelete(Map<K, V>::type(), m.header(), &k);
}

// clear(m): removes every entry and keeps the buckets (Go 1.19 compiles
// `for k := range m { delete(m, k) }` to this for most key types; Go 1.21
// calls it clear). Unlike that loop, it also removes NaN keys.
template <class K, class V>
void clear(Map<K, V> m) {
  rt::mapclear(Map<K, V>::type(), m.h_);
}

}  // namespace gort

#endif  // GORT_MAP_H_
