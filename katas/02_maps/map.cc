// KATA — chapter 02: Go's map, from the bucket layout to iteration during
// growth.
//
// Read chapters/02_maps/README.md one step at a time and replace each
// GORT_KATA_TODO line with your implementation. Check your work with
//   bazel test //chapters/02_maps:kata     (or ./kata test 02)
// The Go original is src/runtime/map.go. The structs, constants and
// contracts are in include/gort/rt/map.h (read its header comment first:
// the invariants there are what the tests check). Helpers you will want:
//   bmap::overflow / setoverflow / keys, evacuated, isEmpty,
//   hmap::growing / sameSizeGrow / noldbuckets / oldbucketmask,
//   memclrBucketData (map.h); typedmemmove, typedmemclr (mbarrier.h);
//   mallocgc, newobject, newarray, roundupsize (malloc.h); growslice
//   (slice.h); fastrand, fastrand64 (fastrand.h); panicError, plainError,
//   fatal, throw_ (error.h).
// A key or elem slot i of bucket b is at
//   (char*)b + dataOffset + i * t->keysize                          (key)
//   (char*)b + dataOffset + bucketCnt * t->keysize + i * t->elemsize (elem)
// and holds a pointer to the value instead when t->indirectkey() /
// t->indirectelem(). Hash a key with t->hasher(key, h->hash0); compare keys
// with t->key->equal(a, b).
#include "include/gort/rt/error.h"
#include "include/gort/rt/fastrand.h"
#include "include/gort/rt/kata.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/map.h"
#include "include/gort/rt/mbarrier.h"
#include "include/gort/rt/slice.h"
#include "include/gort/rt/type.h"

