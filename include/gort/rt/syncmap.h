// sync.Map's untyped core: the read/dirty pair of maps and the entry states.
//
// Mirrors Go 1.19 src/sync/map.go. Go's sync.Map is library code over
// `any`: keys and values are interfaces, and the compiler boxes them. Here
// the core is untyped the same way: keys are passed by address and hashed
// through the maptype of map[K]*entry (rt::MapTypeOf<K, entry*>), values
// are opaque pointers to boxes the typed layer (include/gort/syncmap.h)
// allocates with mallocgc — Go's `*any` that entry.p points to. A box is
// never written after it is published, so readers may use it without a lock.
//
// Invariants (as in map.go):
//   - read.m is never written after it was published; only the entries it
//     points to change (their p, atomically). Load of a key present in
//     read needs no lock.
//   - dirty (under mu) holds every key of read that is not expunged plus
//     the keys added since the last promotion; read.amended == (dirty has a
//     key read lacks). dirty == nullptr means "not built yet".
//   - An entry's p is one of: a box (live), nullptr (deleted, still in
//     dirty if dirty exists), expunged (deleted and absent from dirty).
//     Only dirtyLocked turns nil into expunged; only unexpungeLocked (under
//     mu, followed by putting the entry back into dirty) turns it back.
//   - Every miss (a lookup under mu that had to consult dirty) counts;
//     after len(dirty) misses, missLocked promotes dirty to read in O(1).
//     The next new key rebuilds dirty from read (dirtyLocked, O(n)).
//
// The methods run inside gort::Run (mu is a sync.Mutex, which parks).
#ifndef GORT_RT_SYNCMAP_H_
#define GORT_RT_SYNCMAP_H_

#include <atomic>
#include <new>

#include "include/gort/rt/malloc.h"
#include "include/gort/rt/map.h"
#include "include/gort/rt/sync.h"
#include "include/gort/rt/types.h"

namespace gort::rt::sync {

// The sentinel an entry's p holds once the entry is hard-deleted
// (Go: var expunged = unsafe.Pointer(new(any))). Never dereferenced.
inline constexpr char kExpungedTag = 0;
inline void* const expunged = const_cast<char*>(&kExpungedTag);

// One slot of a sync.Map, shared by read.m and dirty (both map to *entry).
struct entry {
  std::atomic<void*> p{nullptr};

  entry() = default;
  explicit entry(void* box) : p(box) {}

  // [kata 10 step 1] The box, or nullptr and !ok when p is nil or expunged.
  void* load(bool* ok);
  // [kata 10 step 1] CAS the box in unless p is expunged (then false).
  bool tryStore(void* box);
  // [kata 10 step 1] CAS expunged -> nil; true if it was expunged (the
  // caller, holding mu, must then add the entry to dirty).
  bool unexpungeLocked();
  // [kata 10 step 1] Unconditional store (caller holds mu and knows p is
  // not expunged).
  void storeLocked(void* box);
  // [kata 10 step 1] If p is nil, CAS it to expunged; true if p is (now)
  // expunged.
  bool tryExpungeLocked();
  // [kata 10 step 1] CAS the box or nil; returns the previous box, or
  // nullptr and !ok if there was none.
  void* delete_(bool* ok);
  // [kata 10 step 3] Go's tryLoadOrStore: if live, return the box with
  // *loaded; if nil, CAS in `box` (not loaded); if expunged, *ok = false
  // and leave p alone.
  void* tryLoadOrStore(void* box, bool* loaded, bool* ok);

  // Go 1.20 (map.go's trySwap, swapLocked, tryCompareAndSwap):
  // [kata 10 step 6] CAS loop: swap box in unless expunged; *ok = false
  // if expunged. Returns the previous p (nullptr if it was nil).
  void* trySwap(void* box, bool* ok);
  // [kata 10 step 6] Unconditional swap (caller holds mu, p not expunged).
  void* swapLocked(void* box);
  // [kata 10 step 6] If p is live and eq(*p, old), CAS in box; false if p
  // is nil, expunged or holds another value.
  bool tryCompareAndSwap(const void* old, void* box, bool (*eq)(const void*, const void*));
};

// The read half: an immutable map plus "dirty has keys that m lacks".
struct readOnly {
  hmap* m = nullptr;  // map[K]*entry; nil for the zero Map
  bool amended = false;
};

// Where a key is and what its entry holds (introspection for tests).
enum class EntryState { kAbsent, kLive, kDeleted, kExpunged };

struct MapStats {
  intgo readLen = 0;
  intgo dirtyLen = 0;
  bool dirtyNil = true;
  bool amended = false;
  intgo misses = 0;
};

struct KeyStats {
  bool inRead = false;
  bool inDirty = false;
  EntryState state = EntryState::kAbsent;
};

// sync.Map over an untyped key. t is the maptype of map[K]*entry; pass the
// same t to every call on one Map. The zero value is an empty map.
struct Map {
  Mutex mu;
  std::atomic<readOnly*> read{nullptr};
  hmap* dirty = nullptr;  // map[K]*entry, guarded by mu
  intgo misses = 0;       // guarded by mu

