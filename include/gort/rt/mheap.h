// The size-class allocator: spans, per-P caches, central lists, the page
// heap and the arena index.
//
// Mirrors Go 1.19 src/runtime/malloc.go, mcache.go, mcentral.go, mheap.go,
// mpagealloc.go, mpallocbits.go, mbitmap.go, mfixalloc.go and
// sizeclasses.go (chapter 12, the allocator).
//
// Three tiers, as in Go (and TCMalloc, which Go's allocator descends from):
//
//   mallocgc --> mcache (one per P, no lock) --> mcentral (one per span
//   class, a lock each) --> mheap (one, a lock; pages from arenas)
//
// Invariants:
//   - every heap span covers whole 8 KiB pages inside one 64 MiB arena
//     region that the heap reserved with mmap; heapArena::spans maps each
//     page of an in-use span to its mspan (spanOf, findObject);
//   - a small span holds nelems = npages*8192/elemsize objects of one size
//     class; bit i of allocBits is 1 when object i is allocated (or was, at
//     the last sweep); objects below freeindex are all allocated;
//   - allocCache holds the complement of the 64 allocBits starting at the
//     64-aligned group that contains freeindex, shifted so that bit 0 is
//     object freeindex: ctz(allocCache) is the distance to the next free
//     object;
//   - a span cached by an mcache has sweepgen == mheap_.sweepgen + 3 and
//     sits in no mcentral set; a span in an mcentral sits in exactly one of
//     its four sets;
//   - nothing is freed before the GC chapter, except spans freed explicitly
//     through mheap_.freeSpan (tests) and everything at teardown.
#ifndef GORT_RT_MHEAP_H_
#define GORT_RT_MHEAP_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <utility>
#include <vector>

#include "include/gort/rt/lock.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/sizeclasses.h"
#include "include/gort/rt/type.h"
#include "include/gort/rt/types.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

