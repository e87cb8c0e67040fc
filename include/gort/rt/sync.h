// The sync package's types as Go lays them out: Mutex, RWMutex, WaitGroup,
// Once, Cond, Locker, and the decoders tests use to look inside them.
//
// Mirrors Go 1.19 src/sync/mutex.go, rwmutex.go, waitgroup.go, once.go and
// cond.go. In Go these are ordinary library code on top of the runtime's
// semaphores (include/gort/rt/sema.h); gort keeps Go's fields, constants
// and method names, and the methods are what chapters 07 (Mutex), 08
// (RWMutex) and 09 (WaitGroup, Once, Cond) ask you to write. The typed API
// (include/gort/sync.h) wraps them.
//
// Like Go's, every type's zero value is ready to use, and copying one after
// first use is a bug (Go's vet reports it; gort allows the copy so that the
// bug can be shown, as the notes' by-value WaitGroup example does).
#ifndef GORT_RT_SYNC_H_
#define GORT_RT_SYNC_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "include/gort/rt/error.h"
#include "include/gort/rt/sema.h"

namespace gort::rt::sync {

// Copies a Go value's bytes: an atomic field copied like a plain word.
template <class T>
void CopyAtomic(std::atomic<T>& to, const std::atomic<T>& from) {
  to.store(from.load(std::memory_order_relaxed), std::memory_order_relaxed);
}

// ---- Mutex (chapter 07) -------------------------------------------------
//
// state, an int32:
//
//   31                                   3   2   1   0
//   +-------------------------------------+---+---+---+
//   |        waiter count (29 bits)       | S | W | L |
//   +-------------------------------------+---+---+---+
//     L mutexLocked    the mutex is held
//     W mutexWoken     a goroutine is awake and trying to lock (a spinner
//                      or a woken waiter): Unlock need not wake another
//     S mutexStarving  starvation mode: Unlock hands the mutex to the
//                      first waiter; newcomers queue at the tail
//
inline constexpr std::int32_t mutexLocked = 1;       // mutex is locked
inline constexpr std::int32_t mutexWoken = 2;
inline constexpr std::int32_t mutexStarving = 4;
inline constexpr std::int32_t mutexWaiterShift = 3;
// A waiter that has waited longer than this (1 ms) switches the mutex to
// starvation mode.
inline constexpr std::int64_t starvationThresholdNs = 1'000'000;

inline constexpr char kUnlockOfUnlockedMutex[] = "sync: unlock of unlocked mutex";
inline constexpr char kInconsistentMutexState[] = "sync: inconsistent mutex state";

struct Mutex {
  std::atomic<std::int32_t> state{0};
  std::atomic<std::uint32_t> sema{0};

  Mutex() = default;
  Mutex(const Mutex& o) { *this = o; }
  Mutex& operator=(const Mutex& o) {
    CopyAtomic(state, o.state);
    CopyAtomic(sema, o.sema);
    return *this;
  }

  // [kata 07 step 3] Lock: CAS 0 -> mutexLocked, else lockSlow.
  void Lock();
  // [kata 07 step 3] TryLock: false if locked or starving, else one CAS
  // that sets mutexLocked. Never spins or queues.
  bool TryLock();
  // [kata 07 step 3] Unlock: add -mutexLocked; if anything else is left in
  // the state, unlockSlow.
  void Unlock();
  // [kata 07 steps 5-6] The contended paths: spinning, queueing, the woken
  // bit, and starvation mode. unlockSlow ends the program with
  // "fatal error: sync: unlock of unlocked mutex" when the mutex was not
  // locked (a throw: recover cannot catch it).
  void lockSlow();
  void unlockSlow(std::int32_t new_);
};

// The state word of a Mutex, decoded (introspection for tests and lessons).
struct MutexState {
  bool locked = false;
  bool woken = false;
  bool starving = false;
  std::int32_t waiters = 0;
  bool operator==(const MutexState&) const = default;
};
inline MutexState DecodeMutexState(std::int32_t state) {
  return MutexState{(state & mutexLocked) != 0, (state & mutexWoken) != 0,
                    (state & mutexStarving) != 0, state >> mutexWaiterShift};
}
inline std::string FormatMutexState(const MutexState& s) {
  return std::string("{locked=") + (s.locked ? "1" : "0") + " woken=" + (s.woken ? "1" : "0") +
         " starving=" + (s.starving ? "1" : "0") + " waiters=" + std::to_string(s.waiters) + "}";
}

// ---- Locker: Go's interface { Lock(); Unlock() } -------------------------
//
// An interface value is two words: the data pointer and the method table.
struct Locker {
  void* data = nullptr;
  void (*lock)(void*) = nullptr;
  void (*unlock)(void*) = nullptr;

