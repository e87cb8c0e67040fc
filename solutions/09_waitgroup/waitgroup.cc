// sync.WaitGroup: a 64-bit state (counter in the high half, waiters in the
// low half) changed with single atomic operations, and a semaphore the
// waiters sleep on.
//
// Mirrors Go 1.19 src/sync/waitgroup.go. Chapter 09, step 1.
#include <cstdint>

#include "include/gort/rt/sema.h"
#include "include/gort/rt/sync.h"

namespace gort::rt::sync {

void WaitGroup::Add(std::int64_t delta) {
  std::uint64_t s = state.fetch_add(static_cast<std::uint64_t>(delta) << 32) +
                    (static_cast<std::uint64_t>(delta) << 32);
  std::int32_t v = static_cast<std::int32_t>(s >> 32);  // counter
  std::uint32_t w = static_cast<std::uint32_t>(s);      // waiters
  if (v < 0) panicString(kNegativeWaitGroupCounter);
  // An Add that starts a new round (counter 0 -> delta) while goroutines
  // still wait on the previous round is a misuse.
  if (w != 0 && delta > 0 && v == static_cast<std::int32_t>(delta)) panicString(kWaitGroupMisuse);
  if (v > 0 || w == 0) return;
  // This goroutine has set counter to 0 when waiters > 0. Now there can't
  // be concurrent mutations of state:
  // - Adds must not happen concurrently with Wait,
  // - Wait does not increment waiters if it sees counter == 0.
  // Still do a cheap sanity check to detect WaitGroup misuse.
  if (state.load() != s) panicString(kWaitGroupMisuse);
  // Reset waiters count to 0.
  state.store(0);
  for (; w != 0; w--) sync_runtime_Semrelease(&sema, false, 0);
}

void WaitGroup::Wait() {
  for (;;) {
    std::uint64_t s = state.load();
    std::int32_t v = static_cast<std::int32_t>(s >> 32);
    if (v == 0) return;  // counter is 0, no need to wait
    // Increment waiters count.
    if (state.compare_exchange_strong(s, s + 1)) {
      sync_runtime_Semacquire(&sema);
      if (state.load() != 0) panicString(kWaitGroupReused);
      return;
    }
  }
}

}  // namespace gort::rt::sync