namespace gort::rt {

// Under AddressSanitizer, free heap slots are poisoned with ASan's manual
// poisoning API, so a use of a free slot (or of the bytes past a small
// request) is reported as a heap error; mallocgc unpoisons what it hands out.
inline void asanPoison(uintptr p, uintptr n) {
#if defined(__SANITIZE_ADDRESS__)
  ASAN_POISON_MEMORY_REGION(reinterpret_cast<void*>(p), n);
#else
  (void)p, (void)n;
#endif
}
inline void asanUnpoison(uintptr p, uintptr n) {
#if defined(__SANITIZE_ADDRESS__)
  ASAN_UNPOISON_MEMORY_REGION(reinterpret_cast<void*>(p), n);
#else
  (void)p, (void)n;
#endif
}

struct m;
struct p;

// ---- Constants (Go 1.19 malloc.go, mheap.go, mpagealloc.go) -------------

inline constexpr uintptr pageSize = _PageSize;         // 8 KiB
inline constexpr uintptr pageShift = _PageShift;       // 13
inline constexpr uintptr _PageMask = _PageSize - 1;
inline constexpr uintptr maxTinySize = 16;             // _TinySize
inline constexpr int tinySizeClass = 2;                // _TinySizeClass
inline constexpr int numSpanClasses = _NumSizeClasses << 1;  // 136

// Arenas: the heap is reserved in 64 MiB units (logHeapArenaBytes = 26 on
// 64-bit Linux), 8192 pages each. The arena index is flat on amd64
// (arenaL1Bits = 0, arenaL2Bits = heapAddrBits - 26 = 22).
inline constexpr uintptr logHeapArenaBytes = 26;
inline constexpr uintptr heapArenaBytes = uintptr{1} << logHeapArenaBytes;
inline constexpr uintptr pagesPerArena = heapArenaBytes / pageSize;  // 8192
inline constexpr uintptr arenaL2Bits = heapAddrBits - logHeapArenaBytes;  // 22
// Go 1.19 malloc.go: on amd64 the arena index starts at the bottom of the
// (sign-extended) address space, so index = (p - arenaBaseOffset) >> 26.
inline constexpr uintptr arenaBaseOffset = 0xffff800000000000ull;
// Go's first arena hint on linux/amd64 (malloc.go mallocinit: 0x00c0<<32).
inline constexpr uintptr arenaHintBase = uintptr{0x00c0} << 32;

// The page allocator works in chunks of 512 pages (4 MiB), each with an
// allocation bitmap, a scavenged bitmap and a summary (mpagealloc.go).
inline constexpr uintptr logPallocChunkPages = 9;
inline constexpr uintptr pallocChunkPages = uintptr{1} << logPallocChunkPages;  // 512
inline constexpr uintptr pallocChunkBytes = pallocChunkPages * pageSize;        // 4 MiB
// Summary fields are 21 bits wide in Go (logMaxPackedValue =
// logPallocChunkPages + (summaryLevels-1)*summaryLevelBits = 9 + 4*3).
inline constexpr uintptr logMaxPackedValue = 21;
inline constexpr uintptr maxPackedValue = uintptr{1} << logMaxPackedValue;

// ---- Step 1: size classes and span classes (sizeclasses.go, mheap.go) ----

// spanClass = sizeclass<<1 | noscan: the size class of a span's objects
// and whether they are pointer-free ("noscan": the GC need not scan them).
// Each size class has two span classes so scan and noscan objects never
// share a span. Class 0 is large objects (one object per span).
struct spanClass {
  std::uint8_t value = 0;
  constexpr int sizeclass() const { return value >> 1; }
  constexpr bool noscan() const { return (value & 1) != 0; }
  constexpr bool operator==(const spanClass&) const = default;
};

// makeSpanClass packs a size class and the noscan flag. Step 1.
spanClass makeSpanClass(std::uint8_t sizeclass, bool noscan);

// sizeToClass returns the size class mallocgc uses for a small request
// (1 <= size <= _MaxSmallSize): size_to_class8[divRoundUp(size, 8)] up to
// smallSizeMax-8 bytes, size_to_class128[divRoundUp(size-1024, 128)] above.
// (Go inlines this lookup in mallocgc.) Step 1.
std::uint8_t sizeToClass(uintptr size);

// class_to_divmagic: the reciprocal Go's mksizeclasses.go writes for each
// class, ^uint32(0)/size + 1, so that offset*divMul >> 32 == offset/size for
// every offset inside a span of that class (mspan::objIndex).
constexpr std::uint32_t divMagic(uintptr size) {
  return size == 0 ? 0 : static_cast<std::uint32_t>(0xffffffffu / size + 1);
}

// ---- Step 2: mspan and its bitmaps (mheap.go, mbitmap.go, malloc.go) -----

enum mSpanState : std::uint8_t {
  mSpanDead = 0,   // not in use: on no list, its pages free
  mSpanInUse = 1,  // allocated for garbage-collected heap objects
  mSpanManual = 2, // allocated for manual management (stacks in Go)
};

// special: a record hanging off a span for one object (Go: finalizers and
// heap profiles). gort adds one kind, a C++ destructor to run when the
// object dies (at teardown until the GC chapter): non-trivial C++ values
// (std::string elements, say) need it; Go values never do.
struct special {
  special* next = nullptr;
  std::uint16_t offset = 0;  // unused: gort keeps the address instead
  std::uint8_t kind = 0;
};
inline constexpr std::uint8_t _KindSpecialDestroy = 1;  // gort-only kind
struct specialDestroy {
  special special_;
  uintptr addr;
  uintptr size;
  const Type* typ;
};

struct mspan {
  mspan* next = nullptr;  // next span in a list (span set), or null
  mspan* prev = nullptr;  // unused by gort's span sets; kept for Go's shape

  uintptr startAddr = 0;  // address of the first byte of the span
  uintptr npages = 0;     // number of 8 KiB pages

  // freeindex is the slot index between 0 and nelems where the search for
  // the next free object starts; everything below it is allocated.
  uintptr freeindex = 0;
  uintptr nelems = 0;  // number of objects in the span

  // Cache of allocBits at freeindex, complemented (1 = free) and shifted
  // so that the lowest bit is object freeindex.
  std::uint64_t allocCache = 0;

