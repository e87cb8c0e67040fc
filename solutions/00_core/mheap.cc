// The allocator's plumbing that no kata step covers: arena reservation and
// the arena index, heap growth, fixalloc and persistentalloc, span
// initialisation, the mcache life cycle, scavenging, statistics and
// teardown. The chapter's functions (size classes, span bitmaps, the mcache
// fast path, mcentral, the page allocator's search, allocSpan, spanOf,
// findObject, mallocgc) live in solutions/12_allocator.
//
// Mirrors Go 1.19 src/runtime/mheap.go (grow, sysAlloc, initSpan,
// allocNeedsZero, setSpans, freeSpan), malloc.go (sysAlloc, persistentalloc),
// mfixalloc.go, mcache.go (allocmcache, freemcache, releaseAll),
// mpagealloc.go (grow, scavenge), mstats.go (ReadMemStats) and mem_linux.go
// (sysReserve, sysMap, sysUnused).
#include <sys/mman.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <new>

#include "include/gort/rt/error.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/mheap.h"
#include "include/gort/rt/runtime2.h"

namespace gort::rt {

constinit mheap mheap_;
constinit mspan emptymspan;

namespace {

// ---- persistentalloc: metadata memory that lives until teardown ----------

struct persistentChunk {
  persistentChunk* next;
  uintptr size;
};

constexpr uintptr persistentChunkSize = 256 << 10;

constinit struct {
  mutex lock;
  persistentChunk* chunks = nullptr;  // every mapping, for teardown
  uintptr off = 0;                    // bump offset in chunks (if small)
  uintptr sys = 0;                    // bytes mapped
} persistent;

void* sysAllocOS(uintptr n) {
  void* v = mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (v == MAP_FAILED) throw_("runtime: cannot allocate memory");
  return v;
}

void persistentFreeAll() {
  lock(&persistent.lock);
  persistentChunk* c = persistent.chunks;
  persistent.chunks = nullptr;
  persistent.off = 0;
  persistent.sys = 0;
  unlock(&persistent.lock);
  while (c != nullptr) {
    persistentChunk* next = c->next;
    munmap(c, c->size);
    c = next;
  }
}

// ---- The fallback mcache: threads without a P -----------------------------

constinit struct {
  mutex lock;
  mcache c;
  bool ready = false;
} fallback;

void resetFallback() {
  fallback.c.alloc.fill(&emptymspan);
  fallback.c.tiny = 0;
  fallback.c.tinyoffset = 0;
  for (auto& x : fallback.c.stats.smallAllocCount) x.store(0);
  fallback.c.stats.largeAlloc.store(0);
  fallback.c.stats.largeAllocCount.store(0);
  fallback.c.stats.tinyAllocCount.store(0);
  fallback.ready = true;
}

void addStats(mcacheStats& into, const mcacheStats& from) {
  for (int i = 0; i < _NumSizeClasses; i++) {
    into.smallAllocCount[i].fetch_add(from.smallAllocCount[i].load(std::memory_order_relaxed),
                                      std::memory_order_relaxed);
  }
  into.largeAlloc.fetch_add(from.largeAlloc.load(std::memory_order_relaxed));
  into.largeAllocCount.fetch_add(from.largeAllocCount.load(std::memory_order_relaxed));
  into.tinyAllocCount.fetch_add(from.tinyAllocCount.load(std::memory_order_relaxed));
}

void recordspan(void* /*arg*/, void* p) { mheap_.allspans.push_back(static_cast<mspan*>(p)); }

}  // namespace

void* persistentalloc(uintptr size, uintptr align) {
  if (align == 0) align = 8;
  if (size >= persistentChunkSize / 4) {
    // Big records (heapArena, 66 KiB) get a mapping of their own.
    const uintptr n = alignUp(size + 64, 4096);
    auto* c = static_cast<persistentChunk*>(sysAllocOS(n));
    lock(&persistent.lock);
    c->size = n;
    // Keep the current bump chunk at the head: insert behind it.
    if (persistent.chunks != nullptr) {
      c->next = persistent.chunks->next;
      persistent.chunks->next = c;
    } else {
      c->next = nullptr;
      persistent.chunks = c;
      persistent.off = n;  // full: the next small request maps a new chunk
    }
    persistent.sys += n;
    unlock(&persistent.lock);
    return reinterpret_cast<char*>(c) + 64;
  }
  lock(&persistent.lock);
  uintptr off = alignUp(persistent.off, align);
  if (persistent.chunks == nullptr || off + size > persistentChunkSize ||
      persistent.chunks->size != persistentChunkSize) {
    auto* c = static_cast<persistentChunk*>(sysAllocOS(persistentChunkSize));
    c->size = persistentChunkSize;
    c->next = persistent.chunks;
    persistent.chunks = c;
    persistent.sys += persistentChunkSize;
    off = alignUp(sizeof(persistentChunk), align);
  }
  void* p = reinterpret_cast<char*>(persistent.chunks) + off;
  persistent.off = off + size;
  unlock(&persistent.lock);
  return p;
}

// ---- fixalloc (mfixalloc.go) ----------------------------------------------

void fixalloc::init(uintptr sz, void (*f)(void*, void*), void* a) {
  size = alignUp(sz, 16);
  first = f;
  arg = a;
  list = nullptr;
  chunk = 0;
  nchunk = 0;
  nalloc = static_cast<std::uint32_t>(std::max<uintptr>(16 * 1024 / size * size, size));
  inuse = 0;
}

void* fixalloc::alloc() {
  if (size == 0) throw_("runtime: use of FixAlloc_Alloc before FixAlloc_Init");
  if (list != nullptr) {
    void* v = list;
    list = list->next;
    inuse += size;
    std::memset(v, 0, size);
    return v;
  }
  if (nchunk < size) {
    chunk = reinterpret_cast<uintptr>(persistentalloc(nalloc, 16));
    nchunk = nalloc;
  }
  void* v = reinterpret_cast<void*>(chunk);
  if (first != nullptr) first(arg, v);
  chunk += size;
  nchunk -= static_cast<std::uint32_t>(size);
  inuse += size;
  return v;
}

void fixalloc::free(void* p) {
  inuse -= size;
  auto* v = static_cast<mlink*>(p);
  v->next = list;
  list = v;
}

// ---- mspan helpers --------------------------------------------------------

void mspan::init(uintptr b, uintptr n) {
  next = nullptr;
  prev = nullptr;
  startAddr = b;
  npages = n;
  freeindex = 0;
  nelems = 0;
  allocCache = 0;
  allocBits = nullptr;
  gcmarkBits = nullptr;
  sweepgen = 0;
  divMul = 0;
  allocCount = 0;
  spanclass = spanClass{};
  state = mSpanDead;
  needzero = false;
  elemsize = 0;
  limit = 0;
  specials = nullptr;
}

bool mspan::isFree(uintptr index) const {
  if (index < freeindex) return false;
  return !allocBitSet(index);
}

std::uint8_t* newMarkBits(uintptr nelems) {
  const uintptr bytes = std::max<uintptr>(divRoundUp(nelems, 64) * 8, 8);
  return static_cast<std::uint8_t*>(persistentalloc(bytes, 8));
}

std::uint8_t* newAllocBits(uintptr nelems) { return newMarkBits(nelems); }

// ---- spanSet and mcentral plumbing ----------------------------------------

void spanSet::push(mspan* s) {
  s->next = head;
  head = s;
  n++;
}

mspan* spanSet::pop() {
  mspan* s = head;
  if (s == nullptr) return nullptr;
  head = s->next;
  s->next = nullptr;
  n--;
  return s;
}

void mcentral::init(spanClass spc) {
  spanclass = spc;
  for (auto& s : partial) s = spanSet{};
  for (auto& s : full) s = spanSet{};
}

// ---- mheap ----------------------------------------------------------------

void mheap::init() {
  // REQUIRES: lock held.
  if (arenas == nullptr) {
    // The flat arena index: 2^22 pointers (32 MiB of address space, only
    // the pages that hold live entries are ever touched), as Go's
    // arenas[1][1<<22] on amd64. Kept for the life of the process.
    void* v = mmap(nullptr, sizeof(heapArena*) << arenaL2Bits, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (v == MAP_FAILED) throw_("runtime: cannot reserve arena index");
    arenas = static_cast<heapArena**>(v);
  }
  spanalloc.init(sizeof(mspan), recordspan, this);
  cachealloc.init(sizeof(mcache), nullptr, nullptr);
  specialalloc.init(sizeof(specialDestroy), nullptr, nullptr);
  for (int i = 0; i < numSpanClasses; i++) {
    central[i].init(spanClass{static_cast<std::uint8_t>(i)});
  }
  initialized = true;
}

void* mheap::sysAlloc(uintptr n, uintptr* size) {
  n = alignUp(n, heapArenaBytes);
  // Try Go's hint addresses first (0x00c000000000 and up), then anywhere,
  // reserving twice the size to cut out a 64 MiB-aligned range
  // (sysReserveAligned). PROT_NONE: reserved, not yet usable.
  uintptr v = 0;
  void* r = mmap(reinterpret_cast<void*>(nextArenaHint), n, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (r != MAP_FAILED && reinterpret_cast<uintptr>(r) == nextArenaHint) {
    v = nextArenaHint;
    nextArenaHint += n;
  } else {
    if (r != MAP_FAILED) munmap(r, n);
    r = mmap(nullptr, n + heapArenaBytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
             -1, 0);
    if (r == MAP_FAILED) return nullptr;
    const uintptr raw = reinterpret_cast<uintptr>(r);
    v = alignUp(raw, heapArenaBytes);
    if (v > raw) munmap(r, v - raw);
    const uintptr tail = raw + n + heapArenaBytes - (v + n);
    if (tail > 0) munmap(reinterpret_cast<void*>(v + n), tail);
  }
  // Arena metadata for every arena of the new region.
  for (uintptr a = v; a < v + n; a += heapArenaBytes) {
    void* mem = persistentalloc(sizeof(heapArena), 64);
    auto* ha = new (mem) heapArena();
    arenas[arenaIndex(a)] = ha;
    allArenas.push_back(a);
  }
  *size = n;
  return reinterpret_cast<void*>(v);
}

namespace {

// sysMap: Reserved -> Ready. gort maps the range read-write and, as Go
// 1.19's sysUsed does for the heap, asks for transparent huge pages.
void sysMap(uintptr v, uintptr n) {
  if (mprotect(reinterpret_cast<void*>(v), n, PROT_READ | PROT_WRITE) != 0) {
    throw_("runtime: cannot map pages in arena address space");
  }
  madvise(reinterpret_cast<void*>(v), n, MADV_HUGEPAGE);
  asanPoison(v, n);  // free memory: no object lives here yet
}

}  // namespace

bool mheap::grow(uintptr npage) {
  // REQUIRES: lock held. Grow by whole 4 MiB chunks (Go: ask is npage
  // rounded up to pallocChunkPages).
  const uintptr ask = alignUp(npage, pallocChunkPages) * pageSize;
  uintptr end = curArena.base + ask;
  uintptr nBase = alignUp(end, 4096);
  if (nBase > curArena.end || end < curArena.base) {
    // Not enough room in the current arena: reserve more.
    uintptr asize = 0;
    void* av = sysAlloc(ask, &asize);
    if (av == nullptr) return false;
    const uintptr a = reinterpret_cast<uintptr>(av);
    if (a == curArena.end) {
      curArena.end = a + asize;  // contiguous: extend
    } else {
      // Hand what is left of the old region to the page allocator first.
      if (const uintptr size = curArena.end - curArena.base; size != 0) {
        sysMap(curArena.base, size);
        pages.grow(curArena.base, size);
        heapSys += size;
        released += size;
      }
      curArena.base = a;
      curArena.end = a + asize;
    }
    nBase = alignUp(curArena.base + ask, 4096);
  }
  const uintptr v = curArena.base;
  curArena.base = nBase;
  sysMap(v, nBase - v);
  pages.grow(v, nBase - v);
  // Newly mapped memory counts as idle and released (never touched).
  heapSys += nBase - v;
  released += nBase - v;
  return true;
}

bool mheap::allocNeedsZero(uintptr base, uintptr npage) {
  bool needZero = false;
  while (npage > 0) {
    heapArena* ha = arenas[arenaIndex(base)];
    uintptr zeroedBase = ha->zeroedBase.load();
    const uintptr arenaOff = base % heapArenaBytes;
    if (arenaOff < zeroedBase) needZero = true;  // handed out before
    uintptr arenaLimit = arenaOff + npage * pageSize;
    if (arenaLimit > heapArenaBytes) arenaLimit = heapArenaBytes;
    while (arenaLimit > zeroedBase) {
      if (ha->zeroedBase.compare_exchange_weak(zeroedBase, arenaLimit)) break;
    }
    const uintptr nBytes = arenaLimit - arenaOff;
    base += nBytes;
    npage -= nBytes / pageSize;
  }
  return needZero;
}

void mheap::setSpans(uintptr base, uintptr npage, mspan* s) {
  for (uintptr i = 0; i < npage; i++) {
    const uintptr a = base + i * pageSize;
    arenas[arenaIndex(a)]->spans[(a / pageSize) % pagesPerArena] = s;
  }
}

void mheap::initSpan(mspan* s, spanAllocType typ, spanClass spc, uintptr base, uintptr npages) {
  s->init(base, npages);
  if (allocNeedsZero(base, npages)) s->needzero = true;
  const uintptr nbytes = npages * pageSize;
  if (typ == spanAllocManual) {
    s->nelems = 0;
    s->limit = base + nbytes;
    s->state = mSpanManual;
    asanUnpoison(base, nbytes);
  } else {
    s->spanclass = spc;
    if (const int sc = spc.sizeclass(); sc == 0) {
      s->elemsize = nbytes;
      s->nelems = 1;
      s->divMul = 0;
    } else {
      s->elemsize = class_to_size[sc];
      s->nelems = nbytes / s->elemsize;
      s->divMul = divMagic(s->elemsize);
    }
    s->limit = base + s->nelems * s->elemsize;
    s->freeindex = 0;
    s->allocCache = ~std::uint64_t{0};
    s->gcmarkBits = newMarkBits(s->nelems);
    s->allocBits = newAllocBits(s->nelems);
    s->sweepgen = sweepgen;
    s->state = mSpanInUse;
  }
  setSpans(base, npages, s);
  if (typ != spanAllocManual) {
    heapArena* ha = arenas[arenaIndex(base)];
    const uintptr pageIdx = (base / pageSize) % pagesPerArena;
    ha->pageInUse[pageIdx / 8] |= static_cast<std::uint8_t>(1u << (pageIdx % 8));
    pagesInUse += npages;
  }
}

mspan* mheap::alloc(uintptr npages, spanClass spc) {
  return allocSpan(npages, spanAllocHeap, spc);
}

namespace {

void runDestroys(special* list) {
  while (list != nullptr) {
    special* next = list->next;
    if (list->kind == _KindSpecialDestroy) {
      auto* sd = reinterpret_cast<specialDestroy*>(list);
      sd->typ->destroy(reinterpret_cast<void*>(sd->addr), sd->size / sd->typ->size);
    }
    list = next;
  }
}

}  // namespace

void mheap::freeSpan(mspan* s) {
  // Destructors of non-trivial values first (they may run C++ code).
  lock(&s->speciallock);
  special* specials = s->specials;
  s->specials = nullptr;
  unlock(&s->speciallock);
  runDestroys(specials);

  lock(&lock_);
  if (s->state == mSpanInUse) {
    if (s->spanclass.sizeclass() == 0) {
      if (s->allocCount > 0) {
        largeFree += s->elemsize;
        largeFreeCount++;
      }
    } else {
      // Every object the span handed out dies with it.
      smallFreeCount += s->allocCount;
      smallFreeBytes += static_cast<std::uint64_t>(s->allocCount) * s->elemsize;
    }
    pagesInUse -= s->npages;
    heapArena* ha = arenas[arenaIndex(s->base())];
    const uintptr pageIdx = (s->base() / pageSize) % pagesPerArena;
    ha->pageInUse[pageIdx / 8] &= static_cast<std::uint8_t>(~(1u << (pageIdx % 8)));
  } else if (s->state != mSpanManual) {
    throw_("mheap.freeSpanLocked - invalid free");
  }
  asanPoison(s->base(), s->npages * pageSize);
  pages.free(s->base(), s->npages);
  s->state = mSpanDead;
  spanalloc.free(s);
  unlock(&lock_);
}

uintptr mheap::scavengeAll() {
  lock(&lock_);
  const uintptr n = initialized ? pages.scavenge(~uintptr{0}) : 0;
  released += n;
  unlock(&lock_);
  return n;
}

// ---- mcache life cycle (mcache.go) ----------------------------------------

mcache* allocmcache() {
  lock(&mheap_.lock_);
  if (!mheap_.initialized) mheap_.init();
  void* mem = mheap_.cachealloc.alloc();
  auto* c = new (mem) mcache();
  c->alloc.fill(&emptymspan);
  c->allnext = mheap_.allmcaches;
  mheap_.allmcaches = c;
  unlock(&mheap_.lock_);
  return c;
}

void mcache::releaseAll() {
  for (int i = 0; i < numSpanClasses; i++) {
    mspan* s = alloc[i];
    if (s != &emptymspan) {
      mheap_.central[i].uncacheSpan(s);
      alloc[i] = &emptymspan;
    }
  }
  tiny = 0;
  tinyoffset = 0;
}

void freemcache(mcache* c) {
  if (c == nullptr) return;
  c->releaseAll();
  lock(&mheap_.lock_);
  addStats(mheap_.retired, c->stats);
  for (mcache** pc = &mheap_.allmcaches; *pc != nullptr; pc = &(*pc)->allnext) {
    if (*pc == c) {
      *pc = c->allnext;
      break;
    }
  }
  c->~mcache();
  mheap_.cachealloc.free(c);
  unlock(&mheap_.lock_);
}

mcache* getMCache(m* mp) {
  if (mp != nullptr && mp->p_ != nullptr && mp->p_->mcache_ != nullptr) return mp->p_->mcache_;
  lock(&fallback.lock);
  if (!fallback.ready) {
    resetFallback();
    lock(&mheap_.lock_);
    if (!mheap_.initialized) mheap_.init();  // the centrals' span classes
    unlock(&mheap_.lock_);
  }
  return &fallback.c;
}

void putMCache(mcache* c) {
  if (c == &fallback.c) unlock(&fallback.lock);
}

void FlushFallbackMCacheForTest() {
  lock(&fallback.lock);
  if (fallback.ready) fallback.c.releaseAll();
  unlock(&fallback.lock);
}

// ---- Specials for non-trivial C++ values ----------------------------------

void initNonTrivial(mspan* s, void* x, uintptr size, const Type* typ) {
  typ->zero(x, size / typ->size);
  lock(&mheap_.speciallock);
  auto* sd = static_cast<specialDestroy*>(mheap_.specialalloc.alloc());
  unlock(&mheap_.speciallock);
  sd->special_.kind = _KindSpecialDestroy;
  sd->addr = reinterpret_cast<uintptr>(x);
  sd->size = size;
  sd->typ = typ;
  lock(&s->speciallock);
  sd->special_.next = s->specials;
  s->specials = &sd->special_;
  unlock(&s->speciallock);
}

// ---- Statistics (mstats.go) -----------------------------------------------

void ReadMemStats(MemStats* st) {
  mcacheStats sum;
  lock(&mheap_.lock_);
  addStats(sum, mheap_.retired);
  for (mcache* c = mheap_.allmcaches; c != nullptr; c = c->allnext) addStats(sum, c->stats);
  addStats(sum, fallback.c.stats);
  std::uint64_t smallCount = 0, smallBytes = 0;
  for (int i = 1; i < _NumSizeClasses; i++) {
    const std::uint64_t n = sum.smallAllocCount[i].load(std::memory_order_relaxed);
    smallCount += n;
    smallBytes += n * class_to_size[i];
  }
  const std::uint64_t tiny = sum.tinyAllocCount.load(std::memory_order_relaxed);
  *st = MemStats{};
  st->TotalAlloc = smallBytes + sum.largeAlloc.load(std::memory_order_relaxed);
  // Go counts a tiny allocation that shares a block as a malloc and a free
  // ("for historical reasons", readmemstats_m).
  st->Mallocs = smallCount + sum.largeAllocCount.load(std::memory_order_relaxed) + tiny;
  st->Frees = tiny + mheap_.largeFreeCount + mheap_.smallFreeCount;
  st->HeapAlloc = st->TotalAlloc - mheap_.largeFree - mheap_.smallFreeBytes;
  st->Alloc = st->HeapAlloc;
  st->HeapObjects = st->Mallocs - st->Frees;
  st->HeapSys = mheap_.heapSys;
  st->HeapInuse = mheap_.pagesInUse * pageSize;
  st->HeapIdle = st->HeapSys - st->HeapInuse;
  st->HeapReleased = mheap_.released;
  unlock(&mheap_.lock_);
  lock(&persistent.lock);
  st->Sys = st->HeapSys + persistent.sys;
  unlock(&persistent.lock);
}

uintptr FreeOSMemory() { return mheap_.scavengeAll(); }

uintptr HeapBytesInUse() {
  MemStats st;
  ReadMemStats(&st);
  return st.HeapAlloc;
}

void freeObjectForTest(void* ptr) {
  mspan* s = nullptr;
  uintptr idx = 0;
  if (findObject(reinterpret_cast<uintptr>(ptr), &s, &idx) == 0 || s->spanclass.sizeclass() == 0) {
    throw_("freeObjectForTest: not a small heap object");
  }
  mcentral& c = mheap_.central[s->spanclass.value];
  lock(&c.lock_);
  if (s->isFree(idx)) throw_("freeObjectForTest: object is already free");
  // A sweep that found every other object marked: everything below
  // freeindex becomes an allocBits bit, this object's bit clears, and the
  // search starts from 0 again.
  for (uintptr i = 0; i < s->freeindex; i++) {
    s->allocBits[i / 8] |= static_cast<std::uint8_t>(1u << (i % 8));
  }
  s->allocBits[idx / 8] &= static_cast<std::uint8_t>(~(1u << (idx % 8)));
  s->freeindex = 0;
  const bool wasFull = s->allocCount == s->nelems;
  s->allocCount--;
  if (wasFull) {
    // Leave the full set (if it is there) for the partial one.
    spanSet* full = c.fullSwept(mheap_.sweepgen);
    for (mspan** ps = &full->head; *ps != nullptr; ps = &(*ps)->next) {
      if (*ps == s) {
        *ps = s->next;
        s->next = nullptr;
        full->n--;
        c.partialSwept(mheap_.sweepgen)->push(s);
        break;
      }
    }
  }
  unlock(&c.lock_);
  asanPoison(s->base() + idx * s->elemsize, s->elemsize);
  lock(&mheap_.lock_);
  mheap_.smallFreeCount++;
  mheap_.smallFreeBytes += s->elemsize;
  unlock(&mheap_.lock_);
}

// ---- Teardown -------------------------------------------------------------

void ReleaseHeapForTeardown() {
  lock(&fallback.lock);
  resetFallback();
  fallback.ready = false;  // the next user re-initialises the heap
  unlock(&fallback.lock);

  // 1. Destructors of non-trivial values, while the heap is still mapped.
  special* all = nullptr;
  lock(&mheap_.lock_);
  if (mheap_.allmcaches != nullptr) throw_("ReleaseHeapForTeardown: an mcache is still in use");
  for (mspan* s : mheap_.allspans) {
    if (s->state != mSpanInUse) continue;
    while (special* sp = s->specials) {
      s->specials = sp->next;
      sp->next = all;
      all = sp;
    }
  }
  unlock(&mheap_.lock_);
  runDestroys(all);

  // 2. Give every arena back to the OS and forget all metadata.
  lock(&mheap_.lock_);
  for (uintptr a : mheap_.allArenas) {
    asanUnpoison(a, heapArenaBytes);
    munmap(reinterpret_cast<void*>(a), heapArenaBytes);
    mheap_.arenas[arenaIndex(a)] = nullptr;
  }
  std::vector<uintptr>().swap(mheap_.allArenas);
  std::vector<mspan*>().swap(mheap_.allspans);
  mheap_.pages.reset();
  mheap_.curArena.base = mheap_.curArena.end = 0;
  mheap_.nextArenaHint = arenaHintBase;
  mheap_.sweepgen = 0;
  mheap_.heapSys = mheap_.pagesInUse = mheap_.released = mheap_.otherSys = 0;
  mheap_.largeFree = mheap_.largeFreeCount = mheap_.smallFreeCount = mheap_.smallFreeBytes = 0;
  for (auto& x : mheap_.retired.smallAllocCount) x.store(0);
  mheap_.retired.largeAlloc.store(0);
  mheap_.retired.largeAllocCount.store(0);
  mheap_.retired.tinyAllocCount.store(0);
  if (mheap_.initialized) mheap_.init();  // empty centrals and fixallocs
  mheap_.initialized = false;
  unlock(&mheap_.lock_);
  persistentFreeAll();
}

// ---- pageAlloc plumbing (mpagealloc.go) -----------------------------------

void pageAlloc::grow(uintptr base, uintptr size) {
  for (uintptr c = base; c < base + size; c += pallocChunkBytes) {
    auto* ch = new chunk{c, packPallocSum(pallocChunkPages, pallocChunkPages, pallocChunkPages), {}};
    // Fresh memory has never been touched: it counts as scavenged.
    ch->data.scavenged.fill(~std::uint64_t{0});
    auto it = std::lower_bound(chunks_.begin(), chunks_.end(), ch,
                               [](const chunk* a, const chunk* b) { return a->base < b->base; });
    chunks_.insert(it, ch);
  }
}

pageAlloc::chunk* pageAlloc::findChunk(uintptr addr) const {
  const uintptr base = addr & ~(pallocChunkBytes - 1);
  auto it = std::lower_bound(chunks_.begin(), chunks_.end(), base,
                             [](const chunk* a, uintptr b) { return a->base < b; });
  if (it == chunks_.end() || (*it)->base != base) return nullptr;
  return *it;
}

const pageAlloc::chunk* pageAlloc::chunkOf(uintptr addr) const { return findChunk(addr); }

uintptr pageAlloc::scavenge(uintptr nbytes) {
  // Go scavenges from the highest addresses down; so does gort.
  uintptr done = 0;
  for (auto it = chunks_.rbegin(); it != chunks_.rend() && done < nbytes; ++it) {
    chunk* ch = *it;
    uintptr i = pallocChunkPages;
    while (i > 0 && done < nbytes) {
      // Find a run [lo, i) of free, unscavenged pages ending at i.
      const uintptr j = i - 1;
      const bool candidate = ((ch->data.alloc[j / 64] >> (j % 64)) & 1) == 0 &&
                             ((ch->data.scavenged[j / 64] >> (j % 64)) & 1) == 0;
      if (!candidate) {
        i--;
        continue;
      }
      uintptr lo = j;
      while (lo > 0 && done + (i - lo + 1) * pageSize <= nbytes) {
        const uintptr k = lo - 1;
        if (((ch->data.alloc[k / 64] >> (k % 64)) & 1) != 0 ||
            ((ch->data.scavenged[k / 64] >> (k % 64)) & 1) != 0) {
          break;
        }
        lo = k;
      }
      const uintptr addr = ch->base + lo * pageSize;
      const uintptr len = (i - lo) * pageSize;
      if (madviseEnabled) {
        asanUnpoison(addr, len);
        madvise(reinterpret_cast<void*>(addr), len, MADV_DONTNEED);
        asanPoison(addr, len);
      }
      for (uintptr k = lo; k < i; k++) ch->data.scavenged[k / 64] |= std::uint64_t{1} << (k % 64);
      done += len;
      i = lo;
    }
  }
  return done;
}

uintptr pageAlloc::freeBytes() const {
  uintptr n = 0;
  for (const chunk* ch : chunks_) {
    for (std::uint64_t w : ch->data.alloc) n += static_cast<uintptr>(std::popcount(~w));
  }
  return n * pageSize;
}

uintptr pageAlloc::scavengedFreeBytes() const {
  uintptr n = 0;
  for (const chunk* ch : chunks_) {
    for (std::size_t i = 0; i < ch->data.alloc.size(); i++) {
      n += static_cast<uintptr>(std::popcount(~ch->data.alloc[i] & ch->data.scavenged[i]));
    }
  }
  return n * pageSize;
}

void pageAlloc::reset() {
  for (chunk* ch : chunks_) delete ch;
  std::vector<chunk*>().swap(chunks_);
}

}  // namespace gort::rt
