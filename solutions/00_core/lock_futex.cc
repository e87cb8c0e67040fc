// Runtime mutex and note on futexes.
//
// Mirrors Go 1.19 src/runtime/lock_futex.go and the futex/time helpers of
// os_linux.go.
#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

#include "include/gort/rt/lock.h"

#include "include/gort/rt/asm.h"
#include "include/gort/rt/error.h"
#include "include/gort/rt/runtime2.h"

namespace gort::rt {
namespace {

constexpr std::uint32_t mutex_unlocked = 0;
constexpr std::uint32_t mutex_locked = 1;
constexpr std::uint32_t mutex_sleeping = 2;
constexpr int active_spin = 4;
constexpr std::uint32_t active_spin_cnt = 30;
constexpr int passive_spin = 1;

}  // namespace

std::int32_t futexsleep(std::atomic<std::uint32_t>* addr, std::uint32_t val, std::int64_t ns) {
  struct timespec ts;
  struct timespec* tsp = nullptr;
  if (ns >= 0) {
    ts.tv_sec = ns / 1'000'000'000;
    ts.tv_nsec = ns % 1'000'000'000;
    tsp = &ts;
  }
  return static_cast<std::int32_t>(syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(addr),
                                           FUTEX_WAIT_PRIVATE, val, tsp, nullptr, 0));
}

void futexwakeup(std::atomic<std::uint32_t>* addr, std::uint32_t cnt) {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(addr), FUTEX_WAKE_PRIVATE, cnt, nullptr,
          nullptr, 0);
}

void lock(mutex* l) {
  gort_acquirem();  // pins the m (if any) while the lock is held

  // Speculative grab for the lock.
  std::uint32_t v = l->key.exchange(mutex_locked, std::memory_order_acquire);
  if (v == mutex_unlocked) return;

  // wait is either mutex_locked or mutex_sleeping depending on whether
  // there is a thread sleeping on this mutex. If we ever change key from
  // mutex_sleeping to some other value, we must be careful to change it
  // back to mutex_sleeping before returning, to ensure that the sleeping
  // thread gets its wakeup call.
  std::uint32_t wait = v;
  int spin = ncpu.load(std::memory_order_relaxed) > 1 ? active_spin : 0;
  for (;;) {
    // Try for lock, spinning.
    for (int i = 0; i < spin; i++) {
      while (l->key.load(std::memory_order_relaxed) == mutex_unlocked) {
        std::uint32_t expected = mutex_unlocked;
        if (l->key.compare_exchange_weak(expected, wait, std::memory_order_acquire)) return;
      }
      procyield(active_spin_cnt);
    }
    // Try for lock, rescheduling.
    for (int i = 0; i < passive_spin; i++) {
      while (l->key.load(std::memory_order_relaxed) == mutex_unlocked) {
        std::uint32_t expected = mutex_unlocked;
        if (l->key.compare_exchange_weak(expected, wait, std::memory_order_acquire)) return;
      }
      osyield();
    }
    // Sleep.
    v = l->key.exchange(mutex_sleeping, std::memory_order_acquire);
    if (v == mutex_unlocked) return;
    wait = mutex_sleeping;
    futexsleep(&l->key, mutex_sleeping, -1);
  }
}

void unlock(mutex* l) {
  std::uint32_t v = l->key.exchange(mutex_unlocked, std::memory_order_release);
  if (v == mutex_unlocked) throw_("unlock of unlocked lock");
  if (v == mutex_sleeping) futexwakeup(&l->key, 1);
  m* mp = getm();
  if (mp != nullptr) mp->locks.fetch_sub(1, std::memory_order_relaxed);
}

void noteclear(note* n) { n->key.store(0, std::memory_order_relaxed); }

void notewakeup(note* n) {
  std::uint32_t old = n->key.exchange(1, std::memory_order_release);
  if (old != 0) throw_("notewakeup - double wakeup");
  futexwakeup(&n->key, 1);
}

void notesleep(note* n) {
  while (n->key.load(std::memory_order_acquire) == 0) {
    futexsleep(&n->key, 0, -1);
  }
}

bool notetsleep(note* n, std::int64_t ns) {
  if (ns < 0) {
    notesleep(n);
    return true;
  }
  if (n->key.load(std::memory_order_acquire) != 0) return true;
  const std::int64_t deadline = nanotime() + ns;
  for (;;) {
    futexsleep(&n->key, 0, ns);
    if (n->key.load(std::memory_order_acquire) != 0) return true;
    const std::int64_t now = nanotime();
    if (now >= deadline) return false;
    ns = deadline - now;
  }
}

std::int64_t nanotime() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

void usleep(std::uint32_t usec) {
  struct timespec ts;
  ts.tv_sec = usec / 1'000'000;
  ts.tv_nsec = static_cast<long>(usec % 1'000'000) * 1000;
  while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
  }
}

void osyield() { sched_yield(); }

void procyield(std::uint32_t cycles) {
  for (std::uint32_t i = 0; i < cycles; ++i) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
  }
}

}  // namespace gort::rt
