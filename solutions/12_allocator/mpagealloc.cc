// The page allocator: which 8 KiB pages of the heap are free, and the
// lowest-addressed run of n free pages.
//
// Mirrors Go 1.19 src/runtime/mpagealloc.go (alloc, free, find) and
// mpallocbits.go (summarize, find). gort keeps Go's 512-page chunks, their
// bitmaps and packed summaries, but not the radix tree above them: find()
// walks the chunk summaries in address order (see pageAlloc in
// include/gort/rt/mheap.h and the chapter README).
#include "include/gort/rt/error.h"
#include "include/gort/rt/mheap.h"

namespace gort::rt {

namespace {

bool pageFree(const pallocData& d, uintptr i) { return ((d.alloc[i / 64] >> (i % 64)) & 1) == 0; }

// First run of npages free pages inside one chunk, or pallocChunkPages.
uintptr findInChunk(const pallocData& d, uintptr npages) {
  uintptr run = 0;
  for (uintptr i = 0; i < pallocChunkPages; i++) {
    if (pageFree(d, i)) {
      if (++run == npages) return i + 1 - npages;
    } else {
      run = 0;
    }
  }
  return pallocChunkPages;
}

}  // namespace

pallocSum summarize(const pallocData& d) {
  uintptr start = 0;
  while (start < pallocChunkPages && pageFree(d, start)) start++;
  if (start == pallocChunkPages) {
    return packPallocSum(pallocChunkPages, pallocChunkPages, pallocChunkPages);
  }
  uintptr end = 0;
  while (end < pallocChunkPages && pageFree(d, pallocChunkPages - 1 - end)) end++;
  uintptr max = start > end ? start : end;
  uintptr run = 0;
  for (uintptr i = start; i < pallocChunkPages - end; i++) {
    run = pageFree(d, i) ? run + 1 : 0;
    if (run > max) max = run;
  }
  return packPallocSum(start, max, end);
}

uintptr pageAlloc::find(uintptr npages) const {
  // Walk the summaries in address order, carrying a free run that reaches
  // the end of one chunk into the next chunk if the two are adjacent.
  uintptr runBase = 0;
  uintptr runLen = 0;
  uintptr prevEnd = 0;
  for (const chunk* ch : chunks_) {
    if (ch->base != prevEnd) runLen = 0;  // a gap in the address space
    prevEnd = ch->base + pallocChunkBytes;
    const uintptr start = sumStart(ch->sum);
    // 1. The carried run plus this chunk's free start.
    if (runLen + start >= npages) return runLen == 0 ? ch->base : runBase;
    // 2. A run inside the chunk.
    if (sumMax(ch->sum) >= npages) {
      return ch->base + findInChunk(ch->data, npages) * pageSize;
    }
    // 3. Carry the free end (or the whole chunk) on.
    if (start == pallocChunkPages) {
      if (runLen == 0) runBase = ch->base;
      runLen += pallocChunkPages;
    } else {
      runLen = sumEnd(ch->sum);
      runBase = ch->base + (pallocChunkPages - runLen) * pageSize;
    }
  }
  return 0;
}

void pageAlloc::allocRange(uintptr base, uintptr npages, uintptr* scav) {
  chunk* ch = nullptr;
  for (uintptr k = 0; k < npages; k++) {
    const uintptr a = base + k * pageSize;
    if (ch == nullptr || a >= ch->base + pallocChunkBytes) {
      if (ch != nullptr) ch->sum = summarize(ch->data);
      ch = findChunk(a);
    }
    const uintptr i = (a - ch->base) / pageSize;
    const std::uint64_t bit = std::uint64_t{1} << (i % 64);
    if ((ch->data.alloc[i / 64] & bit) != 0) throw_("pageAlloc: allocating a page in use");
    ch->data.alloc[i / 64] |= bit;
    if ((ch->data.scavenged[i / 64] & bit) != 0) {
      ch->data.scavenged[i / 64] &= ~bit;  // back in use: it will be touched
      *scav += pageSize;
    }
  }
  if (ch != nullptr) ch->sum = summarize(ch->data);
}

std::pair<uintptr, uintptr> pageAlloc::alloc(uintptr npages) {
  if (npages == 0) throw_("pageAlloc.alloc: npages == 0");
  const uintptr base = find(npages);
  if (base == 0) return {0, 0};
  uintptr scav = 0;
  allocRange(base, npages, &scav);
  return {base, scav};
}

void pageAlloc::free(uintptr base, uintptr npages) {
  chunk* ch = nullptr;
  for (uintptr k = 0; k < npages; k++) {
    const uintptr a = base + k * pageSize;
    if (ch == nullptr || a >= ch->base + pallocChunkBytes) {
      if (ch != nullptr) ch->sum = summarize(ch->data);
      ch = findChunk(a);
      if (ch == nullptr) throw_("pageAlloc.free: address outside the heap");
    }
    const uintptr i = (a - ch->base) / pageSize;
    const std::uint64_t bit = std::uint64_t{1} << (i % 64);
    if ((ch->data.alloc[i / 64] & bit) == 0) throw_("pageAlloc.free: page already free");
    ch->data.alloc[i / 64] &= ~bit;
  }
  if (ch != nullptr) ch->sum = summarize(ch->data);
}

}  // namespace gort::rt
