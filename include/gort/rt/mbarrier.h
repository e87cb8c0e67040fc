// Typed memory moves: copying or clearing one value whose type the runtime
// knows only by descriptor.
//
// Mirrors Go 1.19 src/runtime/mbarrier.go (typedmemmove, typedmemclr). In Go
// these exist to run the GC's write barriers; in gort they also keep C++
// values honest: a trivial type is copied and cleared as plain bytes,
// exactly as Go does, while a non-trivial one (std::string) is
// copy-assigned or reset to its zero value through its descriptor's hooks.
// The GC chapter adds its barriers here.
#ifndef GORT_RT_MBARRIER_H_
#define GORT_RT_MBARRIER_H_

#include <cstring>

#include "include/gort/rt/type.h"

namespace gort::rt {

// typedmemmove copies the value at src to dst, both holding a value of typ
// (for non-trivial types, constructed ones).
inline void typedmemmove(const Type* typ, void* dst, const void* src) {
  if (dst == src) return;
  if (typ->trivial) {
    std::memmove(dst, src, typ->size);
  } else {
    typ->assign(dst, src, 1);
  }
}

// typedmemclr resets the value at p to typ's zero value.
inline void typedmemclr(const Type* typ, void* p) {
  if (typ->trivial) {
    std::memset(p, 0, typ->size);
  } else {
    typ->destroy(p, 1);
    typ->zero(p, 1);
  }
}

}  // namespace gort::rt

#endif  // GORT_RT_MBARRIER_H_
