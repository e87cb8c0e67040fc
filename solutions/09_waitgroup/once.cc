// sync.Once: an atomic done flag for the fast path, a Mutex for the slow
// path.
//
// Mirrors Go 1.19 src/sync/once.go. Chapter 09, step 2.
//
// Why not a single CAS on done (0 -> 1, then call f)? Do guarantees that
// when it returns, f has finished; with the CAS a second caller would
// return at once while the winner is still inside f. Hence the mutex:
// losers wait on it, and done is set only after f returns.
#include <cstdint>

#include "include/gort/rt/sync.h"

namespace gort::rt::sync {

void Once::doSlow(void (*f)(void*), void* arg) {
  m.Lock();
  // Go: defer o.m.Unlock(); and, around f, defer atomic.StoreUint32(&o.done, 1).
  // Deferred calls run when f panics too, so a panicking f counts as done.
  struct Deferred {
    Once* o;
    bool ran = false;
    ~Deferred() {
      if (ran) o->done.store(1, std::memory_order_release);
      o->m.Unlock();
    }
  } deferred{this};
  if (done.load(std::memory_order_relaxed) == 0) {
    deferred.ran = true;
    f(arg);
  }
}

}  // namespace gort::rt::sync