  void Lock() const { lock(data); }
  void Unlock() const { unlock(data); }
  explicit operator bool() const { return data != nullptr; }

  // The Locker of any value with Lock() and Unlock() (Go: the implicit
  // conversion of *T to Locker).
  template <class T>
  static Locker Of(T* x) {
    return Locker{x, [](void* p) { static_cast<T*>(p)->Lock(); },
                  [](void* p) { static_cast<T*>(p)->Unlock(); }};
  }
};

// ---- RWMutex (chapter 08) ------------------------------------------------
//
// readerCount counts readers holding or waiting for the read lock. A writer
// subtracts rwmutexMaxReaders from it: the count turns negative, which
// tells every new RLock "a writer is pending, sleep on readerSem", while
// readerCount + rwmutexMaxReaders still counts the readers. readerWait is
// how many readers that were active when the writer came must still leave
// before the writer may proceed; the last one wakes it on writerSem.
inline constexpr std::int32_t rwmutexMaxReaders = 1 << 30;

inline constexpr char kRUnlockOfUnlockedRWMutex[] = "sync: RUnlock of unlocked RWMutex";
inline constexpr char kUnlockOfUnlockedRWMutex[] = "sync: Unlock of unlocked RWMutex";

struct RWMutex {
  Mutex w;                                     // held if there are pending writers
  std::atomic<std::uint32_t> writerSem{0};     // writers wait for completing readers
  std::atomic<std::uint32_t> readerSem{0};     // readers wait for completing writers
  std::atomic<std::int32_t> readerCount{0};    // number of pending readers
  std::atomic<std::int32_t> readerWait{0};     // number of departing readers

  RWMutex() = default;
  RWMutex(const RWMutex& o) { *this = o; }
  RWMutex& operator=(const RWMutex& o) {
    w = o.w;
    CopyAtomic(writerSem, o.writerSem);
    CopyAtomic(readerSem, o.readerSem);
    CopyAtomic(readerCount, o.readerCount);
    CopyAtomic(readerWait, o.readerWait);
    return *this;
  }

  // [kata 08 step 1] Readers.
  void RLock();
  void RUnlock();
  void rUnlockSlow(std::int32_t r);
  // [kata 08 step 2] Writers.
  void Lock();
  void Unlock();
  // [kata 08 step 3] The non-blocking variants.
  bool TryRLock();
  bool TryLock();

  // RLocker: a Locker whose Lock/Unlock are RLock/RUnlock (Go: rlocker).
  Locker RLocker() {
    return Locker{this, [](void* p) { static_cast<RWMutex*>(p)->RLock(); },
                  [](void* p) { static_cast<RWMutex*>(p)->RUnlock(); }};
  }
};

// ---- WaitGroup (chapter 09) ----------------------------------------------
//
// state, a uint64 updated with single atomic operations:
//
//   63                  32 31                    0
//   +---------------------+-----------------------+
//   |  counter (int32)    |  waiters (uint32)     |
//   +---------------------+-----------------------+
//
// Add(delta) adds delta << 32; Wait increments the low half and sleeps on
// sema. (Go 1.19 spells the two fields state1 uint64 + state2 uint32 and
// swaps them on 32-bit platforms where a uint64 may be misaligned; on
// 64-bit, as here, state1 is the state and state2 the semaphore.)
inline constexpr char kNegativeWaitGroupCounter[] = "sync: negative WaitGroup counter";
inline constexpr char kWaitGroupMisuse[] =
    "sync: WaitGroup misuse: Add called concurrently with Wait";
inline constexpr char kWaitGroupReused[] =
    "sync: WaitGroup is reused before previous Wait has returned";

struct WaitGroup {
  std::atomic<std::uint64_t> state{0};  // Go: state1
  std::atomic<std::uint32_t> sema{0};   // Go: state2

