// Reference implementation of chapter 10: sync.Map.
//
// Mirrors Go 1.19 src/sync/map.go, function for function. Go's
// m.read.Load().(readOnly) is loadReadOnly(), m.read.Store(...) is
// storeReadOnly(...), m.dirty[key] is a mapaccess2 / mapassign on the
// map[K]*entry described by t.
#include "include/gort/rt/map.h"
#include "include/gort/rt/syncmap.h"

namespace gort::rt::sync {
namespace {

// e, ok := m[key] for a map[K]*entry.
entry* lookupEntry(const maptype* t, hmap* m, const void* key, bool* ok) {
  auto* slot = static_cast<entry**>(mapaccess2(t, m, key, ok));
  return *ok ? *slot : nullptr;
}

// m[key] = e.
void setEntry(const maptype* t, hmap* m, const void* key, entry* e) {
  *static_cast<entry**>(mapassign(t, m, key)) = e;
}

}  // namespace

// ---- Step 1: the entry ----------------------------------------------------

void* entry::load(bool* ok) {
  void* v = p.load();
  *ok = v != nullptr && v != expunged;
  return *ok ? v : nullptr;
}

bool entry::tryStore(void* box) {
  for (;;) {
    void* old = p.load();
    if (old == expunged) return false;
    if (p.compare_exchange_weak(old, box)) return true;
  }
}

bool entry::unexpungeLocked() {
  void* old = expunged;
  return p.compare_exchange_strong(old, nullptr);
}

void entry::storeLocked(void* box) { p.store(box); }

bool entry::tryExpungeLocked() {
  void* old = p.load();
  while (old == nullptr) {
    if (p.compare_exchange_strong(old, expunged)) return true;
    // old now holds the value that beat us; loop only while it is nil.
  }
  return old == expunged;
}

void* entry::delete_(bool* ok) {
  for (;;) {
    void* old = p.load();
    if (old == nullptr || old == expunged) {
      *ok = false;
      return nullptr;
    }
    if (p.compare_exchange_weak(old, nullptr)) {
      *ok = true;
      return old;
    }
  }
}

// ---- Step 2: Load, Store, missLocked, dirtyLocked -------------------------

void* Map::Load(const maptype* t, const void* key, bool* ok) {
  readOnly r = loadReadOnly();
  entry* e = lookupEntry(t, r.m, key, ok);
  if (!*ok && r.amended) {
    mu.Lock();
    // 1. Check read again: a promotion may have happened while we waited.
    r = loadReadOnly();
    e = lookupEntry(t, r.m, key, ok);
    if (!*ok && r.amended) {
      // 2. Fall back to dirty, and count the miss whether or not the key
      //    is there: either way, this lookup took the slow path.
      e = lookupEntry(t, dirty, key, ok);
      missLocked();
    }
    mu.Unlock();
  }
  if (!*ok) return nullptr;
  return e->load(ok);
}

void Map::Store(const maptype* t, const void* key, void* box) {
  readOnly r = loadReadOnly();
  bool ok;
  // 1. Fast path: the key is in read and not expunged: one CAS.
  if (entry* e = lookupEntry(t, r.m, key, &ok); ok && e->tryStore(box)) return;
  mu.Lock();
  r = loadReadOnly();
  if (entry* e = lookupEntry(t, r.m, key, &ok); ok) {
    // 2. In read. If expunged, dirty (non-nil: only dirtyLocked expunges)
    //    lacks it: put it back before storing.
    if (e->unexpungeLocked()) setEntry(t, dirty, key, e);
    e->storeLocked(box);
  } else if (entry* d = lookupEntry(t, dirty, key, &ok); ok) {
    // 3. Only in dirty.
    d->storeLocked(box);
  } else {
    // 4. A new key: it goes to dirty; the first one after a promotion
    //    rebuilds dirty from read and marks read amended.
    if (!r.amended) {
      dirtyLocked(t);
      storeReadOnly(readOnly{r.m, true});
    }
    setEntry(t, dirty, key, newEntry(box));
  }
  mu.Unlock();
}

void Map::missLocked() {
  misses++;
  if (misses < (dirty == nullptr ? 0 : dirty->count)) return;
  storeReadOnly(readOnly{dirty, false});
  dirty = nullptr;
  misses = 0;
}

void Map::dirtyLocked(const maptype* t) {
  if (dirty != nullptr) return;
  readOnly r = loadReadOnly();
  dirty = makemap(t, r.m == nullptr ? 0 : r.m->count, nullptr);
  if (r.m == nullptr) return;
  hiter it;
  for (mapiterinit(t, r.m, &it); it.key != nullptr; mapiternext(&it)) {
    entry* e = *static_cast<entry**>(it.elem);
    if (!e->tryExpungeLocked()) setEntry(t, dirty, it.key, e);
  }
}

// ---- Step 3: LoadOrStore, LoadAndDelete, Delete ---------------------------

void* entry::tryLoadOrStore(void* box, bool* loaded, bool* ok) {
  void* old = p.load();
  if (old == expunged) {
    *loaded = *ok = false;
    return nullptr;
  }
  if (old != nullptr) {
    *loaded = *ok = true;
    return old;
  }
  for (;;) {
    void* expected = nullptr;
    if (p.compare_exchange_strong(expected, box)) {
      *loaded = false;
      *ok = true;
      return box;
    }
    if (expected == expunged) {
      *loaded = *ok = false;
      return nullptr;
    }
    if (expected != nullptr) {
      *loaded = *ok = true;
      return expected;
    }
  }
}

void* Map::LoadOrStore(const maptype* t, const void* key, void* box, bool* loaded) {
  readOnly r = loadReadOnly();
  bool ok;
  if (entry* e = lookupEntry(t, r.m, key, &ok); ok) {
    void* actual = e->tryLoadOrStore(box, loaded, &ok);
    if (ok) return actual;
  }
  mu.Lock();
  void* actual;
  r = loadReadOnly();
  if (entry* e = lookupEntry(t, r.m, key, &ok); ok) {
    if (e->unexpungeLocked()) setEntry(t, dirty, key, e);
    actual = e->tryLoadOrStore(box, loaded, &ok);
  } else if (entry* d = lookupEntry(t, dirty, key, &ok); ok) {
    actual = d->tryLoadOrStore(box, loaded, &ok);
    missLocked();
  } else {
    if (!r.amended) {
      dirtyLocked(t);
      storeReadOnly(readOnly{r.m, true});
    }
    setEntry(t, dirty, key, newEntry(box));
    actual = box;
    *loaded = false;
  }
  mu.Unlock();
  return actual;
}

void* Map::LoadAndDelete(const maptype* t, const void* key, bool* loaded) {
  readOnly r = loadReadOnly();
  bool ok;
  entry* e = lookupEntry(t, r.m, key, &ok);
  if (!ok && r.amended) {
    mu.Lock();
    r = loadReadOnly();
    e = lookupEntry(t, r.m, key, &ok);
    if (!ok && r.amended) {
      // Only in dirty: remove it for real, and count the miss.
      e = lookupEntry(t, dirty, key, &ok);
      mapdelete(t, dirty, key);
      missLocked();
    }
    mu.Unlock();
  }
  if (ok) return e->delete_(loaded);
  *loaded = false;
  return nullptr;
}

void Map::Delete(const maptype* t, const void* key) {
  bool loaded;
  LoadAndDelete(t, key, &loaded);
}

// ---- Step 4: Range --------------------------------------------------------

void Map::Range(const maptype* t, bool (*f)(void* ctx, const void* key, void* box), void* ctx) {
  // Promote dirty first, so the range walks one map that holds every key
  // and later Loads are hits. Range is O(n) anyway.
  readOnly r = loadReadOnly();
  if (r.amended) {
    mu.Lock();
    r = loadReadOnly();
    if (r.amended) {
      r = readOnly{dirty, false};
      storeReadOnly(r);
      dirty = nullptr;
      misses = 0;
    }
    mu.Unlock();
  }
  if (r.m == nullptr) return;
  hiter it;
  for (mapiterinit(t, r.m, &it); it.key != nullptr; mapiternext(&it)) {
    bool ok;
    void* v = (*static_cast<entry**>(it.elem))->load(&ok);
    if (!ok) continue;
    if (!f(ctx, it.key, v)) break;
  }
}

}  // namespace gort::rt::sync
