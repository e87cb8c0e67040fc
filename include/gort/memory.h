// Typed allocation and memory statistics: gort::New<T>(args...),
// gort::ReadMemStats, gort::FreeOSMemory.
//
// Mirrors Go's new(T) / &T{...} (which the compiler lowers to
// runtime.newobject), runtime.ReadMemStats and runtime/debug.FreeOSMemory.
// Thin plumbing over include/gort/rt/malloc.h and mheap.h (chapter 12).
#ifndef GORT_MEMORY_H_
#define GORT_MEMORY_H_

#include <new>
#include <utility>

#include "include/gort/rt/malloc.h"
#include "include/gort/rt/mheap.h"
#include "include/gort/rt/type.h"

namespace gort {

using MemStats = rt::MemStats;

// New allocates a T on the gort heap: the zero value with no arguments
// (Go's new(T)), else T(args...) (Go's &T{...}). There is no delete: until
// the GC chapter the object lives until gort::Run returns.
template <class T, class... Args>
T* New(Args&&... args) {
  const rt::Type* t = rt::TypeOf<T>();
  void* p = rt::mallocgc(sizeof(T), t, /*needzero=*/true);
  if constexpr (sizeof...(Args) > 0) {
    if (t->trivial) {
      new (p) T(std::forward<Args>(args)...);
    } else {
      *static_cast<T*>(p) = T(std::forward<Args>(args)...);  // mallocgc made a zero T
    }
  }
  return static_cast<T*>(p);
}

// ReadMemStats fills *m with the allocator's statistics (Go's
// runtime.ReadMemStats; NumGC stays 0 until the GC chapter).
inline void ReadMemStats(MemStats* m) { rt::ReadMemStats(m); }

// FreeOSMemory returns every free heap page to the OS (Go's
// debug.FreeOSMemory, without the GC it also runs).
inline void FreeOSMemory() { rt::FreeOSMemory(); }

}  // namespace gort

#endif  // GORT_MEMORY_H_
