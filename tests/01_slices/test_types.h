// Helpers shared by the chapter 01 tests.
#ifndef GORT_TESTS_01_SLICES_TEST_TYPES_H_
#define GORT_TESTS_01_SLICES_TEST_TYPES_H_

#include <cstdint>
#include <string>

#include "include/gort/rt/malloc.h"
#include "include/gort/rt/type.h"
#include "include/gort/rt/types.h"

namespace gort::testing {

// The descriptor of Go's [N]byte: N bytes of plain, pointer-free memory.
// The runtime is untyped, so a test can ask it about any element size
// without a matching C++ type, as the Go programs in tools/groundtruth do.
inline rt::Type ByteArrayType(rt::uintptr n) {
  rt::Type t{};
  t.size = n;
  t.ptrdata = 0;
  t.align = 1;
  t.name = "[N]byte";
  t.trivial = true;
  return t;
}

// Frees what a test allocated through mallocgc (there is no GC yet), so
// tests that grow big slices do not add up.
class HeapReleaser {
 public:
  ~HeapReleaser() { rt::ReleaseHeapForTeardown(); }
};

}  // namespace gort::testing

#endif  // GORT_TESTS_01_SLICES_TEST_TYPES_H_