  // allocBits: bit i set = object i allocated. gcmarkBits: the GC's marks,
  // which become the next allocBits when the span is swept. Both hold
  // divRoundUp(nelems, 64) 64-bit words (newMarkBits).
  std::uint8_t* allocBits = nullptr;
  std::uint8_t* gcmarkBits = nullptr;

  // sweep generation (Go's comment, restated):
  //   sweepgen == h->sweepgen - 2: the span needs sweeping
  //   sweepgen == h->sweepgen - 1: the span is being swept
  //   sweepgen == h->sweepgen:     the span is swept and ready to use
  //   sweepgen == h->sweepgen + 1: cached before sweep began; still cached,
  //                                needs sweeping
  //   sweepgen == h->sweepgen + 3: swept and then cached; still cached
  // h->sweepgen grows by 2 every GC cycle. Until the GC chapter it stays 0.
  std::uint32_t sweepgen = 0;
  std::uint32_t divMul = 0;        // class_to_divmagic of the size class
  std::uint16_t allocCount = 0;    // number of allocated objects
  spanClass spanclass;             // size class and noscan
  mSpanState state = mSpanDead;
  bool needzero = false;           // memory must be zeroed before use
  uintptr elemsize = 0;            // object size (class size, or npages*8192)
  uintptr limit = 0;               // end of the data in the span

  mutex speciallock;               // guards specials
  special* specials = nullptr;     // linked list of special records

  uintptr base() const { return startAddr; }

  // init: a fresh dead span of npages at base (Go: (*mspan).init).
  void init(uintptr base, uintptr npages);

  // refillAllocCache loads the 8 bytes of allocBits starting at byte
  // whichByte (a multiple of 8) into allocCache, complemented. Step 2.
  void refillAllocCache(uintptr whichByte);

  // nextFreeIndex returns the index of the next free object at or after
  // freeindex (nelems if none), advances freeindex past it and keeps
  // allocCache in step, refilling it at 64-object boundaries. Step 2.
  uintptr nextFreeIndex();

  // isFree reports whether object index is free (not below freeindex and
  // its allocBits bit clear).
  bool isFree(uintptr index) const;

  // objIndex: the index of the object containing address p, with the
  // class's reciprocal (no division). Step 5.
  uintptr objIndex(uintptr p) const;

  // divideByElemSize: n / elemsize with divMul (Go 1.19 mbitmap.go).
  uintptr divideByElemSize(uintptr n) const {
    return static_cast<uintptr>((static_cast<std::uint64_t>(n) * divMul) >> 32);
  }

  // Bit i of allocBits / gcmarkBits.
  bool allocBitSet(uintptr i) const { return (allocBits[i / 8] >> (i % 8)) & 1; }
  bool isMarked(uintptr i) const { return (gcmarkBits[i / 8] >> (i % 8)) & 1; }
  void setMarked(uintptr i) { gcmarkBits[i / 8] |= static_cast<std::uint8_t>(1u << (i % 8)); }
};

// nextFreeFast: the allocator's fastest path. Returns the address of the
// next free object found in allocCache, or 0 when allocCache has none (or
// the next one would need a refill at a 64-object boundary). Advances
// freeindex and allocCount. Step 2.
uintptr nextFreeFast(mspan* s);

// newMarkBits / newAllocBits: zeroed bitmaps for nelems objects, in whole
// 64-bit words (Go: from gcBitsArenas). Caller holds mheap_.lock.
std::uint8_t* newMarkBits(uintptr nelems);
std::uint8_t* newAllocBits(uintptr nelems);

// ---- Step 3: mcache, the per-P cache (mcache.go) --------------------------

// Per-mcache allocation statistics (Go 1.19 keeps them in heapStatsDelta;
// gort counts each allocation as it happens, in counters only the owning
// P writes and ReadMemStats reads).
struct mcacheStats {
  std::array<std::atomic<std::uint64_t>, _NumSizeClasses> smallAllocCount{};
  std::atomic<std::uint64_t> largeAlloc{0};       // bytes
  std::atomic<std::uint64_t> largeAllocCount{0};
  std::atomic<std::uint64_t> tinyAllocCount{0};   // tiny allocations that shared a block
};

// Increments a counter only its owner writes (no read-modify-write needed).
inline void ownerAdd(std::atomic<std::uint64_t>& c, std::uint64_t d) {
  c.store(c.load(std::memory_order_relaxed) + d, std::memory_order_relaxed);
}

struct mcache {
  // The tiny allocator: tiny is the start of the current 16-byte block
  // (0 if none), tinyoffset the first free byte in it.
  uintptr tiny = 0;
  uintptr tinyoffset = 0;

