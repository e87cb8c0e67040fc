// Go's machine-word types, as the runtime uses them.
//
// Go's `int` is 64 bits on every 64-bit platform gort supports, and the
// runtime measures memory in `uintptr`. Keeping Go's names makes our runtime
// files read like their Go counterparts.
#ifndef GORT_RT_TYPES_H_
#define GORT_RT_TYPES_H_

#include <cstdint>

namespace gort::rt {

using intgo = std::int64_t;   // Go's int (a 64-bit target is assumed)
using uintgo = std::uint64_t;  // Go's uint
using uintptr = std::uintptr_t;

static_assert(sizeof(void*) == 8, "gort targets 64-bit platforms only");

inline constexpr uintptr kPtrSize = sizeof(void*);  // goarch.PtrSize

// Go's integer arithmetic wraps on overflow; C++'s signed arithmetic has
// undefined behaviour instead. Runtime code that mirrors a Go computation
// which may overflow (and then checks for it) adds with addWrap.
constexpr intgo addWrap(intgo a, intgo b) {
  return static_cast<intgo>(static_cast<uintgo>(a) + static_cast<uintgo>(b));
}

}  // namespace gort::rt

#endif  // GORT_RT_TYPES_H_
