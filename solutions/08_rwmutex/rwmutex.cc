// sync.RWMutex: readers count themselves in readerCount; a writer takes w,
// then flips readerCount negative by rwmutexMaxReaders so new readers
// queue behind it, and waits for the readers that were already in.
//
// Mirrors Go 1.19 src/sync/rwmutex.go. Chapter 08: step 1 (readers),
// step 2 (writers), step 3 (TryRLock, TryLock).
//
// readerCount, seen from its sign:
//   >= 0   no writer: it is the number of readers holding the lock
//   <  0   a writer holds or waits for the lock; readerCount +
//          rwmutexMaxReaders readers hold it or queue on readerSem
// readerWait: readers that held the lock when the writer arrived and have
// not left yet; the one that brings it to 0 wakes the writer (writerSem).
#include <cstdint>

#include "include/gort/rt/error.h"
#include "include/gort/rt/sema.h"
#include "include/gort/rt/sync.h"

namespace gort::rt::sync {

// ---- Step 1: readers --------------------------------------------------------

void RWMutex::RLock() {
  if (readerCount.fetch_add(1, std::memory_order_acquire) + 1 < 0) {
    // A writer is pending, wait for it.
    sync_runtime_SemacquireMutex(&readerSem, false, 0);
  }
}

void RWMutex::RUnlock() {
  if (std::int32_t r = readerCount.fetch_sub(1, std::memory_order_release) - 1; r < 0) {
    // Outlined slow-path to allow the fast-path to be inlined.
    rUnlockSlow(r);
  }
}

void RWMutex::rUnlockSlow(std::int32_t r) {
  if (r + 1 == 0 || r + 1 == -rwmutexMaxReaders) fatal(kRUnlockOfUnlockedRWMutex);
  // A writer is pending.
  if (readerWait.fetch_sub(1, std::memory_order_acq_rel) - 1 == 0) {
    // The last reader unblocks the writer.
    sync_runtime_Semrelease(&writerSem, false, 1);
  }
}

// ---- Step 2: writers --------------------------------------------------------

void RWMutex::Lock() {
  // First, resolve competition with other writers.
  w.Lock();
  // Announce to readers there is a pending writer. (Go adds
  // rwmutexMaxReaders back to the new value; fetch_add returns the old
  // value, the number of active readers, directly.)
  std::int32_t r = readerCount.fetch_add(-rwmutexMaxReaders, std::memory_order_acq_rel);
  // Wait for active readers.
  if (r != 0 && readerWait.fetch_add(r, std::memory_order_acq_rel) + r != 0) {
    sync_runtime_SemacquireMutex(&writerSem, false, 0);
  }
}

void RWMutex::Unlock() {
  // Announce to readers there is no active writer.
  std::int32_t r =
      readerCount.fetch_add(rwmutexMaxReaders, std::memory_order_release) + rwmutexMaxReaders;
  if (r >= rwmutexMaxReaders) fatal(kUnlockOfUnlockedRWMutex);
  // Unblock blocked readers, if any.
  for (std::int32_t i = 0; i < r; i++) sync_runtime_Semrelease(&readerSem, false, 0);
  // Allow other writers to proceed.
  w.Unlock();
}

// ---- Step 3: the non-blocking variants -------------------------------------

bool RWMutex::TryRLock() {
  for (;;) {
    std::int32_t c = readerCount.load(std::memory_order_relaxed);
    if (c < 0) return false;
    if (readerCount.compare_exchange_strong(c, c + 1, std::memory_order_acquire)) return true;
  }
}

bool RWMutex::TryLock() {
  if (!w.TryLock()) return false;
  std::int32_t zero = 0;
  if (!readerCount.compare_exchange_strong(zero, -rwmutexMaxReaders,
                                           std::memory_order_acquire)) {
    w.Unlock();
    return false;
  }
  return true;
}

}  // namespace gort::rt::sync