  // The span each span class allocates from; &emptymspan when none.
  std::array<mspan*, numSpanClasses> alloc{};

  mcacheStats stats;
  mcache* allnext = nullptr;  // gort: on mheap_.allmcaches (ReadMemStats)

  // nextFree returns the next free object of span class spc from the
  // cached span, refilling the cache from mcentral when it is full.
  // *sp receives the span it came from. Step 3.
  uintptr nextFree(spanClass spc, mspan** sp);

  // refill swaps the full cached span of class spc for one with free
  // objects (mcentral::uncacheSpan, then cacheSpan). Step 4.
  void refill(spanClass spc);

  // allocLarge allocates a span of ceil(size/8192) pages for one large
  // object. Step 6.
  mspan* allocLarge(uintptr size, bool noscan);

  // releaseAll returns every cached span to its mcentral and drops the
  // tiny block (Go: on P destruction and before a GC).
  void releaseAll();
};

// emptymspan: the span an mcache points at for a class it holds no span of
// (nelems 0, so every allocation from it goes to refill).
extern mspan emptymspan;

// allocmcache / freemcache: an mcache for a new P, and back (its spans go
// to the mcentrals, its statistics into the heap's totals).
mcache* allocmcache();
void freemcache(mcache* c);

// The mcache of the calling thread's P, or the shared fallback cache when
// the thread has no P (tests and benchmarks outside gort::Run). With the
// fallback cache the call also takes a lock, released by putMCache.
mcache* getMCache(m* mp);
void putMCache(mcache* c);

// ---- Step 4: mcentral (mcentral.go) --------------------------------------

// spanSet: a set of spans (Go 1.19 uses a lock-free block list; gort's is
// an intrusive stack through mspan::next, guarded by its mcentral's lock).
struct spanSet {
  mspan* head = nullptr;
  uintptr n = 0;
  void push(mspan* s);
  mspan* pop();
};

struct mcentral {
  mutex lock_;  // guards the four sets (Go: the span sets are lock-free)
  spanClass spanclass;

  // partial: spans with a free object; full: spans with none. Index
  // sweepgen/2%2 holds the swept spans, the other one the unswept: the
  // roles swap each GC cycle when sweepgen grows by 2.
  std::array<spanSet, 2> partial;
  std::array<spanSet, 2> full;

  spanSet* partialSwept(std::uint32_t sweepgen) { return &partial[sweepgen / 2 % 2]; }
  spanSet* partialUnswept(std::uint32_t sweepgen) { return &partial[1 - sweepgen / 2 % 2]; }
  spanSet* fullSwept(std::uint32_t sweepgen) { return &full[sweepgen / 2 % 2]; }
  spanSet* fullUnswept(std::uint32_t sweepgen) { return &full[1 - sweepgen / 2 % 2]; }

  void init(spanClass spc);

  // cacheSpan returns a span with a free object for an mcache: a swept
  // partial span, else (after a GC) an unswept one swept now, else a new
  // span from grow. The span leaves every set; its allocCache is loaded at
  // freeindex and its sweepgen is mheap_.sweepgen + 3. Step 4.
  mspan* cacheSpan();

  // uncacheSpan takes back a span from an mcache: into partialSwept if it
  // has a free object, fullSwept if not. Step 4.
  void uncacheSpan(mspan* s);

