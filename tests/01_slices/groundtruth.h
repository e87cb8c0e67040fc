// Real Go 1.19 results for the slices chapter, recorded by
// tools/groundtruth/slices/main.go (see tools/groundtruth/README.md). Every
// expected number in these tests comes from here or from the notes.
#ifndef GORT_TESTS_01_SLICES_GROUNDTRUTH_H_
#define GORT_TESTS_01_SLICES_GROUNDTRUTH_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gort::groundtruth {

// Appending one element at a time from nil: after the append that made the
// length `len`, the capacity became `cap`.
struct CapChange {
  std::int64_t elem_size;
  std::int64_t len;
  std::int64_t cap;
};
inline const std::vector<CapChange>& OneAtATime() {
  static const auto* rows = new std::vector<CapChange>{
#include "tools/groundtruth/slices/one_at_a_time.inc"
  };
  return *rows;
}

// cap(append(make([]T, old_len, old_cap), make([]T, added)...)).
struct BulkAppend {
  std::int64_t elem_size;
  std::int64_t old_len;
  std::int64_t old_cap;
  std::int64_t added;
  std::int64_t new_cap;
};
inline const std::vector<BulkAppend>& BulkAppends() {
  static const auto* rows = new std::vector<BulkAppend>{
#include "tools/groundtruth/slices/bulk_append.inc"
  };
  return *rows;
}

// roundupsize observed through []byte appends: every size in
// (previous max_size, max_size] rounds up to `rounded`.
struct RoundupRun {
  std::uint64_t max_size;
  std::uint64_t rounded;
};
inline const std::vector<RoundupRun>& RoundupRuns() {
  static const auto* rows = new std::vector<RoundupRun>{
#include "tools/groundtruth/slices/roundupsize.inc"
  };
  return *rows;
}

// roundupsize(size) as real Go does it, looked up in the recorded runs (for
// sizes up to the last recorded run).
inline std::uint64_t GoRoundupsize(std::uint64_t size) {
  for (const RoundupRun& r : RoundupRuns()) {
    if (size <= r.max_size) return r.rounded;
  }
  return 0;  // beyond what was recorded
}

// Go 1.19's size-class table, as documented in sizeclasses.go.
struct SizeClass {
  int size_class;
  std::uint64_t bytes_obj;
  std::uint64_t bytes_span;
  std::uint64_t objects;
  std::uint64_t tail_waste;
  std::uint64_t max_waste_x100;
};
inline const std::vector<SizeClass>& SizeClasses() {
  static const auto* rows = new std::vector<SizeClass>{
#include "tools/groundtruth/slices/size_classes.inc"
  };
  return *rows;
}

// The message of the runtime.Error each recorded case panics with.
inline const std::string& PanicText(const std::string& case_id) {
  static const auto* texts = new std::map<std::string, std::string>{
#include "tools/groundtruth/slices/panics.inc"
  };
  return texts->at(case_id);
}

}  // namespace gort::groundtruth

#endif  // GORT_TESTS_01_SLICES_GROUNDTRUTH_H_