namespace gort::rt {

// ---------------------------------------------------------------------------
// Step 1: layout and sizing.

// 2^b. Mask the shift count to the word size, as Go does.
uintptr bucketShift(std::uint8_t /*b*/) {
  GORT_KATA_TODO("bucketShift", "chapters/02_maps/README.md#step-1-layout-and-sizing");
}

// 2^b - 1.
uintptr bucketMask(std::uint8_t /*b*/) {
  GORT_KATA_TODO("bucketMask", "chapters/02_maps/README.md#step-1-layout-and-sizing");
}

// The top 8 bits of the hash; values below minTopHash are reserved for
// markers, so move those up by minTopHash.
std::uint8_t tophash(uintptr /*hash*/) {
  GORT_KATA_TODO("tophash", "chapters/02_maps/README.md#step-1-layout-and-sizing");
}

// count > 8 and count > 13 * (2^B / 2), in integer arithmetic (mind B = 0).
bool overLoadFactor(intgo /*count*/, std::uint8_t /*B*/) {
  GORT_KATA_TODO("overLoadFactor", "chapters/02_maps/README.md#step-1-layout-and-sizing");
}

// noverflow >= 2^min(B, 15).
bool tooManyOverflowBuckets(std::uint16_t /*noverflow*/, std::uint8_t /*B*/) {
  GORT_KATA_TODO("tooManyOverflowBuckets",
                 "chapters/02_maps/README.md#step-1-layout-and-sizing");
}

// 2^b buckets; for b >= 4 add 2^(b-4) spares and round the byte size up
// with roundupsize (more spares if they fit). Allocate with newarray, or
// clear dirtyalloc (memset for a trivial bucket type, else destroy + zero).
// Spares: nextOverflow = the first one; the last one's overflow pointer =
// the array itself (the "no more spares" marker).
bucketArray makeBucketArray(const maptype* /*t*/, std::uint8_t /*b*/, void* /*dirtyalloc*/) {
  GORT_KATA_TODO("makeBucketArray", "chapters/02_maps/README.md#step-1-layout-and-sizing");
}

// A zeroed hmap (newobject) with a random hash0.
hmap* makemap_small() {
  GORT_KATA_TODO("makemap_small", "chapters/02_maps/README.md#step-1-layout-and-sizing");
}

// Ignore impossible hints (negative, or hint * bucket size > maxAlloc).
// Random hash0; the smallest B with !overLoadFactor(hint, B); buckets now
// unless B == 0; remember spare overflow buckets in a new mapextra.
hmap* makemap(const maptype* /*t*/, intgo /*hint*/, hmap* /*h*/) {
  GORT_KATA_TODO("makemap", "chapters/02_maps/README.md#step-1-layout-and-sizing");
}

// ---------------------------------------------------------------------------
// Step 2: lookup.

// Return zeroVal for a nil or empty map. fatal("concurrent map read and map
// write") if hashWriting is set. Pick the bucket by the low B bits; while
// growing, read the old bucket instead if it is not evacuated yet. Walk the
// chain comparing tophash first; stop at emptyRest.
void* mapaccess1(const maptype* /*t*/, hmap* /*h*/, const void* /*key*/) {
  GORT_KATA_TODO("mapaccess1", "chapters/02_maps/README.md#step-2-lookup");
}

// The same, reporting whether the key was there.
void* mapaccess2(const maptype* /*t*/, hmap* /*h*/, const void* /*key*/, bool* /*ok*/) {
  GORT_KATA_TODO("mapaccess2", "chapters/02_maps/README.md#step-2-lookup");
}

// mapaccess1, but `zero` instead of zeroVal for a missing key.
void* mapaccess1_fat(const maptype* /*t*/, hmap* /*h*/, const void* /*key*/, void* /*zero*/) {
  GORT_KATA_TODO("mapaccess1_fat", "chapters/02_maps/README.md#step-2-lookup");
}

void* mapaccess2_fat(const maptype* /*t*/, hmap* /*h*/, const void* /*key*/, void* /*zero*/,
                     bool* /*ok*/) {
  GORT_KATA_TODO("mapaccess2_fat", "chapters/02_maps/README.md#step-2-lookup");
}

// Pointers to the stored key and elem (both null if absent). No
// hashWriting check: iteration calls it.
keyElem mapaccessK(const maptype* /*t*/, hmap* /*h*/, const void* /*key*/) {
  GORT_KATA_TODO("mapaccessK", "chapters/02_maps/README.md#step-2-lookup");
}

// ---------------------------------------------------------------------------
// Step 3: insert.

// Exact below B = 16; above, count with probability 1/2^(B-15) (fastrand).
void hmap::incrnoverflow() {
  GORT_KATA_TODO("hmap::incrnoverflow", "chapters/02_maps/README.md#step-3-insert");
}

// Take extra->nextOverflow if set (advance it, or clear the end marker if
// this was the last spare), else newobject(t->bucket). Count it. For a
// pointer-free bucket type (t->bucket->ptrdata == 0) also append it to
// extra->overflow. Link it after b.
bmap* hmap::newoverflow(const maptype* /*t*/, bmap* /*b*/) {
  GORT_KATA_TODO("hmap::newoverflow", "chapters/02_maps/README.md#step-3-insert");
}

// Allocate extra and extra->overflow (an empty slice) if missing.
void hmap::createOverflow() {
  GORT_KATA_TODO("hmap::createOverflow", "chapters/02_maps/README.md#step-3-insert");
}

// Nil map: panic with plainError("assignment to entry in nil map"). Check
// and set hashWriting (after hashing). Allocate the first bucket lazily. If
// growing, growWork first. Search the chain remembering the first empty
// slot; an existing key is updated in place (needkeyupdate). For a new key:
// start growing if over the load factor or tooManyOverflowBuckets (and not
// already growing), then search again; chain an overflow bucket if full;
// store the key (allocating it if indirect), its tophash, count++. Check
// and clear hashWriting; return the elem slot (dereferenced if indirect).
void* mapassign(const maptype* /*t*/, hmap* /*h*/, const void* /*key*/) {
  GORT_KATA_TODO("mapassign", "chapters/02_maps/README.md#step-3-insert");
}

// ---------------------------------------------------------------------------
// Step 4: delete and clear.

// Like mapassign's search. On a hit: clear the key (if it holds pointers)
// and the elem, mark the slot emptyOne, then turn a trailing run of
// emptyOne into emptyRest, walking backwards through the chain. count--;
// an emptied map gets a new hash0.
void mapdelete(const maptype* /*t*/, hmap* /*h*/, const void* /*key*/) {
  GORT_KATA_TODO("mapdelete", "chapters/02_maps/README.md#step-4-delete-and-clear");
}

// Reset every field but B and the buckets; new hash0; clear extra; let
// makeBucketArray clear and reuse h->buckets.
void mapclear(const maptype* /*t*/, hmap* /*h*/) {
  GORT_KATA_TODO("mapclear", "chapters/02_maps/README.md#step-4-delete-and-clear");
}

// ---------------------------------------------------------------------------
// Step 5: growth and evacuation.

// Double if overLoadFactor(count + 1, B), else same size (set the flag).
// New array; iterator -> oldIterator; B, oldbuckets, buckets, nevacuate,
// noverflow; extra->overflow becomes extra->oldoverflow; new spares.
void hashGrow(const maptype* /*t*/, hmap* /*h*/) {
  GORT_KATA_TODO("hashGrow", "chapters/02_maps/README.md#step-5-growth-and-evacuation");
}

// Evacuate the old bucket behind `bucket`, then h->nevacuate if still
// growing.
void growWork(const maptype* /*t*/, hmap* /*h*/, uintptr /*bucket*/) {
  GORT_KATA_TODO("growWork", "chapters/02_maps/README.md#step-5-growth-and-evacuation");
}

// Move every entry of the old chain to X (same index) or, when doubling and
// hash & newbit, Y (index + newbit); mark each old slot evacuatedX/Y (or
// evacuatedEmpty). NaN keys during iteration: the tophash's low bit decides.
// Then clear the old bucket's data unless an old iterator may read it, and
// advance nevacuate if this was the bucket it points at.
void evacuate(const maptype* /*t*/, hmap* /*h*/, uintptr /*oldbucket*/) {
  GORT_KATA_TODO("evacuate", "chapters/02_maps/README.md#step-5-growth-and-evacuation");
}

// nevacuate++, then skip already-evacuated buckets (at most 1024); when
// all are done drop oldbuckets and oldoverflow and clear sameSizeGrow.
void advanceEvacuationMark(hmap* /*h*/, const maptype* /*t*/, uintptr /*newbit*/) {
  GORT_KATA_TODO("advanceEvacuationMark",
                 "chapters/02_maps/README.md#step-5-growth-and-evacuation");
}

bool bucketEvacuated(const maptype* /*t*/, hmap* /*h*/, uintptr /*bucket*/) {
  GORT_KATA_TODO("bucketEvacuated", "chapters/02_maps/README.md#step-5-growth-and-evacuation");
}

// ---------------------------------------------------------------------------
// Step 6: iteration.

// Nil or empty map: nothing to do (it->key stays null). Snapshot B and
// buckets; a random start bucket and offset from one fastrand (fastrand64
// when B > 28); set iterator | oldIterator atomically (std::atomic_ref);
// then mapiternext.
void mapiterinit(const maptype* /*t*/, hmap* /*h*/, hiter* /*it*/) {
  GORT_KATA_TODO("mapiterinit", "chapters/02_maps/README.md#step-6-iteration");
}

// fatal("concurrent map iteration and map write") if hashWriting. Walk
// buckets from startBucket, slots from offset (mod 8), until back at the
// start. If the iteration began during a growth that is not done, read an
// unevacuated old bucket instead, keeping only keys bound for this bucket.
// An entry marked evacuatedX/Y moved after the iteration began: look it up
// again (mapaccessK) and skip it if deleted.
void mapiternext(hiter* /*it*/) {
  GORT_KATA_TODO("mapiternext", "chapters/02_maps/README.md#step-6-iteration");
}

}  // namespace gort::rt