  // grow allocates a new span of the class from mheap_ (class_to_allocnpages
  // pages) and sets its nelems and limit. Step 4.
  mspan* grow();
};

// ---- Step 5: pages and the heap (mpagealloc.go, mheap.go) -----------------

// pallocSum: a chunk's summary, three 21-bit counts packed as in Go:
// start (free pages at the chunk's start), max (longest free run), end
// (free pages at its end).
using pallocSum = std::uint64_t;
constexpr pallocSum packPallocSum(uintptr start, uintptr max, uintptr end) {
  if (max == maxPackedValue) return pallocSum{1} << 63;  // all free, as Go
  return static_cast<pallocSum>(start & (maxPackedValue - 1)) |
         static_cast<pallocSum>(max & (maxPackedValue - 1)) << logMaxPackedValue |
         static_cast<pallocSum>(end & (maxPackedValue - 1)) << (2 * logMaxPackedValue);
}
constexpr uintptr sumStart(pallocSum s) {
  return (s >> 63) ? maxPackedValue : static_cast<uintptr>(s & (maxPackedValue - 1));
}
constexpr uintptr sumMax(pallocSum s) {
  return (s >> 63) ? maxPackedValue
                   : static_cast<uintptr>((s >> logMaxPackedValue) & (maxPackedValue - 1));
}
constexpr uintptr sumEnd(pallocSum s) {
  return (s >> 63) ? maxPackedValue
                   : static_cast<uintptr>((s >> (2 * logMaxPackedValue)) & (maxPackedValue - 1));
}

// pallocData: one chunk's bitmaps (Go: pallocBits + scavenged).
struct pallocData {
  std::array<std::uint64_t, pallocChunkPages / 64> alloc{};      // 1 = page in use
  std::array<std::uint64_t, pallocChunkPages / 64> scavenged{};  // 1 = returned to the OS
};

// pageAlloc: gort's page allocator. Go 1.19 keeps a bitmap per 4 MiB chunk
// and a five-level radix tree of summaries above the chunks, so finding a
// run of n free pages costs O(levels). gort keeps Go's chunks, bitmaps and
// packed summaries, but only the leaf level of the tree: the chunks sit in
// one address-ordered array and find() scans their summaries, joining runs
// across adjacent chunks as Go's tree does across children. Same interface
// and the same answers (first fit by address); O(chunks) per search instead
// of O(levels), which is 16 summaries per 64 MiB arena.
class pageAlloc {
 public:
  struct chunk {
    uintptr base;  // address of page 0 (a multiple of pallocChunkBytes)
    pallocSum sum;
    pallocData data;
  };

  // grow adds [base, base+size) (whole chunks) as free, scavenged pages:
  // fresh memory has never been touched, so it is not backed by RAM.
  void grow(uintptr base, uintptr size);

  // alloc finds the lowest-addressed run of npages free pages, marks it in
  // use and returns {base, bytes of it that were scavenged}; {0, 0} when
  // no run is long enough (the heap must grow). Step 5.
  std::pair<uintptr, uintptr> alloc(uintptr npages);

  // free marks [base, base+npages*8192) free again; neighbouring free runs
  // join through the bitmap and summaries. Step 5.
  void free(uintptr base, uintptr npages);

  // scavenge returns up to nbytes of free, unscavenged pages to the OS
  // (madvise MADV_DONTNEED) and marks them scavenged; returns the bytes
  // released. nbytes = ~0 releases everything.
  uintptr scavenge(uintptr nbytes);

  // Free pages and free scavenged pages, in bytes.
  uintptr freeBytes() const;
  uintptr scavengedFreeBytes() const;

  // Drops every chunk (teardown).
  void reset();

  // For tests and the README: the summary of the chunk holding addr.
  const chunk* chunkOf(uintptr addr) const;
  const std::vector<chunk*>& chunks() const { return chunks_; }

  // When false, scavenge only updates the bitmaps (tests over fake address
  // ranges that are not mapped).
  bool madviseEnabled = true;

