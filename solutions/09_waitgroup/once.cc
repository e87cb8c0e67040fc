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

#include "include/gort/defer.h"
#include "include/gort/rt/sync.h"

namespace gort::rt::sync {

void Once::doSlow(void (*f)(void*), void* arg) {
  // The deferred calls go on the g's _defer chain, as in Go: when f panics
  // they run before any deferred call of Do's callers, so a caller that
  // recovers (and calls Do again) finds the mutex unlocked and done set.
  gort::Func<void>([&](gort::Frame<void>& fr) {
    m.Lock();
    fr.defer([this] { m.Unlock(); });
    if (done.load(std::memory_order_relaxed) == 0) {
      fr.defer([this] { done.store(1, std::memory_order_release); });
      f(arg);
    }
    return fr.Return();
  });
}

}  // namespace gort::rt::sync
