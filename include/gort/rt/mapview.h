// A look inside a live map: its header fields, bucket chains and slot
// states, for tests, for tools/mapviz and for the chapter's diagrams.
//
// Go keeps these private (its own tests reach them through
// runtime/export_test.go); gort's header fields are public, and this file
// only reads them. Nothing here changes a map, and nothing here is part of
// any kata: it works on whatever the linked implementation built.
//
// A view is a snapshot: any write to the map invalidates it.
#ifndef GORT_RT_MAPVIEW_H_
#define GORT_RT_MAPVIEW_H_

#include <cstdint>
#include <cstdio>
#include <functional>
#include <utility>
#include <string>
#include <vector>

#include "include/gort/rt/map.h"

namespace gort::rt {

// One bucket chain: bucket `index` of its array and its overflow buckets.
struct BucketChainView {
  uintptr index;
  std::vector<const bmap*> chain;  // chain[0] is the bucket itself
};

struct MapView {
  // The header.
  intgo count = 0;
  std::uint8_t flags = 0;
  std::uint8_t B = 0;
  std::uint16_t noverflow = 0;
  std::uint32_t hash0 = 0;
  uintptr nevacuate = 0;
  bool growing = false;
  bool sameSizeGrow = false;
  // Spare preallocated overflow buckets still unused (from nextOverflow to
  // the end marker).
  int spareOverflow = 0;
  // Every chain of buckets (2^B of them once allocated) and, while growing,
  // of oldbuckets.
  std::vector<BucketChainView> buckets;
  std::vector<BucketChainView> oldbuckets;

  // Overflow buckets linked into the chains of `buckets`: exact, unlike
  // noverflow above B = 15.
  int OverflowBucketsInUse() const {
    int n = 0;
    for (const BucketChainView& c : buckets) n += static_cast<int>(c.chain.size()) - 1;
    return n;
  }
};

namespace internal {
inline std::vector<BucketChainView> ViewChains(const maptype* t, const void* array, uintptr n) {
  std::vector<BucketChainView> chains;
  if (array == nullptr) return chains;
  for (uintptr i = 0; i < n; ++i) {
    const auto* b = reinterpret_cast<const bmap*>(static_cast<const char*>(array) +
                                                  i * t->bucketsize);
    BucketChainView c{i, {}};
    for (; b != nullptr; b = b->overflow(t)) c.chain.push_back(b);
    chains.push_back(std::move(c));
  }
  return chains;
}
}  // namespace internal

// ViewMap takes a snapshot of h (a nil h gives an empty view).
inline MapView ViewMap(const maptype* t, const hmap* h) {
  MapView v;
  if (h == nullptr) return v;
  v.count = h->count;
  v.flags = h->flags;
  v.B = h->B;
  v.noverflow = h->noverflow;
  v.hash0 = h->hash0;
  v.nevacuate = h->nevacuate;
  v.growing = h->growing();
  v.sameSizeGrow = h->sameSizeGrow();
  if (h->extra != nullptr && h->extra->nextOverflow != nullptr) {
    const bmap* b = h->extra->nextOverflow;
    v.spareOverflow = 1;
    while (b->overflow(t) == nullptr) {
      b = reinterpret_cast<const bmap*>(reinterpret_cast<const char*>(b) + t->bucketsize);
      ++v.spareOverflow;
    }
  }
  v.buckets = internal::ViewChains(t, h->buckets, uintptr{1} << h->B);
  if (h->growing()) v.oldbuckets = internal::ViewChains(t, h->oldbuckets, h->noldbuckets());
  return v;
}

// The key stored in slot i of bucket b (through the pointer if the map
// stores keys indirectly). Meaningful only when tophash[i] >= minTopHash.
inline const void* SlotKey(const maptype* t, const bmap* b, uintptr i) {
  const char* k = reinterpret_cast<const char*>(b) + dataOffset + i * t->keysize;
  if (t->indirectkey()) return *reinterpret_cast<const void* const*>(k);
  return k;
}

// RenderMap draws h as text: the header, then one line per bucket chain,
// one cell per slot: "tophash:key" for a filled slot, and for the markers
//   ..  emptyRest     e1  emptyOne
//   eX  evacuatedX    eY  evacuatedY    eE  evacuatedEmpty
// Overflow buckets follow their bucket after "->". keyfmt prints a key.
inline std::string RenderMap(const maptype* t, const hmap* h,
                             const std::function<std::string(const void* key)>& keyfmt) {
  const MapView v = ViewMap(t, h);
  std::string out;
  char line[160];
  std::snprintf(line, sizeof line,
                "hmap: count=%lld B=%u (%llu buckets) noverflow=%u flags=%u%s\n",
                static_cast<long long>(v.count), v.B, static_cast<unsigned long long>(uintptr{1} << v.B),
                v.noverflow, v.flags,
                v.growing ? (v.sameSizeGrow ? " growing(same size)" : " growing(double)") : "");
  out += line;
  if (v.growing) {
    std::snprintf(line, sizeof line, "      oldbuckets: %zu, nevacuate=%llu\n", v.oldbuckets.size(),
                  static_cast<unsigned long long>(v.nevacuate));
    out += line;
  }
  if (v.spareOverflow > 0) {
    std::snprintf(line, sizeof line, "      spare overflow buckets: %d\n", v.spareOverflow);
    out += line;
  }
  auto draw = [&](const char* name, const std::vector<BucketChainView>& chains) {
    for (const BucketChainView& c : chains) {
      std::snprintf(line, sizeof line, "%s %3llu:", name, static_cast<unsigned long long>(c.index));
      out += line;
      for (std::size_t n = 0; n < c.chain.size(); ++n) {
        if (n > 0) out += " ->";
        out += " [";
        for (uintptr i = 0; i < bucketCnt; ++i) {
          const std::uint8_t top = c.chain[n]->tophash[i];
          if (i > 0) out += ' ';
          switch (top) {
            case emptyRest: out += ".."; break;
            case emptyOne: out += "e1"; break;
            case evacuatedX: out += "eX"; break;
            case evacuatedY: out += "eY"; break;
            case evacuatedEmpty: out += "eE"; break;
            default:
              std::snprintf(line, sizeof line, "%02x:", top);
              out += line;
              out += keyfmt(SlotKey(t, c.chain[n], i));
          }
        }
        out += "]";
      }
      out += "\n";
    }
  };
  draw("old", v.oldbuckets);
  draw("bkt", v.buckets);
  return out;
}

}  // namespace gort::rt

#endif  // GORT_RT_MAPVIEW_H_