 private:
  chunk* findChunk(uintptr addr) const;
  uintptr find(uintptr npages) const;  // 0 if none
  void allocRange(uintptr base, uintptr npages, uintptr* scav);
  std::vector<chunk*> chunks_;  // sorted by base
};

// summarize computes a chunk's pallocSum from its allocation bitmap.
pallocSum summarize(const pallocData& d);

// heapArena: the metadata of one 64 MiB arena (Go: heapArena).
struct heapArena {
  // spans maps each page of the arena to the span that holds it. Pages of
  // spans that are not in use may point at a stale or dead span: always
  // check mspan::state (spanOf does).
  std::array<mspan*, pagesPerArena> spans{};
  // pageInUse: bit per page, set on the first page of each in-use span.
  std::array<std::uint8_t, pagesPerArena / 8> pageInUse{};
  // Bytes at the start of the arena that have been handed out at least
  // once: pages above it are still fresh, zero memory (allocNeedsZero).
  std::atomic<uintptr> zeroedBase{0};
};

// arenaIndex: the index in mheap_.arenas of the arena holding p.
constexpr uintptr arenaIndex(uintptr p) { return (p - arenaBaseOffset) >> logHeapArenaBytes; }
constexpr uintptr arenaBase(uintptr i) { return (i << logHeapArenaBytes) + arenaBaseOffset; }

// fixalloc: a free-list allocator of fixed-size runtime records (mspan,
// mcache, specials) carved from persistent chunks (Go: mfixalloc.go). Not
// thread-safe: callers hold mheap_.lock.
struct fixalloc {
  struct mlink {
    mlink* next;
  };
  uintptr size = 0;
  void (*first)(void* arg, void* p) = nullptr;  // called on first use of each record
  void* arg = nullptr;
  mlink* list = nullptr;
  uintptr chunk = 0;
  std::uint32_t nchunk = 0;
  std::uint32_t nalloc = 16 * 1024;  // bytes per chunk
  uintptr inuse = 0;

  void init(uintptr size, void (*first)(void*, void*), void* arg);
  void* alloc();  // zeroed
  void free(void* p);
};

// persistentalloc: memory for runtime metadata that lives until teardown
// (Go: persistentalloc, never freed). Caller holds mheap_.lock.
void* persistentalloc(uintptr size, uintptr align);

enum spanAllocType { spanAllocHeap, spanAllocManual };

// MemStats: Go's runtime.MemStats main fields.
struct MemStats {
  std::uint64_t Alloc = 0;         // bytes of allocated heap objects (= HeapAlloc)
  std::uint64_t TotalAlloc = 0;    // cumulative bytes allocated
  std::uint64_t Sys = 0;           // bytes obtained from the OS
  std::uint64_t Mallocs = 0;       // cumulative objects allocated
  std::uint64_t Frees = 0;         // cumulative objects freed
  std::uint64_t HeapAlloc = 0;     // bytes of allocated heap objects
  std::uint64_t HeapSys = 0;       // heap bytes obtained from the OS
  std::uint64_t HeapIdle = 0;      // bytes in idle (unused) spans
  std::uint64_t HeapInuse = 0;     // bytes in in-use spans
  std::uint64_t HeapReleased = 0;  // bytes of idle memory returned to the OS
  std::uint64_t HeapObjects = 0;   // allocated heap objects
  std::uint32_t NumGC = 0;         // completed GC cycles (no GC yet: 0)
};

struct mheap {
  mutex lock_;  // Go: mheap.lock
  pageAlloc pages;
  std::uint32_t sweepgen = 0;

  // allspans: every mspan record ever made (dead ones included).
  std::vector<mspan*> allspans;

  // arenas: the flat arena index (2^22 entries, reserved lazily).
  heapArena** arenas = nullptr;
  std::vector<uintptr> allArenas;  // base of every arena, in creation order

  // curArena: the part of the current arena reservation not yet given to
  // the page allocator.
  struct {
    uintptr base = 0;
    uintptr end = 0;
  } curArena;
  uintptr nextArenaHint = arenaHintBase;

  std::array<mcentral, numSpanClasses> central;

  fixalloc spanalloc;     // mspan records
  fixalloc cachealloc;    // mcache records
  fixalloc specialalloc;  // specialDestroy records, guarded by speciallock
  mutex speciallock;      // Go: mheap_.speciallock

  mcache* allmcaches = nullptr;  // live mcaches (for ReadMemStats)
  bool initialized = false;

