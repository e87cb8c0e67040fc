// Runtime semaphores: the sleeping half of sync.Mutex, RWMutex, WaitGroup,
// and the ticket lists behind sync.Cond.
//
// Mirrors Go 1.19 src/runtime/sema.go, and the sync hooks of proc.go
// (sync_runtime_canSpin, sync_runtime_doSpin, goyield).
//
// A semaphore is a uint32 anywhere in memory (Mutex.sema, RWMutex.readerSem,
// WaitGroup's sema ...). semacquire decrements it, parking the goroutine
// while it is 0; semrelease increments it and readies one waiter. Waiters
// are not stored in the semaphore: a global table of semTabSize (251)
// semaRoots, chosen by hashing the address, holds them.
//
//   semtable[(addr >> 3) % 251] ─> semaRoot { lock, treap, nwait }
//                                               │
//         treap of sudogs, one per distinct address, ordered as a binary
//         search tree by address (sudog::elem) and as a min-heap by a
//         random sudog::ticket (fastrand() | 1):
//
//                     s(addr=0x40, ticket=3) ─waitlink─> s' ─> s'' (same addr)
//                       /               \                  ^ waittail
//           s(0x10, ticket=9)      s(0x88, ticket=7)
//
// Invariants (all under semaRoot::lock):
//   - each address appears at most once in the treap; the other waiters on
//     that address hang off the treap node through waitlink, oldest first,
//     and the node's waittail points at the last one;
//   - a node's ticket is <= its children's tickets (the treap's heap order,
//     which keeps the tree balanced in expectation);
//   - nwait counts the sudogs in the root (treap nodes and their lists); it
//     is read without the lock by semrelease's fast path.
//
// Chapter 07 (solutions/07_mutex/sema.cc) asks you to write the treap
// (step 1) and semacquire1/semrelease1 (step 2); chapter 09 writes the
// notifyList (solutions/09_waitgroup/notify_list.cc).
#ifndef GORT_RT_SEMA_H_
#define GORT_RT_SEMA_H_

#include <atomic>
#include <cstdint>

#include "include/gort/rt/lock.h"
#include "include/gort/rt/runtime2.h"

namespace gort::rt {

// ---- The semaphore table ----------------------------------------------

struct semaRoot {
  mutex lock;
  sudog* treap = nullptr;             // root of the balanced tree of unique waiters
  std::atomic<std::uint32_t> nwait{0};  // number of waiters; read without the lock

