// Real Go 1.19 results for the maps chapter, recorded by
// tools/groundtruth/maps/main.go (see tools/groundtruth/README.md). Every
// expected number in these tests comes from here, from Go 1.19's source
// (map.go, named where used) or from the notes, and says which.
#ifndef GORT_TESTS_02_MAPS_GROUNDTRUTH_H_
#define GORT_TESTS_02_MAPS_GROUNDTRUTH_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gort::groundtruth {

// B right after the n-th insert into an empty map[int64]int64: one row per
// change of B (n up to 10000).
struct BAfterInserts {
  std::int64_t n;
  int B;
};
inline const std::vector<BAfterInserts>& BAfterInsertsRows() {
  static const auto* rows = new std::vector<BAfterInserts>{
#include "tools/groundtruth/maps/b_after_inserts.inc"
  };
  return *rows;
}

// B of make(map[int64]int64, hint) for hint in [min_hint, max_hint].
struct BForHint {
  std::int64_t min_hint;
  std::int64_t max_hint;
  int B;
};
inline const std::vector<BForHint>& BForHintRows() {
  static const auto* rows = new std::vector<BForHint>{
#include "tools/groundtruth/maps/b_for_hint.inc"
  };
  return *rows;
}

// Buckets allocated by make(map[[key_size]byte][elem_size]byte, hint) at
// the largest hint of B: 2^B plus preallocated overflow buckets.
struct Prealloc {
  int key_size;
  int elem_size;
  int bucket_size;
  int B;
  int nbuckets;
};
inline const std::vector<Prealloc>& PreallocRows() {
  static const auto* rows = new std::vector<Prealloc>{
#include "tools/groundtruth/maps/prealloc.inc"
  };
  return *rows;
}

// The compiler's bucket layout (Go's maptype) for some map types. flags:
// 1 indirectkey, 2 indirectelem, 4 reflexivekey, 8 needkeyupdate.
struct MapTypeRow {
  const char* name;
  int key_size;
  int elem_size;
  int keysize;
  int elemsize;
  int bucketsize;
  int flags;
};
inline const MapTypeRow& MapTypeLayout(const std::string& name) {
  static const auto* rows = new std::map<std::string, MapTypeRow>([] {
    std::map<std::string, MapTypeRow> m;
    for (const MapTypeRow& r : std::vector<MapTypeRow>{
#include "tools/groundtruth/maps/maptypes.inc"
         }) {
      m.emplace(r.name, r);
    }
    return m;
  }());
  return rows->at(name);
}

// Writes from the one that doubles a map to new_B until its old buckets are
// all evacuated, over `trials` maps (statistical).
struct Evacuation {
  int new_B;
  int old_buckets;
  int trials;
  int min_writes;
  int max_writes;
  int mean_writes_x100;
};
inline const std::vector<Evacuation>& EvacuationRows() {
  static const auto* rows = new std::vector<Evacuation>{
#include "tools/groundtruth/maps/evacuation.inc"
  };
  return *rows;
}

// Delete-oldest/insert-new churn at a fixed count (statistical).
struct Churn {
  int B;
  int count;
  int trials;
  int ops_min;
  int ops_max;
  int noverflow_at_trigger_min;
  int noverflow_after_max;
};
inline const std::vector<Churn>& ChurnRows() {
  static const auto* rows = new std::vector<Churn>{
#include "tools/groundtruth/maps/churn.inc"
  };
  return *rows;
}

// Iteration statistics over 20 trials: {min, max}.
struct Stat {
  int min;
  int max;
};
struct NamedStat {
  const char* name;
  int min;
  int max;
};
inline Stat IterationStat(const std::string& name) {
  static const auto* rows = new std::vector<NamedStat>{
#include "tools/groundtruth/maps/iteration.inc"
  };
  for (const NamedStat& r : *rows) {
    if (name == r.name) return {r.min, r.max};
  }
  return {-1, -1};  // not recorded: fails any sensible expectation
}

// Single observations (facts.inc).
inline std::int64_t Fact(const std::string& name) {
  static const auto* rows = new std::map<std::string, std::int64_t>{
#include "tools/groundtruth/maps/facts.inc"
  };
  return rows->at(name);
}

// Recovered panic texts (panics.inc).
inline const std::string& PanicText(const std::string& case_id) {
  static const auto* texts = new std::map<std::string, std::string>{
#include "tools/groundtruth/maps/panics.inc"
  };
  return texts->at(case_id);
}

}  // namespace gort::groundtruth

#endif  // GORT_TESTS_02_MAPS_GROUNDTRUTH_H_
