// Runtime locks and notes, built directly on Linux futexes.
//
// Mirrors Go 1.19 src/runtime/lock_futex.go (mutex, note) and the OS
// helpers of os_linux.go / stubs.go (futex, nanotime, usleep, osyield,
// procyield).
//
// mutex: a lock for runtime data structures. It spins briefly, then
//   sleeps in the kernel. Holding one pins the thread's m (m->locks > 0):
//   the goroutine cannot be preempted or park until it unlocks. Never
//   block on a channel, a sync.Mutex or gopark while holding one.
// note: a one-shot event. notesleep blocks until notewakeup; noteclear
//   resets it. Exactly one thread sleeps on a note, and notewakeup is
//   called at most once per clear.
#ifndef GORT_RT_LOCK_H_
#define GORT_RT_LOCK_H_

#include <atomic>
#include <cstdint>

namespace gort::rt {

struct mutex {
  // 0 unlocked, 1 locked, 2 locked with sleepers (Go's mutex_* values).
  std::atomic<std::uint32_t> key{0};
};

struct note {
  std::atomic<std::uint32_t> key{0};  // 0 = not woken, 1 = woken
};

void lock(mutex* l);
void unlock(mutex* l);

void noteclear(note* n);
void notewakeup(note* n);
void notesleep(note* n);
// Sleeps until woken or ns nanoseconds pass (ns < 0: forever). Returns
// whether it was woken.
bool notetsleep(note* n, std::int64_t ns);

// Monotonic time in nanoseconds.
std::int64_t nanotime();
void usleep(std::uint32_t usec);
void osyield();
// Spins `cycles` PAUSE instructions.
void procyield(std::uint32_t cycles);

std::int32_t futexsleep(std::atomic<std::uint32_t>* addr, std::uint32_t val, std::int64_t ns);
void futexwakeup(std::atomic<std::uint32_t>* addr, std::uint32_t cnt);

}  // namespace gort::rt

#endif  // GORT_RT_LOCK_H_
