// Go's map implementation: buckets, tophash, overflow chains, incremental
// growth.
//
// Mirrors Go 1.19 src/runtime/map.go function by function; the layout,
// invariants and memory rules are described in include/gort/rt/map.h.
//
// Reading guide (the order of the chapter's steps):
//   1. bucketShift .. makemap: sizes and the empty table
//   2. mapaccess*: find a key: bucket by the low bits, slot by tophash
//   3. mapassign (+ newoverflow): find or make a slot; start growth
//   4. mapdelete, mapclear: empty slots, the emptyRest clean-up
//   5. hashGrow, growWork, evacuate: move entries to the new array in steps
//   6. mapiterinit, mapiternext: random start, walking during growth
#include <atomic>
#include <cstring>
#include <memory>
#include <string>

#include "include/gort/rt/alg.h"
#include "include/gort/rt/error.h"
#include "include/gort/rt/fastrand.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/map.h"
#include "include/gort/rt/mbarrier.h"
#include "include/gort/rt/slice.h"
#include "include/gort/rt/type.h"

namespace gort::rt {
namespace {

// add: pointer arithmetic in bytes (Go: add(p, x)).
inline void* add(void* p, uintptr x) { return static_cast<char*>(p) + x; }

inline bmap* bucketAt(const maptype* t, void* buckets, uintptr i) {
  return static_cast<bmap*>(add(buckets, i * t->bucketsize));
}

// Slot addresses inside a bucket (the slot itself: for indirect keys or
// elems it holds a pointer).
inline void* keyAt(const maptype* t, bmap* b, uintptr i) {
  return add(b, dataOffset + i * t->keysize);
}

inline void* elemAt(const maptype* t, bmap* b, uintptr i) {
  return add(b, dataOffset + bucketCnt * t->keysize + i * t->elemsize);
}

// The bucket to search for `hash` in a read: the new bucket, unless the
// map is growing and the old bucket it comes from is not yet evacuated.
bmap* bucketForRead(const maptype* t, hmap* h, uintptr hash) {
  uintptr m = bucketMask(h->B);
  bmap* b = bucketAt(t, h->buckets, hash & m);
  if (void* c = h->oldbuckets; c != nullptr) {
    if (!h->sameSizeGrow()) {
      // There used to be half as many buckets; mask down one more bit.
      m >>= 1;
    }
    bmap* oldb = bucketAt(t, c, hash & m);
    if (!evacuated(oldb)) b = oldb;
  }
  return b;
}

// The search shared by the mapaccess functions: the slot holding key, or
// -1. Stops early at emptyRest.
struct found {
  bmap* b;
  intgo i;
};
found lookup(const maptype* t, hmap* h, const void* key) {
  const uintptr hash = t->hasher(key, h->hash0);
  const std::uint8_t top = tophash(hash);
  for (bmap* b = bucketForRead(t, h, hash); b != nullptr; b = b->overflow(t)) {
    for (uintptr i = 0; i < bucketCnt; ++i) {
      if (b->tophash[i] != top) {
        if (b->tophash[i] == emptyRest) return {nullptr, -1};
        continue;
      }
      void* k = keyAt(t, b, i);
      if (t->indirectkey()) k = *static_cast<void**>(k);
      if (t->key->equal(key, k)) return {b, static_cast<intgo>(i)};
    }
  }
  return {nullptr, -1};
}

inline void* elemOf(const maptype* t, found f) {
  void* e = elemAt(t, f.b, static_cast<uintptr>(f.i));
  if (t->indirectelem()) e = *static_cast<void**>(e);
  return e;
}

void appendOverflow(slice* s, bmap* ovf) {
  if (s->len == s->cap) *s = growslice(TypeOf<bmap*>(), *s, s->len + 1);
  static_cast<bmap**>(s->array)[s->len++] = ovf;
}

}  // namespace

// ---------------------------------------------------------------------------
// Step 1: layout and sizing.

uintptr bucketShift(std::uint8_t b) {
  // Masking the shift keeps it defined for any b, as Go's does.
  return uintptr{1} << (b & (kPtrSize * 8 - 1));
}

uintptr bucketMask(std::uint8_t b) { return bucketShift(b) - 1; }

std::uint8_t tophash(uintptr hash) {
  auto top = static_cast<std::uint8_t>(hash >> (kPtrSize * 8 - 8));
  if (top < minTopHash) top += minTopHash;
  return top;
}

bool overLoadFactor(intgo count, std::uint8_t B) {
  return count > static_cast<intgo>(bucketCnt) &&
         static_cast<uintptr>(count) > loadFactorNum * (bucketShift(B) / loadFactorDen);
}

bool tooManyOverflowBuckets(std::uint16_t noverflow, std::uint8_t B) {
  // "Too many" means about as many overflow buckets as buckets; above
  // 2^15 buckets noverflow is an estimate that counts up to 2^15.
  if (B > 15) B = 15;
  return noverflow >= static_cast<std::uint16_t>(1u << (B & 15));
}

bucketArray makeBucketArray(const maptype* t, std::uint8_t b, void* dirtyalloc) {
  const uintptr base = bucketShift(b);
  uintptr nbuckets = base;
  // Small tables rarely need overflow buckets; for b >= 4 preallocate
  // 2^(b-4) of them, and however many more fit in the rounded-up block.
  if (b >= 4) {
    nbuckets += bucketShift(b - 4);
    const uintptr sz = t->bucket->size * nbuckets;
    const uintptr up = roundupsize(sz);
    if (up != sz) nbuckets = up / t->bucket->size;
  }

  void* buckets;
  if (dirtyalloc == nullptr) {
    buckets = newarray(t->bucket, static_cast<intgo>(nbuckets));
  } else {
    // An array from an earlier call with the same t and b: clear it.
    buckets = dirtyalloc;
    if (t->bucket->trivial) {
      std::memset(buckets, 0, t->bucket->size * nbuckets);
    } else {
      t->bucket->destroy(buckets, nbuckets);
      t->bucket->zero(buckets, nbuckets);
    }
  }

  bmap* nextOverflow = nullptr;
  if (base != nbuckets) {
    // The spare buckets follow the main ones. A spare whose overflow
    // pointer is null has more spares after it; the last one points at the
    // array itself (any non-null value would do) to say "no more".
    nextOverflow = bucketAt(t, buckets, base);
    bmap* last = bucketAt(t, buckets, nbuckets - 1);
    last->setoverflow(t, static_cast<bmap*>(buckets));
  }
  return {buckets, nextOverflow};
}

hmap* makemap_small() {
  auto* h = static_cast<hmap*>(newobject(TypeOf<hmap>()));
  h->hash0 = fastrand();
  return h;
}

hmap* makemap(const maptype* t, intgo hint, hmap* h) {
  // A hint whose buckets could never be allocated (or a negative one, which
  // is huge as an unsigned number) is ignored.
  if (static_cast<uintptr>(hint) > maxAlloc / t->bucket->size) hint = 0;

  if (h == nullptr) h = static_cast<hmap*>(newobject(TypeOf<hmap>()));
  h->hash0 = fastrand();

  // The smallest B whose 2^B buckets hold hint entries under the load
  // factor.
  std::uint8_t B = 0;
  while (overLoadFactor(hint, B)) ++B;
  h->B = B;

  // B == 0: the single bucket is allocated by the first mapassign.
  if (h->B != 0) {
    bucketArray a = makeBucketArray(t, h->B, nullptr);
    h->buckets = a.buckets;
    if (a.nextOverflow != nullptr) {
      h->extra = static_cast<mapextra*>(newobject(TypeOf<mapextra>()));
      h->extra->nextOverflow = a.nextOverflow;
    }
  }
  return h;
}

// ---------------------------------------------------------------------------
// Step 2: access.

namespace {
void* mapaccess2_fast(const maptype* t, hmap* h, const void* key, bool* ok);
}  // namespace

void* mapaccess1(const maptype* t, hmap* h, const void* key) {
  bool ok;
  return mapaccess2(t, h, key, &ok);
}

void* mapaccess2(const maptype* t, hmap* h, const void* key, bool* ok) {
  *ok = false;
  if (h == nullptr || h->count == 0) return zeroVal;
  if ((h->flags & hashWriting) != 0) fatal("concurrent map read and map write");
  // What Go's compiler would have called instead (see below).
  if (t->fast != mapslow) return mapaccess2_fast(t, h, key, ok);
  found f = lookup(t, h, key);
  if (f.b == nullptr) return zeroVal;
  *ok = true;
  return elemOf(t, f);
}

void* mapaccess1_fat(const maptype* t, hmap* h, const void* key, void* zero) {
  void* e = mapaccess1(t, h, key);
  return e == zeroVal ? zero : e;
}

void* mapaccess2_fat(const maptype* t, hmap* h, const void* key, void* zero, bool* ok) {
  void* e = mapaccess2(t, h, key, ok);
  return *ok ? e : zero;
}

keyElem mapaccessK(const maptype* t, hmap* h, const void* key) {
  if (h == nullptr || h->count == 0) return {nullptr, nullptr};
  found f = lookup(t, h, key);
  if (f.b == nullptr) return {nullptr, nullptr};
  void* k = keyAt(t, f.b, static_cast<uintptr>(f.i));
  if (t->indirectkey()) k = *static_cast<void**>(k);
  return {k, elemOf(t, f)};
}

// Go's specialised lookups (map_fast32.go, map_fast64.go, map_faststr.go).
// Go's compiler calls them instead of mapaccess1/2 for 4- and 8-byte
// plain keys and for strings (maptype.fast says which); gort's typed API
// always calls mapaccess1/2, which switch to them here. They are the same
// search with the hash and the key comparison inlined, which matters more
// than it seems: a lookup in a big map waits for a cache miss, and the
// shorter its code, the more lookups the CPU can have in flight at once.
// Not part of the kata.
namespace {

// map_fast32.go, map_fast64.go: compare whole keys, no tophash.
template <class W>
void* mapaccess2_fast(const maptype* t, hmap* h, const void* key, bool* ok) {
  W k;
  std::memcpy(&k, key, sizeof k);
  bmap* b;
  if (h->B == 0) {
    b = static_cast<bmap*>(h->buckets);  // one bucket: no need to hash
  } else {
    const uintptr hash = sizeof(W) == 4 ? memhash32(key, h->hash0) : memhash64(key, h->hash0);
    b = bucketForRead(t, h, hash);
  }
  for (; b != nullptr; b = b->overflow(t)) {
    const char* kp = static_cast<const char*>(b->keys());
    for (uintptr i = 0; i < bucketCnt; ++i, kp += sizeof(W)) {
      W slot;
      std::memcpy(&slot, kp, sizeof slot);
      if (slot == k && !isEmpty(b->tophash[i])) {
        *ok = true;
        return add(b, dataOffset + bucketCnt * sizeof(W) + i * t->elemsize);
      }
    }
  }
  return zeroVal;
}

// map_faststr.go (the hashing path; Go also has a hash-free one for
// single-bucket maps).
void* mapaccess2_faststr(const maptype* t, hmap* h, const void* key, bool* ok) {
  const auto* ky = static_cast<const std::string*>(key);
  const uintptr hash = memhash(ky->data(), h->hash0, ky->size());
  const std::uint8_t top = tophash(hash);
  for (bmap* b = bucketForRead(t, h, hash); b != nullptr; b = b->overflow(t)) {
    for (uintptr i = 0; i < bucketCnt; ++i) {
      if (b->tophash[i] != top) continue;
      const auto* k = static_cast<const std::string*>(keyAt(t, b, i));
      if (k->size() == ky->size() && std::memcmp(k->data(), ky->data(), ky->size()) == 0) {
        *ok = true;
        return elemAt(t, b, i);
      }
    }
  }
  return zeroVal;
}

void* mapaccess2_fast(const maptype* t, hmap* h, const void* key, bool* ok) {
  switch (t->fast) {
    case mapfast32:
      return mapaccess2_fast<std::uint32_t>(t, h, key, ok);
    case mapfast64:
      return mapaccess2_fast<std::uint64_t>(t, h, key, ok);
    default:
      return mapaccess2_faststr(t, h, key, ok);
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// Step 3: assign.

void hmap::incrnoverflow() {
  // Same-size growth starts when there are as many overflow buckets as
  // buckets, so noverflow must count up to 2^B; a uint16 can, below B = 16.
  if (B < 16) {
    ++noverflow;
    return;
  }
  // Above, count with probability 1/2^(B-15): noverflow reaches 2^15 when
  // there are about 2^B overflow buckets.
  const std::uint32_t mask = (std::uint32_t{1} << (B - 15)) - 1;
  if ((fastrand() & mask) == 0) ++noverflow;
}

bmap* hmap::newoverflow(const maptype* t, bmap* b) {
  bmap* ovf;
  if (extra != nullptr && extra->nextOverflow != nullptr) {
    // Take a preallocated overflow bucket (see makeBucketArray).
    ovf = extra->nextOverflow;
    if (ovf->overflow(t) == nullptr) {
      // Not the last spare: the next one follows it.
      extra->nextOverflow = static_cast<bmap*>(add(ovf, t->bucketsize));
    } else {
      // The last spare: clear its end marker.
      ovf->setoverflow(t, nullptr);
      extra->nextOverflow = nullptr;
    }
  } else {
    ovf = static_cast<bmap*>(newobject(t->bucket));
  }
  incrnoverflow();
  if (t->bucket->ptrdata == 0) {
    createOverflow();
    appendOverflow(extra->overflow, ovf);
  }
  b->setoverflow(t, ovf);
  return ovf;
}

void hmap::createOverflow() {
  if (extra == nullptr) extra = static_cast<mapextra*>(newobject(TypeOf<mapextra>()));
  if (extra->overflow == nullptr) {
    extra->overflow = static_cast<slice*>(newobject(TypeOf<slice>()));
  }
}

void* mapassign(const maptype* t, hmap* h, const void* key) {
  if (h == nullptr) {
    panicError(std::make_shared<plainError>("assignment to entry in nil map"));
  }
  if ((h->flags & hashWriting) != 0) fatal("concurrent map writes");
  const uintptr hash = t->hasher(key, h->hash0);

  // Set hashWriting after hashing: had the hash panicked, nothing would
  // have been written.
  h->flags ^= hashWriting;

  if (h->buckets == nullptr) h->buckets = newobject(t->bucket);  // newarray(t->bucket, 1)

  std::uint8_t* inserti;
  void* insertk;
  void* elem;
  for (;;) {  // again: starting a growth invalidates everything found so far
    const uintptr bucket = hash & bucketMask(h->B);
    if (h->growing()) growWork(t, h, bucket);
    bmap* b = bucketAt(t, h->buckets, bucket);
    const std::uint8_t top = tophash(hash);

    inserti = nullptr;
    insertk = nullptr;
    elem = nullptr;
    bool searching = true;
    while (searching) {
      for (uintptr i = 0; i < bucketCnt; ++i) {
        if (b->tophash[i] != top) {
          if (isEmpty(b->tophash[i]) && inserti == nullptr) {
            // The first free slot: where the key goes if it is new.
            inserti = &b->tophash[i];
            insertk = keyAt(t, b, i);
            elem = elemAt(t, b, i);
          }
          if (b->tophash[i] == emptyRest) {
            searching = false;
            break;
          }
          continue;
        }
        void* k = keyAt(t, b, i);
        if (t->indirectkey()) k = *static_cast<void**>(k);
        if (!t->key->equal(key, k)) continue;
        // The key is already in the map: update it in place.
        if (t->needkeyupdate()) typedmemmove(t->key, k, key);
        elem = elemAt(t, b, i);
        goto done;
      }
      if (!searching) break;
      bmap* ovf = b->overflow(t);
      if (ovf == nullptr) break;
      b = ovf;
    }

    // The key is new. Past the load factor, or with too many overflow
    // buckets, start growing (unless a growth is already under way) and
    // look again: the bucket may have moved.
    if (!h->growing() &&
        (overLoadFactor(h->count + 1, h->B) || tooManyOverflowBuckets(h->noverflow, h->B))) {
      hashGrow(t, h);
      continue;
    }

    if (inserti == nullptr) {
      // The bucket and its overflow buckets are full: chain a new one.
      bmap* newb = h->newoverflow(t, b);
      inserti = &newb->tophash[0];
      insertk = keyAt(t, newb, 0);
      elem = elemAt(t, newb, 0);
    }

    // Store the new key at the insert position.
    if (t->indirectkey()) {
      void* kmem = newobject(t->key);
      *static_cast<void**>(insertk) = kmem;
      insertk = kmem;
    }
    if (t->indirectelem()) {
      void* vmem = newobject(t->elem);
      *static_cast<void**>(elem) = vmem;
    }
    typedmemmove(t->key, insertk, key);
    *inserti = top;
    ++h->count;
    break;
  }

done:
  if ((h->flags & hashWriting) == 0) fatal("concurrent map writes");
  h->flags &= ~hashWriting;
  if (t->indirectelem()) elem = *static_cast<void**>(elem);
  return elem;
}

// ---------------------------------------------------------------------------
// Step 4: delete and clear.

void mapdelete(const maptype* t, hmap* h, const void* key) {
  if (h == nullptr || h->count == 0) return;
  if ((h->flags & hashWriting) != 0) fatal("concurrent map writes");

  const uintptr hash = t->hasher(key, h->hash0);

  // Set hashWriting after hashing (see mapassign).
  h->flags ^= hashWriting;

  const uintptr bucket = hash & bucketMask(h->B);
  if (h->growing()) growWork(t, h, bucket);
  bmap* b = bucketAt(t, h->buckets, bucket);
  bmap* const bOrig = b;
  const std::uint8_t top = tophash(hash);
  for (; b != nullptr; b = b->overflow(t)) {
    for (uintptr i = 0; i < bucketCnt; ++i) {
      if (b->tophash[i] != top) {
        if (b->tophash[i] == emptyRest) goto search_done;
        continue;
      }
      void* k = keyAt(t, b, i);
      void* k2 = t->indirectkey() ? *static_cast<void**>(k) : k;
      if (!t->key->equal(key, k2)) continue;

      // Clear the key only if it holds pointers (Go does it for the GC;
      // here it also frees what a C++ key owns). Always clear the elem:
      // a later m[k] op= v reads the slot's zero value.
      if (t->indirectkey()) {
        *static_cast<void**>(k) = nullptr;
      } else if (t->key->ptrdata != 0) {
        typedmemclr(t->key, k);
      }
      void* e = elemAt(t, b, i);
      if (t->indirectelem()) {
        *static_cast<void**>(e) = nullptr;
      } else {
        typedmemclr(t->elem, e);
      }
      b->tophash[i] = emptyOne;

      // If the chain now ends in emptyOne slots, turn them into emptyRest,
      // walking backwards (into earlier buckets of the chain if needed).
      if (i == bucketCnt - 1) {
        if (b->overflow(t) != nullptr && b->overflow(t)->tophash[0] != emptyRest) {
          goto not_last;
        }
      } else if (b->tophash[i + 1] != emptyRest) {
        goto not_last;
      }
      for (;;) {
        b->tophash[i] = emptyRest;
        if (i == 0) {
          if (b == bOrig) break;  // the start of the chain: done
          // Find the previous bucket and continue at its last slot.
          bmap* c = b;
          for (b = bOrig; b->overflow(t) != c; b = b->overflow(t)) {
          }
          i = bucketCnt - 1;
        } else {
          --i;
        }
        if (b->tophash[i] != emptyOne) break;
      }
    not_last:
      --h->count;
      // An empty map gets a new seed, so an attacker who found colliding
      // keys cannot keep reusing them (Go issue 25237).
      if (h->count == 0) h->hash0 = fastrand();
      goto search_done;
    }
  }
search_done:
  if ((h->flags & hashWriting) == 0) fatal("concurrent map writes");
  h->flags &= ~hashWriting;
}

void mapclear(const maptype* t, hmap* h) {
  if (h == nullptr || h->count == 0) return;
  if ((h->flags & hashWriting) != 0) fatal("concurrent map writes");

  h->flags ^= hashWriting;

  h->flags &= ~sameSizeGrow;
  h->oldbuckets = nullptr;
  h->nevacuate = 0;
  h->noverflow = 0;
  h->count = 0;

  // A new seed, as in mapdelete.
  h->hash0 = fastrand();

  // Keep the mapextra allocation but forget what it held.
  if (h->extra != nullptr) *h->extra = mapextra{};

  // makeBucketArray clears the old array and sets up its preallocated
  // overflow buckets again, as if it were new.
  bucketArray a = makeBucketArray(t, h->B, h->buckets);
  if (a.nextOverflow != nullptr) {
    // Spare buckets exist only if they did at the start, so extra exists.
    h->extra->nextOverflow = a.nextOverflow;
  }

  if ((h->flags & hashWriting) == 0) fatal("concurrent map writes");
  h->flags &= ~hashWriting;
}

// ---------------------------------------------------------------------------
// Step 5: growth.

void hashGrow(const maptype* t, hmap* h) {
  // Over the load factor: double. Otherwise there are too many overflow
  // buckets: keep the bucket count and repack ("grow" sideways).
  std::uint8_t bigger = 1;
  if (!overLoadFactor(h->count + 1, h->B)) {
    bigger = 0;
    h->flags |= sameSizeGrow;
  }
  void* oldbuckets = h->buckets;
  bucketArray a = makeBucketArray(t, static_cast<std::uint8_t>(h->B + bigger), nullptr);

  // Iterators on the current buckets will be iterating old buckets now.
  std::uint8_t flags = h->flags & ~(iterator | oldIterator);
  if ((h->flags & iterator) != 0) flags |= oldIterator;
  // Commit the growth.
  h->B += bigger;
  h->flags = flags;
  h->oldbuckets = oldbuckets;
  h->buckets = a.buckets;
  h->nevacuate = 0;
  h->noverflow = 0;

  if (h->extra != nullptr && h->extra->overflow != nullptr) {
    // The current overflow buckets become the old generation.
    if (h->extra->oldoverflow != nullptr) throw_("oldoverflow is not nil");
    h->extra->oldoverflow = h->extra->overflow;
    h->extra->overflow = nullptr;
  }
  if (a.nextOverflow != nullptr) {
    if (h->extra == nullptr) h->extra = static_cast<mapextra*>(newobject(TypeOf<mapextra>()));
    h->extra->nextOverflow = a.nextOverflow;
  }
  // The entries are moved later, a bucket or two per write: growWork.
}

void growWork(const maptype* t, hmap* h, uintptr bucket) {
  // First the old bucket that the bucket about to be used comes from...
  evacuate(t, h, bucket & h->oldbucketmask());
  // ...then one more, to make progress.
  if (h->growing()) evacuate(t, h, h->nevacuate);
}

bool bucketEvacuated(const maptype* t, hmap* h, uintptr bucket) {
  return evacuated(bucketAt(t, h->oldbuckets, bucket));
}

namespace {
// An evacuation destination: a bucket and the next free slot in it.
struct evacDst {
  bmap* b = nullptr;   // current destination bucket
  uintptr i = 0;       // key/elem index into b
  void* k = nullptr;   // pointer to the current key slot
  void* e = nullptr;   // pointer to the current elem slot
};
}  // namespace

void evacuate(const maptype* t, hmap* h, uintptr oldbucket) {
  bmap* b = bucketAt(t, h->oldbuckets, oldbucket);
  const uintptr newbit = h->noldbuckets();
  if (!evacuated(b)) {
    // xy: the low (X, same index) and high (Y, index + newbit)
    // destinations. A same-size growth uses X only.
    evacDst xy[2];
    evacDst* x = &xy[0];
    x->b = bucketAt(t, h->buckets, oldbucket);
    x->k = keyAt(t, x->b, 0);
    x->e = elemAt(t, x->b, 0);
    if (!h->sameSizeGrow()) {
      evacDst* y = &xy[1];
      y->b = bucketAt(t, h->buckets, oldbucket + newbit);
      y->k = keyAt(t, y->b, 0);
      y->e = elemAt(t, y->b, 0);
    }

    for (; b != nullptr; b = b->overflow(t)) {
      for (uintptr i = 0; i < bucketCnt; ++i) {
        std::uint8_t top = b->tophash[i];
        if (isEmpty(top)) {
          b->tophash[i] = evacuatedEmpty;
          continue;
        }
        if (top < minTopHash) throw_("bad map state");
        void* k = keyAt(t, b, i);
        void* e = elemAt(t, b, i);
        void* k2 = t->indirectkey() ? *static_cast<void**>(k) : k;
        std::uint8_t useY = 0;
        if (!h->sameSizeGrow()) {
          // The hash bit the doubling adds decides X or Y.
          const uintptr hash = t->hasher(k2, h->hash0);
          if ((h->flags & iterator) != 0 && !t->reflexivekey() && !t->key->equal(k2, k2)) {
            // A NaN-like key: its hash is random each time, but an
            // iterator must agree with us on where it went. Let the low
            // bit of the old tophash decide, and give the key a fresh
            // tophash so NaNs spread out over later growths.
            useY = top & 1;
            top = tophash(hash);
          } else if ((hash & newbit) != 0) {
            useY = 1;
          }
        }

        static_assert(evacuatedX + 1 == evacuatedY && (evacuatedX ^ 1) == evacuatedY);
        b->tophash[i] = static_cast<std::uint8_t>(evacuatedX + useY);
        evacDst* dst = &xy[useY];

        if (dst->i == bucketCnt) {
          dst->b = h->newoverflow(t, dst->b);
          dst->i = 0;
          dst->k = keyAt(t, dst->b, 0);
          dst->e = elemAt(t, dst->b, 0);
        }
        dst->b->tophash[dst->i & (bucketCnt - 1)] = top;
        if (t->indirectkey()) {
          *static_cast<void**>(dst->k) = k2;  // move the pointer
        } else {
          typedmemmove(t->key, dst->k, k);
        }
        if (t->indirectelem()) {
          *static_cast<void**>(dst->e) = *static_cast<void**>(e);
        } else {
          typedmemmove(t->elem, dst->e, e);
        }
        ++dst->i;
        // These may point one past the last slot; the next use checks
        // dst->i == bucketCnt first.
        dst->k = add(dst->k, t->keysize);
        dst->e = add(dst->e, t->elemsize);
      }
    }
    // Unless an iterator may still read the old buckets, clear the old
    // bucket's keys and elems and unlink its overflow chain. The tophash
    // bytes stay: they record the evacuation.
    if ((h->flags & oldIterator) == 0 && t->bucket->ptrdata != 0) {
      memclrBucketData(t, bucketAt(t, h->oldbuckets, oldbucket));
    }
  }

  if (oldbucket == h->nevacuate) advanceEvacuationMark(h, t, newbit);
}

void advanceEvacuationMark(hmap* h, const maptype* t, uintptr newbit) {
  ++h->nevacuate;
  // Skip buckets already evacuated out of order, but look at no more than
  // 1024, so one write stays O(1).
  uintptr stop = h->nevacuate + 1024;
  if (stop > newbit) stop = newbit;
  while (h->nevacuate != stop && bucketEvacuated(t, h, h->nevacuate)) ++h->nevacuate;
  if (h->nevacuate == newbit) {  // newbit == number of old buckets
    // Growth is done: drop the old array and its overflow list. (With no
    // GC yet, the memory itself stays until the runtime is torn down.)
    h->oldbuckets = nullptr;
    if (h->extra != nullptr) h->extra->oldoverflow = nullptr;
    h->flags &= ~sameSizeGrow;
  }
}

// ---------------------------------------------------------------------------
// Step 6: iteration.

void mapiterinit(const maptype* t, hmap* h, hiter* it) {
  it->t = t;
  if (h == nullptr || h->count == 0) return;

  it->h = h;
  // A snapshot of the bucket state.
  it->B = h->B;
  it->buckets = h->buckets;
  if (t->bucket->ptrdata == 0) {
    // Remember the overflow lists of both generations (Go keeps the
    // overflow buckets alive this way for the GC).
    h->createOverflow();
    it->overflow = h->extra->overflow;
    it->oldoverflow = h->extra->oldoverflow;
  }

  // A random start: bucket and slot offset.
  const uintptr r = h->B > 31 - bucketCntBits ? static_cast<uintptr>(fastrand64())
                                              : static_cast<uintptr>(fastrand());
  it->startBucket = r & bucketMask(h->B);
  it->offset = static_cast<std::uint8_t>((r >> h->B) & (bucketCnt - 1));
  it->bucket = it->startBucket;

  // Remember there is an iterator. Several may start at once (reading a
  // map from many threads is allowed), hence the atomic or (Go: atomic.Or8).
  if ((h->flags & (iterator | oldIterator)) != (iterator | oldIterator)) {
    std::atomic_ref<std::uint8_t>(h->flags).fetch_or(iterator | oldIterator,
                                                      std::memory_order_relaxed);
  }

  mapiternext(it);
}

void mapiternext(hiter* it) {
  hmap* h = it->h;
  if ((h->flags & hashWriting) != 0) fatal("concurrent map iteration and map write");
  const maptype* t = it->t;
  uintptr bucket = it->bucket;
  bmap* b = it->bptr;
  uintptr i = it->i;
  uintptr checkBucket = it->checkBucket;

  for (;;) {
    if (b == nullptr) {
      if (bucket == it->startBucket && it->wrapped) {
        // End of the iteration.
        it->key = nullptr;
        it->elem = nullptr;
        return;
      }
      if (h->growing() && it->B == h->B) {
        // The iteration started during this growth, which is not done. If
        // the old bucket feeding this bucket is not evacuated yet, walk it
        // instead, returning only the keys that will land in `bucket`.
        const uintptr oldbucket = bucket & h->oldbucketmask();
        b = bucketAt(t, h->oldbuckets, oldbucket);
        if (!evacuated(b)) {
          checkBucket = bucket;
        } else {
          b = bucketAt(t, it->buckets, bucket);
          checkBucket = noCheck;
        }
      } else {
        b = bucketAt(t, it->buckets, bucket);
        checkBucket = noCheck;
      }
      ++bucket;
      if (bucket == bucketShift(it->B)) {
        bucket = 0;
        it->wrapped = true;
      }
      i = 0;
    }
    for (; i < bucketCnt; ++i) {
      const uintptr offi = (i + it->offset) & (bucketCnt - 1);
      if (isEmpty(b->tophash[offi]) || b->tophash[offi] == evacuatedEmpty) {
        // (emptyRest cannot end the scan: we started mid-bucket.)
        continue;
      }
      void* k = keyAt(t, b, offi);
      if (t->indirectkey()) k = *static_cast<void**>(k);
      void* e = elemAt(t, b, offi);
      if (checkBucket != noCheck && !h->sameSizeGrow()) {
        // Walking an unevacuated old bucket during a doubling: each old
        // bucket feeds two new ones; skip keys bound for the other one.
        if (t->reflexivekey() || t->key->equal(k, k)) {
          const uintptr hash = t->hasher(k, h->hash0);
          if ((hash & bucketMask(it->B)) != checkBucket) continue;
        } else {
          // k != k (NaN): its hash is not repeatable. Use the same rule
          // evacuate uses: the low bit of tophash picks X or Y. (This is
          // why evacuatedX and evacuatedY differ in their low bit.)
          if ((checkBucket >> (it->B - 1)) != static_cast<uintptr>(b->tophash[offi] & 1)) {
            continue;
          }
        }
      }
      if ((b->tophash[offi] != evacuatedX && b->tophash[offi] != evacuatedY) ||
          !(t->reflexivekey() || t->key->equal(k, k))) {
        // The entry here is current (or it is a NaN, which cannot be
        // deleted or updated): return it.
        it->key = k;
        if (t->indirectelem()) e = *static_cast<void**>(e);
        it->elem = e;
      } else {
        // The map grew since the iteration started and this entry has
        // moved: look it up to get its current value, or skip it if it was
        // deleted. (Look it up again even if found: the stored key may have
        // been updated to an equal but different one, +0 to -0.)
        keyElem re = mapaccessK(t, h, k);
        if (re.key == nullptr) continue;  // deleted
        it->key = re.key;
        it->elem = re.elem;
      }
      it->bucket = bucket;
      it->bptr = b;
      it->i = static_cast<std::uint8_t>(i + 1);
      it->checkBucket = checkBucket;
      return;
    }
    b = b->overflow(t);
    i = 0;
  }
}

}  // namespace gort::rt
