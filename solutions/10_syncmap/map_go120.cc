// Reference implementation of chapter 10, step 6: the Go 1.20 additions.
//
// Mirrors Go 1.20 src/sync/map.go (Swap, CompareAndSwap, CompareAndDelete
// and the entry methods behind them); Go 1.19 does not have them.
#include "include/gort/rt/map.h"
#include "include/gort/rt/syncmap.h"

namespace gort::rt::sync {
namespace {

entry* lookupEntry(const maptype* t, hmap* m, const void* key, bool* ok) {
  auto* slot = static_cast<entry**>(mapaccess2(t, m, key, ok));
  return *ok ? *slot : nullptr;
}

}  // namespace

void* entry::trySwap(void* box, bool* ok) {
  for (;;) {
    void* old = p.load();
    if (old == expunged) {
      *ok = false;
      return nullptr;
    }
    if (p.compare_exchange_weak(old, box)) {
      *ok = true;
      return old;
    }
  }
}

void* entry::swapLocked(void* box) { return p.exchange(box); }

bool entry::tryCompareAndSwap(const void* old, void* box,
                              bool (*eq)(const void*, const void*)) {
  void* cur = p.load();
  for (;;) {
    if (cur == nullptr || cur == expunged || !eq(cur, old)) return false;
    if (p.compare_exchange_weak(cur, box)) return true;
    // cur now holds what p changed to: check it again.
  }
}

void* Map::Swap(const maptype* t, const void* key, void* box, bool* loaded) {
  readOnly r = loadReadOnly();
  bool ok;
  if (entry* e = lookupEntry(t, r.m, key, &ok); ok) {
    void* prev = e->trySwap(box, &ok);
    if (ok) {
      *loaded = prev != nullptr;
      return prev;
    }
  }
  mu.Lock();
  void* prev = nullptr;
  r = loadReadOnly();
  if (entry* e = lookupEntry(t, r.m, key, &ok); ok) {
    if (e->unexpungeLocked()) *static_cast<entry**>(mapassign(t, dirty, key)) = e;
    prev = e->swapLocked(box);
  } else if (entry* d = lookupEntry(t, dirty, key, &ok); ok) {
    prev = d->swapLocked(box);
  } else {
    if (!r.amended) {
      dirtyLocked(t);
      storeReadOnly(readOnly{r.m, true});
    }
    *static_cast<entry**>(mapassign(t, dirty, key)) = newEntry(box);
  }
  mu.Unlock();
  *loaded = prev != nullptr;
  return prev;
}

bool Map::CompareAndSwap(const maptype* t, const void* key, const void* old, void* box,
                         bool (*eq)(const void*, const void*)) {
  readOnly r = loadReadOnly();
  bool ok;
  if (entry* e = lookupEntry(t, r.m, key, &ok); ok) return e->tryCompareAndSwap(old, box, eq);
  if (!r.amended) return false;
  mu.Lock();
  bool swapped = false;
  r = loadReadOnly();
  if (entry* e = lookupEntry(t, r.m, key, &ok); ok) {
    swapped = e->tryCompareAndSwap(old, box, eq);
  } else if (entry* d = lookupEntry(t, dirty, key, &ok); ok) {
    swapped = d->tryCompareAndSwap(old, box, eq);
    // Counting the miss keeps a dirty-only key that is CAS'd over and
    // over from staying in dirty forever.
    missLocked();
  }
  mu.Unlock();
  return swapped;
}

bool Map::CompareAndDelete(const maptype* t, const void* key, const void* old,
                           bool (*eq)(const void*, const void*)) {
  readOnly r = loadReadOnly();
  bool ok;
  entry* e = lookupEntry(t, r.m, key, &ok);
  if (!ok && r.amended) {
    mu.Lock();
    r = loadReadOnly();
    e = lookupEntry(t, r.m, key, &ok);
    if (!ok && r.amended) {
      e = lookupEntry(t, dirty, key, &ok);
      missLocked();
    }
    mu.Unlock();
  }
  while (ok) {
    void* cur = e->p.load();
    if (cur == nullptr || cur == expunged || !eq(cur, old)) return false;
    if (e->p.compare_exchange_weak(cur, nullptr)) return true;
  }
  return false;
}

}  // namespace gort::rt::sync