  WaitGroup() = default;
  WaitGroup(const WaitGroup& o) { *this = o; }
  WaitGroup& operator=(const WaitGroup& o) {
    CopyAtomic(state, o.state);
    CopyAtomic(sema, o.sema);
    return *this;
  }

  // [kata 09 step 1]
  void Add(std::int64_t delta);
  void Done() { Add(-1); }
  void Wait();
};

struct WaitGroupState {
  std::int32_t counter = 0;
  std::uint32_t waiters = 0;
  bool operator==(const WaitGroupState&) const = default;
};
inline WaitGroupState DecodeWaitGroupState(std::uint64_t state) {
  return WaitGroupState{static_cast<std::int32_t>(state >> 32),
                        static_cast<std::uint32_t>(state)};
}

// ---- Once (chapter 09) ---------------------------------------------------

struct Once {
  // done says whether the action has been performed. It is first in the
  // struct because it is used in the hot path (Go's comment: the fast path
  // then needs no offset on amd64).
  std::atomic<std::uint32_t> done{0};
  Mutex m;

  Once() = default;
  Once(const Once& o) { *this = o; }
  Once& operator=(const Once& o) {
    CopyAtomic(done, o.done);
    m = o.m;
    return *this;
  }

  // [kata 09 step 2] Do calls f if and only if Do is being called for the
  // first time on this Once; every other call returns once that first f
  // has returned. A panicking f counts as done. Calling Do from inside f
  // deadlocks (f holds m).
  void Do(void (*f)(void*), void* arg) {
    // The fast path, inlined as in Go: one atomic load.
    if (done.load(std::memory_order_acquire) == 0) doSlow(f, arg);
  }
  void doSlow(void (*f)(void*), void* arg);
};

// ---- Cond (chapter 09) ---------------------------------------------------

inline constexpr char kCondIsCopied[] = "sync.Cond is copied";

// copyChecker holds its own address once first used; a copy holds the
// original's address instead, which check() notices.
struct copyChecker {
  std::atomic<std::uintptr_t> v{0};
  copyChecker() = default;
  copyChecker(const copyChecker& o) { CopyAtomic(v, o.v); }
  copyChecker& operator=(const copyChecker& o) {
    CopyAtomic(v, o.v);
    return *this;
  }
  // [kata 09 step 4] Panics with "sync.Cond is copied".
  void check();
};

struct Cond {
  Locker L;  // held while observing or changing the condition
  notifyList notify;
  copyChecker checker;

  explicit Cond(Locker l) : L(l) {}
  Cond(const Cond& o) : L(o.L), checker(o.checker) {
    CopyAtomic(notify.wait, o.notify.wait);
    CopyAtomic(notify.notify, o.notify.notify);
    notify.head = o.notify.head;
    notify.tail = o.notify.tail;
  }

  // [kata 09 step 4] Wait: take a ticket, unlock L, wait for the ticket,
  // lock L again. Signal wakes one waiter, Broadcast all.
  void Wait();
  void Signal();
  void Broadcast();
};

// ---- Panics with a string value --------------------------------------------

// The value of panic("some text"): Go prints it as is ("panic: some text").
// recover() returns a string, not a runtime.Error.
class stringError final : public error {
 public:
  explicit stringError(const char* s) : s_(s) {}
  std::string Error() const override { return s_; }

 private:
  const char* s_;
};

[[noreturn]] inline void panicString(const char* s) {
  panicError(std::make_shared<const stringError>(s));
}

}  // namespace gort::rt::sync

#endif  // GORT_RT_SYNC_H_
