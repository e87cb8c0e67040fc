// gort::sync::Map<K, V>: Go's sync.Map with typed keys and values.
//
//   gort::sync::Map<int, std::string> m;
//   m.Store(1, "a");
//   auto [v, ok] = m.Load(1);                  // "a", true
//   auto [a, loaded] = m.LoadOrStore(2, "c");  // "c", false
//   m.Range([](const int& k, const std::string& v) { ...; return true; });
//
// Thin plumbing over the untyped core in include/gort/rt/syncmap.h
// (chapter 10), the way Go's sync.Map is library code over `any`: this
// header only boxes values (Go's conversion to `any`, a mallocgc'd copy
// that is never written again) and passes the map[K]*entry descriptor
// down. Safe for concurrent use by many goroutines; the methods must run
// inside gort::Run (the slow paths lock a sync.Mutex). The zero value is
// an empty map, ready to use; do not copy a Map once used.
//
// Mirrors Go 1.19 src/sync/map.go (API and semantics).
#ifndef GORT_SYNCMAP_H_
#define GORT_SYNCMAP_H_

#include <concepts>
#include <utility>

#include "absl/functional/function_ref.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/map.h"
#include "include/gort/rt/syncmap.h"
#include "include/gort/rt/type.h"

namespace gort::sync {

using rt::sync::EntryState;
using rt::sync::KeyStats;
using rt::sync::MapStats;

template <class K, class V>
class Map {
 public:
  Map() = default;
  Map(const Map&) = delete;
  Map& operator=(const Map&) = delete;

  // value, ok := m.Load(key). A missing key gives V's zero value.
  std::pair<V, bool> Load(const K& key) {
    bool ok;
    void* box = m_.Load(type(), &key, &ok);
    return ok ? std::pair<V, bool>(*static_cast<V*>(box), true) : std::pair<V, bool>(V{}, false);
  }
  void Store(const K& key, const V& value) { m_.Store(type(), &key, Box(value)); }
  // actual, loaded := m.LoadOrStore(key, value).
  std::pair<V, bool> LoadOrStore(const K& key, const V& value) {
    bool loaded;
    void* box = m_.LoadOrStore(type(), &key, Box(value), &loaded);
    return {*static_cast<V*>(box), loaded};
  }
  // value, loaded := m.LoadAndDelete(key).
  std::pair<V, bool> LoadAndDelete(const K& key) {
    bool loaded;
    void* box = m_.LoadAndDelete(type(), &key, &loaded);
    return loaded ? std::pair<V, bool>(*static_cast<V*>(box), true)
                  : std::pair<V, bool>(V{}, false);
  }
  void Delete(const K& key) { m_.Delete(type(), &key); }
  // f(key, value) for each live key until f returns false. No key is
  // visited twice; a key stored or deleted during the call may or may not
  // be visited. f may call any method of m.
  void Range(absl::FunctionRef<bool(const K&, const V&)> f) {
    m_.Range(
        type(),
        [](void* ctx, const void* k, void* v) {
          return (*static_cast<absl::FunctionRef<bool(const K&, const V&)>*>(ctx))(
              *static_cast<const K*>(k), *static_cast<const V*>(v));
        },
        &f);
  }

  // Go 1.20's Swap: stores value, returns the previous one (loaded) or V{}.
  std::pair<V, bool> Swap(const K& key, const V& value) {
    bool loaded;
    void* box = m_.Swap(type(), &key, Box(value), &loaded);
    return loaded ? std::pair<V, bool>(*static_cast<V*>(box), true)
                  : std::pair<V, bool>(V{}, false);
  }
  // Go 1.20's CompareAndSwap: swaps if key's value == old.
  bool CompareAndSwap(const K& key, const V& old, const V& value)
    requires std::equality_comparable<V>
  {
    return m_.CompareAndSwap(type(), &key, &old, Box(value), &Equal);
  }
  // Go 1.20's CompareAndDelete: deletes if key's value == old.
  bool CompareAndDelete(const K& key, const V& old)
    requires std::equality_comparable<V>
  {
    return m_.CompareAndDelete(type(), &key, &old, &Equal);
  }

  // Introspection for tests and lessons (takes the lock).
  MapStats Stats() { return m_.Stats(); }
  KeyStats StatsOf(const K& key) { return m_.StatsOf(type(), &key); }
  rt::sync::Map* raw() { return &m_; }
  static const rt::maptype* type() { return rt::MapTypeOf<K, rt::sync::entry*>(); }

 private:
  static bool Equal(const void* a, const void* b) {
    return *static_cast<const V*>(a) == *static_cast<const V*>(b);
  }
  // Go's conversion of value to `any`: a heap copy.
  static void* Box(const V& v) {
    auto* p = static_cast<V*>(rt::newobject(rt::TypeOf<V>()));
    *p = v;
    return p;
  }

  rt::sync::Map m_;
};

}  // namespace gort::sync

#endif  // GORT_SYNCMAP_H_
