// The size-class table: the one place gort records which block sizes the
// allocator hands out. roundupsize (slices chapter), mallocgc (allocator
// chapter) and the tests all read it from here.
//
// Mirrors Go 1.19 src/runtime/sizeclasses.go (generated in Go by
// mksizeclasses.go). class_to_size and class_to_allocnpages are copied from
// Go 1.19; the two lookup tables Go also generates, size_to_class8 and
// size_to_class128, are derived from class_to_size at compile time with the
// same rule mksizeclasses.go uses ("the smallest class that fits"), so the
// table has a single source.
//
// Invariants (checked by static_assert below):
//   - class 0 is "no class" (large objects); classes 1..67 grow strictly;
//   - every class size is a multiple of 8 and every class has a span;
//   - the largest class is _MaxSmallSize (32 KiB): anything bigger is a
//     large object, allocated as whole 8 KiB pages.
#ifndef GORT_RT_SIZECLASSES_H_
#define GORT_RT_SIZECLASSES_H_

#include <array>
#include <cstdint>

#include "include/gort/rt/types.h"

namespace gort::rt {

inline constexpr uintptr _MaxSmallSize = 32768;
inline constexpr uintptr smallSizeDiv = 8;
inline constexpr uintptr smallSizeMax = 1024;
inline constexpr uintptr largeSizeDiv = 128;
inline constexpr int _NumSizeClasses = 68;
inline constexpr uintptr _PageShift = 13;
inline constexpr uintptr _PageSize = uintptr{1} << _PageShift;  // 8 KiB

// maxAlloc: the largest allocation the heap can satisfy. On 64-bit Linux Go
// uses 1 << heapAddrBits with heapAddrBits = 48 (Go 1.19 malloc.go).
inline constexpr uintptr heapAddrBits = 48;
inline constexpr uintptr maxAlloc = uintptr{1} << heapAddrBits;

// Bytes per object of each class (class 0: large objects).
inline constexpr std::array<std::uint16_t, _NumSizeClasses> class_to_size = {
    0,     8,     16,    24,    32,    48,    64,    80,    96,    112,
    128,   144,   160,   176,   192,   208,   224,   240,   256,   288,
    320,   352,   384,   416,   448,   480,   512,   576,   640,   704,
    768,   896,   1024,  1152,  1280,  1408,  1536,  1792,  2048,  2304,
    2688,  3072,  3200,  3456,  4096,  4864,  5376,  6144,  6528,  6784,
    6912,  8192,  9472,  9728,  10240, 10880, 12288, 13568, 14336, 16384,
    18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768};

// Pages per span of each class.
inline constexpr std::array<std::uint8_t, _NumSizeClasses>
    class_to_allocnpages = {
        0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 2, 1, 2,  1, 3, 2, 3, 1, 3,
        2, 3, 4, 5, 6, 1, 7, 6, 5, 4, 3, 5, 7, 2, 9, 7, 5,  8, 3, 10, 7, 4};

// divRoundUp returns ceil(n / a) (Go 1.19 stubs.go).
constexpr uintptr divRoundUp(uintptr n, uintptr a) { return (n + a - 1) / a; }

// alignUp rounds n up to a multiple of a; a must be a power of 2.
constexpr uintptr alignUp(uintptr n, uintptr a) { return (n + a - 1) & ~(a - 1); }

namespace internal {

// The smallest size class whose objects hold `size` bytes.
constexpr std::uint8_t SmallestClassFor(uintptr size) {
  for (int c = 1; c < _NumSizeClasses; ++c) {
    if (class_to_size[c] >= size) return static_cast<std::uint8_t>(c);
  }
  return 0;
}

template <std::size_t N>
constexpr std::array<std::uint8_t, N> ClassLookup(uintptr base, uintptr step) {
  std::array<std::uint8_t, N> table{};
  for (std::size_t i = 0; i < N; ++i) table[i] = SmallestClassFor(base + i * step);
  table[0] = base == 0 ? 0 : table[0];  // size 0 has no class, as in Go
  return table;
}

}  // namespace internal

// size_to_class8[divRoundUp(size, 8)] is the class of size <= 1024 - 8.
inline constexpr auto size_to_class8 =
    internal::ClassLookup<smallSizeMax / smallSizeDiv + 1>(0, smallSizeDiv);

// size_to_class128[divRoundUp(size - 1024, 128)] is the class of larger
// small sizes.
inline constexpr auto size_to_class128 =
    internal::ClassLookup<(_MaxSmallSize - smallSizeMax) / largeSizeDiv + 1>(
        smallSizeMax, largeSizeDiv);

namespace internal {
constexpr bool ClassesAreWellFormed() {
  for (int c = 1; c < _NumSizeClasses; ++c) {
    if (class_to_size[c] <= class_to_size[c - 1]) return false;
    if (class_to_size[c] % 8 != 0) return false;
    if (class_to_allocnpages[c] == 0) return false;
  }
  return class_to_size[_NumSizeClasses - 1] == _MaxSmallSize;
}
}  // namespace internal

static_assert(internal::ClassesAreWellFormed());
// Spot checks against the tables Go 1.19 generates.
static_assert(size_to_class8[1] == 1 && size_to_class8[5] == 5 &&
              size_to_class8[128] == 32);
static_assert(size_to_class128[0] == 32 && size_to_class128[1] == 33 &&
              size_to_class128[248] == 67);

}  // namespace gort::rt

#endif  // GORT_RT_SIZECLASSES_H_