  // Go 1.20's loadReadOnly: the published readOnly, or an empty one.
  readOnly loadReadOnly() const {
    const readOnly* r = read.load(std::memory_order_acquire);
    return r == nullptr ? readOnly{} : *r;
  }
  // Publishes a copy of r (readOnlys are immutable once published; the old
  // one stays valid for readers still holding it, as a GC'd one would).
  void storeReadOnly(readOnly r);

  // [kata 10 step 2]
  void* Load(const maptype* t, const void* key, bool* ok);
  // [kata 10 step 2]
  void Store(const maptype* t, const void* key, void* box);
  // [kata 10 step 3] Returns the existing box (*loaded) or stores box.
  void* LoadOrStore(const maptype* t, const void* key, void* box, bool* loaded);
  // [kata 10 step 3]
  void* LoadAndDelete(const maptype* t, const void* key, bool* loaded);
  // [kata 10 step 3]
  void Delete(const maptype* t, const void* key);
  // [kata 10 step 4] Calls f(ctx, key, box) for each live entry of a
  // snapshot of the keys, promoting dirty first if read is amended; stops
  // when f returns false.
  void Range(const maptype* t, bool (*f)(void* ctx, const void* key, void* box), void* ctx);

  // Go 1.20 additions, named as in Go 1.20's map.go (step 6). eq compares
  // two value boxes (Go: any == any).
  // [kata 10 step 6] previous, loaded := m.Swap(key, value).
  void* Swap(const maptype* t, const void* key, void* box, bool* loaded);
  // [kata 10 step 6] Swaps in box if key's value equals old.
  bool CompareAndSwap(const maptype* t, const void* key, const void* old, void* box,
                      bool (*eq)(const void*, const void*));
  // [kata 10 step 6] Deletes key if its value equals old.
  bool CompareAndDelete(const maptype* t, const void* key, const void* old,
                        bool (*eq)(const void*, const void*));

  // [kata 10 step 2] misses++; at misses >= len(dirty) promote dirty to
  // read (amended = false), dirty = nil, misses = 0.
  void missLocked();
  // [kata 10 step 2] If dirty is nil, build it from read.m: every entry
  // that tryExpungeLocked does not expunge.
  void dirtyLocked(const maptype* t);

  // Introspection (takes mu; not for use inside Range's f).
  MapStats Stats();
  KeyStats StatsOf(const maptype* t, const void* key);
};

// ---- Given helpers (not part of the kata) ---------------------------------

// newEntry: a fresh live entry for box (mallocgc'd; freed with the heap).
inline entry* newEntry(void* box) {
  void* mem = mallocgc(sizeof(entry), nullptr, false);
  return new (mem) entry(box);
}

inline void Map::storeReadOnly(readOnly r) {
  // A published map is only read from now on, by any number of goroutines
  // at once, and ranging over it (Range, dirtyLocked) makes mapiterinit set
  // the iterator bits in its header: set them now, before publishing, so
  // those later iterations never write to a header others are reading.
  if (r.m != nullptr && (r.m->flags & (iterator | oldIterator)) != (iterator | oldIterator)) {
    r.m->flags |= iterator | oldIterator;
  }
  void* mem = mallocgc(sizeof(readOnly), nullptr, false);
  read.store(new (mem) readOnly(r), std::memory_order_release);
}

inline EntryState StateOf(const entry* e) {
  if (e == nullptr) return EntryState::kAbsent;
  void* p = e->p.load();
  if (p == nullptr) return EntryState::kDeleted;
  if (p == expunged) return EntryState::kExpunged;
  return EntryState::kLive;
}

inline MapStats Map::Stats() {
  mu.Lock();
  readOnly r = loadReadOnly();
  MapStats s{r.m == nullptr ? 0 : r.m->count, dirty == nullptr ? 0 : dirty->count,
             dirty == nullptr, r.amended, misses};
  mu.Unlock();
  return s;
}

inline KeyStats Map::StatsOf(const maptype* t, const void* key) {
  mu.Lock();
  KeyStats s;
  readOnly r = loadReadOnly();
  entry* e = nullptr;
  auto* re = static_cast<entry**>(mapaccess2(t, r.m, key, &s.inRead));
  if (s.inRead) e = *re;
  auto* de = static_cast<entry**>(mapaccess2(t, dirty, key, &s.inDirty));
  if (s.inDirty && e == nullptr) e = *de;
  s.state = StateOf(e);
  mu.Unlock();
  return s;
}

inline const char* EntryStateName(EntryState s) {
  switch (s) {
    case EntryState::kAbsent: return "absent";
    case EntryState::kLive: return "live";
    case EntryState::kDeleted: return "deleted(nil)";
    case EntryState::kExpunged: return "expunged";
  }
  return "?";
}

}  // namespace gort::rt::sync

#endif  // GORT_RT_SYNCMAP_H_
