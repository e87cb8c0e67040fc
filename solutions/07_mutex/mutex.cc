// sync.Mutex: a fast path of one CAS, spinning, a FIFO of sleepers on a
// runtime semaphore, and starvation mode.
//
// Mirrors Go 1.19 src/sync/mutex.go. Chapter 07, steps 3 (fast paths),
// 5 (lockSlow and unlockSlow in normal mode) and 6 (starvation mode).
//
// Normal mode: waiters queue FIFO, but a woken waiter does not own the
// mutex; it competes with newly arriving goroutines, which have the
// advantage of already running on a CPU. A waiter that loses is queued at
// the front (LIFO). A waiter that fails to get the mutex for more than
// starvationThresholdNs (1 ms) switches the mutex to starvation mode.
//
// Starvation mode: Unlock hands the mutex straight to the waiter at the
// front of the queue. Newcomers neither spin nor try to grab it; they queue
// at the tail. The waiter that receives the mutex switches back to normal
// mode if it is the last waiter or waited less than 1 ms.
//
// Normal mode is much faster (a goroutine can take the mutex several times
// in a row while waiters sleep); starvation mode bounds the tail latency.
#include <cstdint>

#include "include/gort/rt/error.h"
#include "include/gort/rt/sema.h"
#include "include/gort/rt/sync.h"

namespace gort::rt::sync {

// ---- Step 3: the fast paths -------------------------------------------------

void Mutex::Lock() {
  // Fast path: grab unlocked mutex.
  std::int32_t old = 0;
  if (state.compare_exchange_strong(old, mutexLocked, std::memory_order_acquire,
                                    std::memory_order_relaxed)) {
    return;
  }
  // Slow path (outlined so that the fast path can be inlined).
  lockSlow();
}

bool Mutex::TryLock() {
  std::int32_t old = state.load(std::memory_order_relaxed);
  if ((old & (mutexLocked | mutexStarving)) != 0) return false;

  // There may be a goroutine waiting for the mutex, but we are running now
  // and can try to grab the mutex before that goroutine wakes up.
  return state.compare_exchange_strong(old, old | mutexLocked, std::memory_order_acquire,
                                       std::memory_order_relaxed);
}

void Mutex::Unlock() {
  // Fast path: drop lock bit.
  std::int32_t new_ = state.fetch_sub(mutexLocked, std::memory_order_release) - mutexLocked;
  if (new_ != 0) {
    // Outlined slow path to allow inlining the fast path.
    unlockSlow(new_);
  }
}

// ---- Steps 5 and 6: the slow paths -----------------------------------------

void Mutex::lockSlow() {
  std::int64_t waitStartTime = 0;
  bool starving = false;
  bool awoke = false;
  int iter = 0;
  std::int32_t old = state.load();
  for (;;) {
    // Don't spin in starvation mode, ownership is handed off to waiters so
    // we won't be able to acquire the mutex anyway.
    if ((old & (mutexLocked | mutexStarving)) == mutexLocked && sync_runtime_canSpin(iter)) {
      // Active spinning makes sense. Try to set mutexWoken flag to inform
      // Unlock to not wake other blocked goroutines.
      if (!awoke && (old & mutexWoken) == 0 && (old >> mutexWaiterShift) != 0 &&
          state.compare_exchange_strong(old, old | mutexWoken)) {
        awoke = true;
      }
      sync_runtime_doSpin();
      iter++;
      old = state.load();
      continue;
    }
    std::int32_t new_ = old;
    // Don't try to acquire starving mutex, new arriving goroutines must queue.
    if ((old & mutexStarving) == 0) new_ |= mutexLocked;
    if ((old & (mutexLocked | mutexStarving)) != 0) new_ += 1 << mutexWaiterShift;
    // The current goroutine switches mutex to starvation mode. But if the
    // mutex is currently unlocked, don't do the switch: Unlock expects that
    // a starving mutex has waiters, which will not be true in this case.
    if (starving && (old & mutexLocked) != 0) new_ |= mutexStarving;
    if (awoke) {
      // The goroutine has been woken from sleep, so we need to reset the
      // flag in either case.
      if ((new_ & mutexWoken) == 0) throw_(kInconsistentMutexState);
      new_ &= ~mutexWoken;
    }
    std::int32_t expected = old;
    if (state.compare_exchange_strong(expected, new_, std::memory_order_acquire,
                                      std::memory_order_relaxed)) {
      if ((old & (mutexLocked | mutexStarving)) == 0) break;  // locked the mutex with CAS
      // If we were already waiting before, queue at the front of the queue.
      bool queueLifo = waitStartTime != 0;
      if (waitStartTime == 0) waitStartTime = sync_nanotime();
      sync_runtime_SemacquireMutex(&sema, queueLifo, 1);
      starving = starving || sync_nanotime() - waitStartTime > starvationThresholdNs;
      old = state.load(std::memory_order_acquire);
      if ((old & mutexStarving) != 0) {
        // If this goroutine was woken and mutex is in starvation mode,
        // ownership was handed off to us but mutex is in somewhat
        // inconsistent state: mutexLocked is not set and we are still
        // accounted as waiter. Fix that.
        if ((old & (mutexLocked | mutexWoken)) != 0 || (old >> mutexWaiterShift) == 0) {
          throw_(kInconsistentMutexState);
        }
        std::int32_t delta = mutexLocked - (1 << mutexWaiterShift);
        if (!starving || (old >> mutexWaiterShift) == 1) {
          // Exit starvation mode. Critical to do it here and consider wait
          // time. Starvation mode is so inefficient, that two goroutines
          // can go lock-step infinitely once they switch mutex to
          // starvation mode.
          delta -= mutexStarving;
        }
        state.fetch_add(delta, std::memory_order_acquire);
        break;
      }
      awoke = true;
      iter = 0;
    } else {
      old = state.load();
    }
  }
}

void Mutex::unlockSlow(std::int32_t new_) {
  if (((new_ + mutexLocked) & mutexLocked) == 0) fatal(kUnlockOfUnlockedMutex);
  if ((new_ & mutexStarving) == 0) {
    std::int32_t old = new_;
    for (;;) {
      // If there are no waiters or a goroutine has already been woken or
      // grabbed the lock, no need to wake anyone. In starvation mode
      // ownership is directly handed off from unlocking goroutine to the
      // next waiter. We are not part of this chain, since we did not
      // observe mutexStarving when we unlocked the mutex above. So get off
      // the way.
      if ((old >> mutexWaiterShift) == 0 ||
          (old & (mutexLocked | mutexWoken | mutexStarving)) != 0) {
        return;
      }
      // Grab the right to wake someone.
      new_ = (old - (1 << mutexWaiterShift)) | mutexWoken;
      if (state.compare_exchange_strong(old, new_)) {
        sync_runtime_Semrelease(&sema, false, 1);
        return;
      }
      old = state.load();
    }
  } else {
    // Starving mode: handoff mutex ownership to the next waiter, and yield
    // our time slice so that the next waiter can start to run immediately.
    // Note: mutexLocked is not set, the waiter will set it after wakeup.
    // But mutex is still considered locked if mutexStarving is set, so new
    // coming goroutines won't acquire it.
    sync_runtime_Semrelease(&sema, true, 1);
  }
}

}  // namespace gort::rt::sync