  // Statistics (bytes unless said otherwise), guarded by lock.
  uintptr heapSys = 0;     // mapped heap memory (arenas' chunks handed to pages)
  uintptr pagesInUse = 0;  // pages in in-use spans
  uintptr released = 0;    // free pages returned to the OS (or never touched)
  uintptr otherSys = 0;    // metadata: persistentalloc and fixalloc chunks
  std::uint64_t largeFree = 0, largeFreeCount = 0;  // explicit large frees
  std::uint64_t smallFreeCount = 0, smallFreeBytes = 0;  // explicit small frees
  mcacheStats retired;     // statistics of freed mcaches

  void init();

  // alloc allocates a span of npages for span class spc (small or large
  // objects); allocSpan does it for either kind. Step 5.
  mspan* alloc(uintptr npages, spanClass spc);
  mspan* allocSpan(uintptr npages, spanAllocType typ, spanClass spc);

  // freeSpan returns a span's pages to the page allocator (test-only until
  // the GC chapter sweeps). The span must not be cached by an mcache nor
  // sit in an mcentral set. Step 5.
  void freeSpan(mspan* s);

  // grow maps at least npage more pages (4 MiB chunks of a 64 MiB arena
  // reservation) and hands them to the page allocator. Caller holds lock.
  bool grow(uintptr npage);

  // sysAlloc reserves n bytes (a multiple of heapArenaBytes) of address
  // space and creates its arena metadata. Caller holds lock.
  void* sysAlloc(uintptr n, uintptr* size);

  // initSpan makes s a fresh in-use span of npages at base for span class
  // spc: elemsize, nelems, divMul and limit from the class (one object of
  // npages*8192 bytes for class 0), fresh allocBits/gcmarkBits, an
  // allocCache of all ones, sweepgen = sweepgen, state mSpanInUse,
  // needzero from allocNeedsZero; then points the arena index at it
  // (setSpans) and counts its pages in use. Caller holds lock.
  void initSpan(mspan* s, spanAllocType typ, spanClass spc, uintptr base, uintptr npages);

  // allocNeedsZero reports whether [base, base+npage pages) may hold old
  // data, and advances the arenas' zeroedBase.
  bool allocNeedsZero(uintptr base, uintptr npage);

  // setSpans points the arena index at s for every page of it.
  void setSpans(uintptr base, uintptr npage, mspan* s);

  // scavengeAll returns every free page to the OS (FreeOSMemory).
  uintptr scavengeAll();
};

extern mheap mheap_;

// spanOf returns the in-use span holding address p, or null (p outside the
// heap, in a free page, or past the span's limit). Step 5.
mspan* spanOf(uintptr p);

// findObject returns the base address of the heap object holding p (any
// interior byte) and its span and index, or 0. Step 5.
uintptr findObject(uintptr p, mspan** sp = nullptr, uintptr* objIndex = nullptr);

// ---- Step 6: mallocgc (malloc.go) -----------------------------------------
// mallocgc itself is declared in malloc.h. Its three paths are the tiny
// allocator (noscan, < 16 bytes), small objects from the mcache, and large
// objects (> 32 KiB) with a span of their own (mcache::allocLarge).

// initNonTrivial constructs size/typ->size zero values of a non-trivial
// C++ type at x (in span s) and records a special so teardown (later the
// GC) runs their destructors. gort-only: Go values need neither.
void initNonTrivial(mspan* s, void* x, uintptr size, const Type* typ);

// ReadMemStats fills *stats from the heap's and every mcache's counters.
void ReadMemStats(MemStats* stats);

// FreeOSMemory returns every free page to the OS (Go's debug.FreeOSMemory
// also runs a GC first; there is none yet). Returns the bytes released.
uintptr FreeOSMemory();

// Test hook: the object at p (from mallocgc, small class, not tiny) is
// freed as a sweep would free it: its allocBits bit cleared, allocCount
// decremented. The span must be cached by no mcache (call releaseAll or
// use FlushMCachesForTest first); a full span moves to partialSwept.
void freeObjectForTest(void* p);

// Test hook: the fallback mcache's spans go back to the mcentrals.
void FlushFallbackMCacheForTest();

}  // namespace gort::rt

#endif  // GORT_RT_MHEAP_H_