  // [kata 07 step 1] queue adds s (the current g) as a waiter on addr. A
  // new address becomes a treap node with a random ticket and is rotated up
  // until the heap order holds. An address already in the treap gets s
  // appended to its wait list (FIFO), or, if lifo, s takes the node's place
  // at the head of the list (the node's ticket, parent and children move
  // to s).
  void queue(std::atomic<std::uint32_t>* addr, sudog* s, bool lifo);
  // [kata 07 step 1] dequeue removes and returns the first waiter on addr
  // (null if none). If the address has more waiters, the next one takes
  // over the treap node; otherwise the node is rotated down to a leaf and
  // cut off. The returned sudog has elem, ticket, parent, next, prev
  // cleared. *now is 0 (gort does not profile mutexes).
  sudog* dequeue(std::atomic<std::uint32_t>* addr, std::int64_t* now);
  // [kata 07 step 1] Tree rotations that keep the search order:
  //        x                y                      y             x
  //      a   y     =>     x   c   (rotateLeft)   x   c   =>    a   y
  //         b c          a b                    a b               b c
  void rotateLeft(sudog* x);
  void rotateRight(sudog* y);
};

// Prime, so that addresses do not correlate with the table size.
inline constexpr std::uintptr_t semTabSize = 251;

// Go pads each root to a cache line so that roots do not share one.
struct alignas(64) semTableEntry {
  semaRoot root;
};
inline semTableEntry semtable[semTabSize];

// The root that holds the waiters on addr (Go: semTable.rootFor).
inline semaRoot* semroot(const void* addr) {
  return &semtable[(reinterpret_cast<std::uintptr_t>(addr) >> 3) % semTabSize].root;
}

// Go's profiling flags (semaBlockProfile, semaMutexProfile). gort keeps the
// parameter for fidelity; there is no block or mutex profile yet.
using semaProfileFlags = std::uint8_t;
inline constexpr semaProfileFlags semaBlockProfile = 1 << 0;
inline constexpr semaProfileFlags semaMutexProfile = 1 << 1;

// ---- Acquire and release [kata 07 step 2] -------------------------------

// cansemacquire decrements *addr if it is > 0 (CAS loop) and reports
// whether it did.
bool cansemacquire(std::atomic<std::uint32_t>* addr);

// semacquire1 waits until *addr > 0, then decrements it. Must run on a
// user goroutine (throws "semacquire not on the G stack" otherwise). The
// goroutine parks with waitReasonSemacquire ("semacquire" in goroutine
// headers, as in Go 1.19 for Mutex, RWMutex and WaitGroup alike). lifo
// queues it at the head of its address's wait list (a waiter that was
// woken before and lost the race goes back to the front). After a wakeup
// it returns if the waker handed the count over (sudog::ticket == 1) or if
// it can take the count itself; otherwise it queues again.
// (gort: the reason parameter comes from Go 1.20's semacquire1, which
// shows Mutex and RWMutex waits as "sync.Mutex.Lock" and so on; Go 1.19
// always parks with waitReasonSemacquire, and so does every caller here.)
void semacquire1(std::atomic<std::uint32_t>* addr, bool lifo, semaProfileFlags profile,
                 int skipframes, waitReason reason = waitReason::waitReasonSemacquire);

// semrelease1 increments *addr and readies the first waiter, if any. With
// handoff, the releaser takes the count back at once on the waiter's
// behalf (sets its ticket to 1) and yields its p to it (goyield), so the
// waiter runs next and no newcomer can grab the count in between; this is
// how a starving Mutex passes ownership directly. Throws "corrupted
// semaphore ticket" if a dequeued waiter still has a ticket.
void semrelease1(std::atomic<std::uint32_t>* addr, bool handoff, int skipframes);

// readyWithTime readies s's goroutine (Go also stamps s.releasetime for the
// block profile).
void readyWithTime(sudog* s, int traceskip);

// The entry points the sync package calls (Go linknames them into sync).
inline void semacquire(std::atomic<std::uint32_t>* addr) { semacquire1(addr, false, 0, 0); }
inline void semrelease(std::atomic<std::uint32_t>* addr) { semrelease1(addr, false, 0); }
inline void sync_runtime_Semacquire(std::atomic<std::uint32_t>* addr) {
  semacquire1(addr, false, semaBlockProfile, 0);
}
inline void sync_runtime_SemacquireMutex(std::atomic<std::uint32_t>* addr, bool lifo,
                                         int skipframes) {
  semacquire1(addr, lifo, semaBlockProfile | semaMutexProfile, skipframes);
}
inline void sync_runtime_Semrelease(std::atomic<std::uint32_t>* addr, bool handoff,
                                    int skipframes) {
  semrelease1(addr, handoff, skipframes);
}

// ---- Spinning for sync.Mutex [kata 07 step 4] ---------------------------
// (Go: proc.go.) sync.Mutex is cooperative, so it spins only briefly.

// How many times lockSlow may spin before it queues (Go: active_spin) and
// how many PAUSE instructions one spin is (Go: active_spin_cnt).
inline constexpr int sync_active_spin = 4;
inline constexpr std::uint32_t sync_active_spin_cnt = 30;

// sync_runtime_canSpin reports whether spin number i (0-based) is
// worthwhile: fewer than sync_active_spin spins so far, a multicore
// machine (ncpu > 1), at least one other p running (gomaxprocs >
// npidle + nmspinning + 1), and nothing waiting in this p's local run
// queue (spinning would delay it).
bool sync_runtime_canSpin(int i);
// sync_runtime_doSpin spins sync_active_spin_cnt PAUSEs (procyield).
void sync_runtime_doSpin();

// goyield is like Gosched, but puts the current g on its p's local run
// queue (at the tail) instead of the global one. semrelease1 uses it after
// a handoff. (Go: proc.go goyield; machinery in solutions/00_core/proc.cc.)
void goyield();

// ---- The clock of sync.Mutex's starvation mode -------------------------

// Go's sync package reads runtime_nanotime (sync_nanotime). gort lets a
// test swap the clock, so starvation can be tested with controlled times
// (a GoogleMock clock); nullptr means the real monotonic clock.
class SyncClock {
 public:
  virtual ~SyncClock() = default;
  virtual std::int64_t Nanotime() = 0;
};
inline std::atomic<SyncClock*> syncClockForTesting{nullptr};

inline std::int64_t sync_nanotime() {
  SyncClock* c = syncClockForTesting.load(std::memory_order_acquire);
  return c != nullptr ? c->Nanotime() : nanotime();
}

// ---- notifyList: sync.Cond's ticket-based wait list [kata 09 step 3] ----

// notifyList is a list of waiters, each holding a ticket. A goroutine that
// wants to wait first takes a ticket (notifyListAdd: wait++), then, having
// released the Cond's lock, waits for that ticket (notifyListWait). Signal
// serves the oldest unserved ticket (notify++); Broadcast serves all. A
// ticket served before its owner got to notifyListWait makes the wait
// return at once, so no wakeup is lost in the gap between the two calls.
//
// Invariants: notify <= wait (mod 2^32); tickets in [notify, wait) are
// unserved; the list holds the parked waiters (in arrival order, which may
// differ from ticket order).
struct notifyList {
  // Ticket number of the next waiter. Atomically incremented outside the lock.
  std::atomic<std::uint32_t> wait{0};
  // Ticket number of the next waiter to be notified. Read outside the lock,
  // written under it.
  std::atomic<std::uint32_t> notify{0};
  // The parked waiters.
  mutex lock;
  sudog* head = nullptr;  // guarded by lock
  sudog* tail = nullptr;  // guarded by lock
};

// less reports a < b for tickets that wrap around (int32(a-b) < 0).
inline bool less(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::int32_t>(a - b) < 0;
}

// notifyListAdd takes the next ticket (returns wait, then increments it).
std::uint32_t notifyListAdd(notifyList* l);
// notifyListWait parks until ticket t is served (returns at once if it
// already was). Parks with waitReasonSyncCondWait ("sync.Cond.Wait").
void notifyListWait(notifyList* l, std::uint32_t t);
// notifyListNotifyAll serves every ticket taken so far and readies all
// parked waiters.
void notifyListNotifyAll(notifyList* l);
// notifyListNotifyOne serves the oldest unserved ticket and readies its
// waiter if it is parked already.
void notifyListNotifyOne(notifyList* l);

}  // namespace gort::rt

#endif  // GORT_RT_SEMA_H_
