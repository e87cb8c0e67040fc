// KATA — chapter 10: sync.Map.
//
// Read chapters/10_syncmap/README.md. Mirrors Go 1.19 src/sync/map.go.
// The structs, the expunged sentinel, newEntry, loadReadOnly and
// storeReadOnly are given in include/gort/rt/syncmap.h. m.dirty[key] is
// mapaccess2 / mapassign / mapdelete on the map[K]*entry described by t
// (its elements are entry* slots); range over a map with mapiterinit /
// mapiternext.
#include "include/gort/rt/kata.h"
#include "include/gort/rt/map.h"
#include "include/gort/rt/syncmap.h"

namespace gort::rt::sync {

// ---- Step 1: the entry (tests: Step1_Entry) -------------------------------

// Atomically load p; nil and expunged both mean "no value".
void* entry::load(bool* /*ok*/) {
  GORT_KATA_TODO("entry::load", "chapters/10_syncmap/README.md#step-1-the-entry");
}

// CAS loop: give up only if p is expunged.
bool entry::tryStore(void* /*box*/) {
  GORT_KATA_TODO("entry::tryStore", "chapters/10_syncmap/README.md#step-1-the-entry");
}

// One CAS expunged -> nil.
bool entry::unexpungeLocked() {
  GORT_KATA_TODO("entry::unexpungeLocked", "chapters/10_syncmap/README.md#step-1-the-entry");
}

void entry::storeLocked(void* /*box*/) {
  GORT_KATA_TODO("entry::storeLocked", "chapters/10_syncmap/README.md#step-1-the-entry");
}

// While p is nil, try CAS nil -> expunged; report whether p is expunged.
bool entry::tryExpungeLocked() {
  GORT_KATA_TODO("entry::tryExpungeLocked", "chapters/10_syncmap/README.md#step-1-the-entry");
}

// CAS loop to nil; nil or expunged means nothing to delete.
void* entry::delete_(bool* /*ok*/) {
  GORT_KATA_TODO("entry::delete_", "chapters/10_syncmap/README.md#step-1-the-entry");
}

// ---- Step 2: Load, Store, promotion (tests: Step2_LoadStore) --------------

// read first, lock-free; on a miss with read.amended, lock, look in read
// again, then in dirty, and call missLocked.
void* Map::Load(const maptype* /*t*/, const void* /*key*/, bool* /*ok*/) {
  GORT_KATA_TODO("Map::Load", "chapters/10_syncmap/README.md#step-2-load-store-and-promotion");
}

// Fast path: tryStore on read's entry. Slow path under mu: in read
// (unexpunge into dirty first), in dirty, or new (dirtyLocked + amend read
// if not yet amended, then add a newEntry to dirty).
void Map::Store(const maptype* /*t*/, const void* /*key*/, void* /*box*/) {
  GORT_KATA_TODO("Map::Store", "chapters/10_syncmap/README.md#step-2-load-store-and-promotion");
}

void Map::missLocked() {
  GORT_KATA_TODO("Map::missLocked",
                 "chapters/10_syncmap/README.md#step-2-load-store-and-promotion");
}

void Map::dirtyLocked(const maptype* /*t*/) {
  GORT_KATA_TODO("Map::dirtyLocked",
                 "chapters/10_syncmap/README.md#step-2-load-store-and-promotion");
}

// ---- Step 3: LoadOrStore, LoadAndDelete, Delete (tests: Step3_*) ----------

void* entry::tryLoadOrStore(void* /*box*/, bool* /*loaded*/, bool* /*ok*/) {
  GORT_KATA_TODO("entry::tryLoadOrStore",
                 "chapters/10_syncmap/README.md#step-3-loadorstore-and-delete");
}

// Like Store, but a hit in dirty also counts a miss.
void* Map::LoadOrStore(const maptype* /*t*/, const void* /*key*/, void* /*box*/,
                       bool* /*loaded*/) {
  GORT_KATA_TODO("Map::LoadOrStore",
                 "chapters/10_syncmap/README.md#step-3-loadorstore-and-delete");
}

// Like Load; a key only in dirty is removed from dirty (and counts a miss).
// Then delete_ the entry.
void* Map::LoadAndDelete(const maptype* /*t*/, const void* /*key*/, bool* /*loaded*/) {
  GORT_KATA_TODO("Map::LoadAndDelete",
                 "chapters/10_syncmap/README.md#step-3-loadorstore-and-delete");
}

void Map::Delete(const maptype* /*t*/, const void* /*key*/) {
  GORT_KATA_TODO("Map::Delete", "chapters/10_syncmap/README.md#step-3-loadorstore-and-delete");
}

// ---- Step 4: Range (tests: Step4_Range) -----------------------------------

// If read is amended, promote dirty under mu (as missLocked does, without
// waiting for misses); then walk the read map you hold, skipping entries
// that do not load.
void Map::Range(const maptype* /*t*/, bool (* /*f*/)(void*, const void*, void*),
                void* /*ctx*/) {
  GORT_KATA_TODO("Map::Range", "chapters/10_syncmap/README.md#step-4-range");
}

}  // namespace gort::rt::sync
