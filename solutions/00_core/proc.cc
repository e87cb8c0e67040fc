// The scheduler's machinery: ms and ps, spinning and idling, the system
// stack switch (mcall/gogo), syscalls, stop-the-world, deadlock detection.
//
// Mirrors Go 1.19 src/runtime/proc.go (the parts chapter 04 explains but
// does not ask you to write; the rest is in solutions/04_scheduler).
#include <cxxabi.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "absl/strings/str_cat.h"
#include "include/gort/rt/asm.h"
#include "include/gort/rt/error.h"
#include "include/gort/rt/fastrand.h"
#include "include/gort/rt/kata.h"
#include "include/gort/rt/mheap.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sched_internal.h"
#include "include/gort/rt/sema.h"
#include "include/gort/rt/stack.h"
#include "include/gort/rt/time.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#define GORT_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#define GORT_TSAN 1
#endif

namespace gort::rt {

schedt sched;
std::vector<p*> allp;
std::atomic<std::int32_t> gomaxprocs{1};
mutex allglock;
std::vector<g*> allgs;
std::atomic<m*> allm{nullptr};
std::atomic<std::int32_t> ncpu{1};
std::atomic<bool> mainStarted{false};
std::atomic<std::int32_t> nthreads{0};  // ms whose thread is alive

// libstdc++'s per-thread exception globals (libsupc++ unwind-cxx.h).
extern "C" cxaEhGlobals* __cxa_get_globals() noexcept;

// The g running on this thread lives in the thread-local gort_tls_g
// (asm_amd64.S). It is only ever read through these out-of-line calls, so
// the compiler cannot keep a thread-local address across a park.
g* getg() { return gort_getg(); }

m* getm() {
  g* gp = gort_getg();
  return gp != nullptr ? gp->m_ : nullptr;
}

void setg(g* gp) { gort_setg(gp); }

const char* waitReasonString(waitReason r) {
  static const char* const kStrings[] = {
      "",
      "GC assist marking",
      "IO wait",
      "chan receive (nil chan)",
      "chan send (nil chan)",
      "dumping heap",
      "garbage collection",
      "garbage collection scan",
      "panicwait",
      "select",
      "select (no cases)",
      "GC assist wait",
      "GC sweep wait",
      "GC scavenge wait",
      "chan receive",
      "chan send",
      "finalizer wait",
      "force gc (idle)",
      "semacquire",
      "sleep",
      "sync.Cond.Wait",
      "timer goroutine (idle)",
      "trace reader (blocked)",
      "wait for GC cycle",
      "GC worker (idle)",
      "preempted",
      "debug call",
  };
  auto i = static_cast<std::size_t>(r);
  return i < sizeof(kStrings) / sizeof(kStrings[0]) ? kStrings[i] : "unknown wait reason";
}

void gQueue::push(g* gp) {
  gp->schedlink = head;
  head = gp;
  if (tail == nullptr) tail = gp;
}

void gQueue::pushBack(g* gp) {
  gp->schedlink = nullptr;
  if (tail != nullptr) {
    tail->schedlink = gp;
  } else {
    head = gp;
  }
  tail = gp;
}

g* gQueue::pop() {
  g* gp = head;
  if (gp != nullptr) {
    head = gp->schedlink;
    if (head == nullptr) tail = nullptr;
  }
  return gp;
}

void casgstatus(g* gp, std::uint32_t oldval, std::uint32_t newval) {
  if (oldval == newval) throw_("casgstatus: bad incoming values");
  std::uint32_t expected = oldval;
  // A g may be briefly held in another state by a concurrent reader (the
  // GC's _Gscan bit, later); loop as Go does.
  for (int i = 0; !gp->atomicstatus.compare_exchange_weak(expected, newval,
                                                            std::memory_order_acq_rel);
       ++i) {
    if (oldval == _Gwaiting && expected == _Grunnable) {
      throw_("casgstatus: waiting for Gwaiting but is Grunnable");
    }
    if ((expected & ~_Gscan) != oldval) {
      std::fprintf(stderr, "runtime: casgstatus: oldval=%u newval=%u actual=%u\n", oldval,
                   newval, expected);
      throw_("casgstatus: bad incoming values");
    }
    expected = oldval;
    if (i > 100) osyield();
  }
}

m* acquirem() { return static_cast<m*>(gort_acquirem()); }

// Only the m's own thread changes locks (its signal handler only reads it,
// and never preempts while it is > 0), so, like Go's mp.locks--, this need
// not be an atomic read-modify-write: a locked xadd would cost every
// newdefer/freedefer pair two bus locks.
void releasem(m* mp) {
  mp->locks.store(mp->locks.load(std::memory_order_relaxed) - 1, std::memory_order_relaxed);
}

// ---- The system-stack switch -----------------------------------------

namespace {

[[noreturn]] void mexit();

#if GORT_ASAN
void asanStartSwitch(void** fake_stack_save, const stack& to) {
  __sanitizer_start_switch_fiber(fake_stack_save, reinterpret_cast<void*>(to.lo), to.hi - to.lo);
}
void asanFinishSwitch(void* fake_stack_save) {
  __sanitizer_finish_switch_fiber(fake_stack_save, nullptr, nullptr);
}
// Frames between lo and hi are being abandoned: the switch leaves them
// without returning, so their epilogues never clear the redzones their
// prologues poisoned. Clear them now, or the next code to use those stack
// bytes (a new goroutine's first frame, g0 restarting at its base, the
// unwinder rethrowing a program's exception on m0's thread stack after Run)
// trips over stale redzones. (Go has no such problem: its stacks carry no
// shadow.)
void asanAbandonFrames(uintptr lo, uintptr hi) {
  if (lo < hi) __asan_unpoison_memory_region(reinterpret_cast<void*>(lo), hi - lo);
}
#else
void asanStartSwitch(void**, const stack&) {}
void asanFinishSwitch(void*) {}
void asanAbandonFrames(uintptr, uintptr) {}
#endif

// Saves the C++ exception state of the thread into gp (when it leaves the
// thread) and loads it back (when gp resumes, possibly elsewhere).
void saveEhGlobals(g* gp) {
  cxaEhGlobals* globals = __cxa_get_globals();
  gp->ehglobals = *globals;
  *globals = cxaEhGlobals{};
}

void restoreEhGlobals(g* gp) {
  *__cxa_get_globals() = gp->ehglobals;
  gp->ehglobals = cxaEhGlobals{};
}

// Runs on the g0 stack after gort_mcall switched to it.
void mcallTrampoline(void* arg) {
  g* gp = static_cast<g*>(arg);
  m* mp = gp->m_;
  asanFinishSwitch(nullptr);
  void (*fn)(g*) = mp->mcallfn;
  mp->mcallfn = nullptr;
  fn(gp);
  throw_("mcall: function returned");
}

}  // namespace

void mcall(void (*fn)(g*)) {
  g* gp = getg();
  m* mp = gp->m_;
  if (gp == mp->g0) throw_("runtime: mcall called on m->g0 stack");
  // The caller pinned the m (acquirem); fn releases it on g0. Without the
  // pin an async preemption could move gp to another m halfway through.
  if (mp->locks.load(std::memory_order_relaxed) <= 0) throw_("mcall: m not pinned");
  mp->mcallfn = fn;
  saveEhGlobals(gp);
  setg(mp->g0);
#if GORT_TSAN
  // g0 restarts from its base on every mcall, but ThreadSanitizer's view of
  // a fiber's call stack only grows when frames are abandoned rather than
  // returned from; give g0 a fresh fiber each time and drop the old one.
  void* old_g0_fiber = mp->g0->tsanFiber;
  mp->g0->tsanFiber = __tsan_create_fiber(0);
  __tsan_switch_to_fiber(mp->g0->tsanFiber, 0);
  if (old_g0_fiber != mp->tsanThreadFiber) __tsan_destroy_fiber(old_g0_fiber);
#endif
  asanStartSwitch(&gp->asanFakeStack, mp->g0->stack_);
  gort_mcall(&mcallTrampoline, gp, &gp->sched.sp, mp->g0->sched.sp);
  // gp resumes here, on whatever m execute() ran it.
  asanFinishSwitch(gp->asanFakeStack);
  restoreEhGlobals(gp);
}

void gogo(g* gp) {
  // We are on g0, which restarts at its base on the next mcall: whatever
  // g0 frames lie between here and that base are dead once we leave.
  asanAbandonFrames(gort_getsp(), getm()->g0->sched.sp);
  setg(gp);
#if GORT_TSAN
  __tsan_switch_to_fiber(gp->tsanFiber, 0);
#endif
  // g0's frames below its base are dead once we leave: no fake stack to keep.
  asanStartSwitch(nullptr, gp->stack_);
  gort_gogo(gp->sched.sp);
}

std::exception_ptr programException;  // guarded by programExceptionLock
mutex programExceptionLock;

void recordProgramException(std::exception_ptr e) {
  lock(&programExceptionLock);
  if (!programException) programException = std::move(e);
  unlock(&programExceptionLock);
}

// The first frame of every goroutine (gostartcall points gort_goentry here).
void goroutineStart(g* gp) {
  asanFinishSwitch(nullptr);
  restoreEhGlobals(gp);
  funcval fn = gp->startfn;
  gp->startfn = funcval{};
  try {
    fn.fn(fn.arg);
  } catch (const Panic& p) {
    fatalpanic(p);
  } catch (const KataTodoError&) {
    // A kata stub ran inside a goroutine. End the program and let gort::Run
    // rethrow it, so the test that ran the program fails with the stub's
    // message instead of the whole test binary dying.
    recordProgramException(std::current_exception());
    mainExited();
    goexit1();
  }
  if (gp->goid == 1) mainExited();
  goexit1();
}

[[noreturn]] void goexit1() {
  acquirem();  // released by goexit0 on g0
  mcall(&goexit0);
  throw_("goexit1: goexit0 returned");
}

[[noreturn]] void goexit() { goexit1(); }

void dropg() {
  m* mp = getm();
  if (g* gp = mp->curg.load()) gp->m_ = nullptr;
  mp->curg = nullptr;
}

// goexit0: on g0, after a goroutine's function returned or called Goexit.
void goexit0(g* gp) {
  m* mp = getm();
  releasem(mp);  // goexit1's acquirem
  p* pp = mp->p_;
  casgstatus(gp, _Grunning, _Gdead);
  gp->m_ = nullptr;
  // gp's frames, from where mcall left them up to the stack's top, never
  // return; a reuse of this g (and its stack) starts afresh.
  asanAbandonFrames(gp->sched.sp, gp->stack_.hi);
  gp->sched.sp = 0;  // its context is gone: a reuse starts afresh
#if GORT_ASAN
  // The goroutine's frames are abandoned, not returned from (Goexit leaves
  // a whole stack of them): clear their redzones, or the next goroutine on
  // this stack trips over them.
  if (gp->stack_.hi > gp->stack_.lo) {
    __asan_unpoison_memory_region(reinterpret_cast<void*>(gp->stack_.lo),
                                  gp->stack_.hi - gp->stack_.lo);
  }
#endif
#if GORT_TSAN
  // ThreadSanitizer tracks each fiber like a thread and caps their number:
  // keep one only per started, unfinished goroutine (stack.cc makes them).
  __tsan_destroy_fiber(gp->tsanFiber);
  gp->tsanFiber = nullptr;
#endif
  gp->param = nullptr;
  gp->waitreason = waitReason::waitReasonZero;
  gp->preempt.store(false, std::memory_order_relaxed);
  gp->ehglobals = cxaEhGlobals{};
  // Goexit leaves its _panic on the dead stack (Go: gdestroy clears both).
  gp->_panic = nullptr;
  gp->_defer = nullptr;
  dropg();
  if (mp->locks.load(std::memory_order_relaxed) != 0) {
    std::fprintf(stderr, "invalid m->locks = %d\n", mp->locks.load());
    throw_("internal lockOSThread error");
  }
  gfput(pp, gp);
  schedule();
}

// ---- Goroutine records: allocation and the free lists ----------------

g* malg() {
  g* newg = new g;
  newg->atomicstatus.store(_Gidle, std::memory_order_relaxed);
  return newg;
}

void freeg(g* gp) {
  if (!gp->issystem) stackfree(gp->stack_);  // a g0's stack is its thread's
#if GORT_TSAN
  // A g0's fiber is its thread's own (or was destroyed by mexit).
  if (gp->tsanFiber != nullptr && !gp->issystem) __tsan_destroy_fiber(gp->tsanFiber);
#endif
  delete gp;
}

void allgadd(g* gp) {
  lock(&allglock);
  allgs.push_back(gp);
  unlock(&allglock);
}

void gfput(p* pp, g* gp) {
  if (readgstatus(gp) != _Gdead) throw_("gfput: bad status (not Gdead)");
  gp->schedlink = pp->gFree.head;
  pp->gFree.head = gp;
  pp->gFree.n++;
  if (pp->gFree.n >= 64) {
    // Move half of the local list to the global one (Go keeps 32 local).
    // gort: Go lets globally cached gs keep their (2 KiB) stacks; gort's
    // stacks cost two kernel mappings each, so these give theirs back to
    // the stack cache, which bounds how many a program holds.
    std::int32_t inc = 0;
    g* stackQ = nullptr;
    g* noStackQ = nullptr;
    while (pp->gFree.n >= 32) {
      g* g1 = pp->gFree.head;
      pp->gFree.head = g1->schedlink;
      pp->gFree.n--;
      stackfree(g1->stack_);
      g1->stack_ = stack{};
      g1->schedlink = noStackQ;
      noStackQ = g1;
      inc++;
    }
    lock(&sched.gFree.lock);
    while (stackQ != nullptr) {
      g* next = stackQ->schedlink;
      stackQ->schedlink = sched.gFree.stack;
      sched.gFree.stack = stackQ;
      stackQ = next;
    }
    while (noStackQ != nullptr) {
      g* next = noStackQ->schedlink;
      noStackQ->schedlink = sched.gFree.noStack;
      sched.gFree.noStack = noStackQ;
      noStackQ = next;
    }
    sched.gFree.n += inc;
    unlock(&sched.gFree.lock);
  }
}

g* gfget(p* pp) {
retry:
  if (pp->gFree.head == nullptr && sched.gFree.n.load(std::memory_order_relaxed) > 0) {
    lock(&sched.gFree.lock);
    // Move a batch of free gs to the p.
    while (pp->gFree.n < 32) {
      g* gp = sched.gFree.stack;
      if (gp != nullptr) {
        sched.gFree.stack = gp->schedlink;
      } else {
        gp = sched.gFree.noStack;
        if (gp == nullptr) break;
        sched.gFree.noStack = gp->schedlink;
      }
      sched.gFree.n--;
      gp->schedlink = pp->gFree.head;
      pp->gFree.head = gp;
      pp->gFree.n++;
    }
    unlock(&sched.gFree.lock);
    goto retry;
  }
  g* gp = pp->gFree.head;
  if (gp == nullptr) return nullptr;
  pp->gFree.head = gp->schedlink;
  pp->gFree.n--;
  gp->schedlink = nullptr;
  return gp;
}

std::int32_t gcount() {
  std::int32_t n = 0;
  lock(&allglock);
  for (g* gp : allgs) {
    if (gp->issystem) continue;
    std::uint32_t s = readgstatus(gp) & ~_Gscan;
    if (s != _Gdead && s != _Gidle) n++;
  }
  unlock(&allglock);
  return n;
}

// ---- ms ---------------------------------------------------------------

namespace {

std::int64_t mReserveID() {
  // REQUIRES: sched.lock held.
  if (sched.mnext + 1 > sched.maxmcount) {
    std::fprintf(stderr, "runtime: program exceeds %d-thread limit\n", sched.maxmcount);
    throw_("thread exhaustion");
  }
  return sched.mnext++;
}

m* allocm(p* pp, std::int64_t id) {
  m* mp = new m;
  mp->id = id;
  mp->g0 = malg();
  mp->g0->issystem = true;
  mp->g0->m_ = mp;
  mp->nextp = pp;
  // Link into allm (lock-free push; readers walk it without a lock).
  m* head = allm.load(std::memory_order_relaxed);
  do {
    mp->alllink = head;
  } while (!allm.compare_exchange_weak(head, mp, std::memory_order_release));
  return mp;
}

void* threadStart(void* arg) {
  mstart(static_cast<m*>(arg));
  return nullptr;
}

}  // namespace

m* newm(void (*fn)(), p* pp, std::int64_t id, bool spinning) {
  m* mp = allocm(pp, id);
  mp->mstartfn = fn;
  mp->isSysmon = fn != nullptr;
  mp->spinning = spinning;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 1 << 20);  // g0: the scheduler and signal work
  pthread_t thread;
  nthreads.fetch_add(1, std::memory_order_relaxed);
  if (pthread_create(&thread, &attr, &threadStart, mp) != 0) {
    throw_("newosproc: cannot create thread");
  }
  pthread_attr_destroy(&attr);
  mp->thread = static_cast<std::uintptr_t>(thread);
  return mp;
}

namespace {

// The body of mstart, on the g0 stack base recorded in g0->sched.sp.
void mstart1(void* arg) {
  m* mp = static_cast<m*>(arg);
  asanFinishSwitch(nullptr);
  minitSignals(mp);
  if (mp->mstartfn != nullptr) {
    mp->mstartfn();  // sysmon: returns when the program ends
    mexit();
  }
  if (mp->nextp != nullptr) {
    acquirep(mp->nextp);
    mp->nextp = nullptr;
  }
  schedule();
}

}  // namespace

namespace {

// The calling OS thread's whole stack [lo, hi).
stack osThreadStack() {
  pthread_attr_t attr;
  void* addr = nullptr;
  std::size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    pthread_attr_getstack(&attr, &addr, &size);
    pthread_attr_destroy(&attr);
  }
  const uintptr lo = reinterpret_cast<uintptr>(addr);
  return stack{lo, lo + size};
}

}  // namespace

void mstart(m* mp) {
  setg(mp->g0);
  mp->procid = static_cast<std::int32_t>(syscall(SYS_gettid));
  // Record this thread's stack as g0's stack and pick the base that every
  // mcall restarts g0 from: a little below mstart's own frame, which stays
  // alive until the m exits.
  const uintptr sp = gort_getsp() - 1024;
  mp->g0->stack_.lo = osThreadStack().lo;
  mp->g0->stack_.hi = sp;
#if GORT_TSAN
  mp->g0->tsanFiber = __tsan_get_current_fiber();
  mp->tsanThreadFiber = mp->g0->tsanFiber;
#endif
  mp->g0->sched.sp = sp;
  asanStartSwitch(nullptr, mp->g0->stack_);
  gort_mcall(&mstart1, mp, &mp->mstartbuf.sp, sp);
  // mexit resumed us: the m is done.
  asanFinishSwitch(nullptr);
  setg(nullptr);
}

namespace {

[[noreturn]] void mexit() {
  m* mp = getm();
  if (mp->p_ != nullptr) releasep();
  mp->exiting = true;
#if GORT_TSAN
  // Back to the thread's own fiber, where mstart's frame lives.
  void* g0_fiber = mp->g0->tsanFiber;
  __tsan_switch_to_fiber(mp->tsanThreadFiber, 0);
  if (g0_fiber != mp->tsanThreadFiber) __tsan_destroy_fiber(g0_fiber);
  mp->g0->tsanFiber = mp->tsanThreadFiber;
#endif
  // Back to mstart's frame for good: g0's frames below its base are dead.
  asanAbandonFrames(gort_getsp(), mp->g0->sched.sp);
  // We resume on the thread's own stack, mstart's frame and its callers
  // included (on m0: gort::Run and the program's caller), not on g0's part
  // of it, which ends below mstart. AddressSanitizer must know the whole
  // stack, or its clean-up when an exception later unwinds those frames
  // (Run rethrowing a kata stub's error) stops at g0's top and leaves the
  // unwound frames' redzones poisoned.
  asanStartSwitch(nullptr, osThreadStack());
  gort_gogo(mp->mstartbuf.sp);
}

}  // namespace

void mexitIfExiting() {
  if (sched.exiting.load(std::memory_order_acquire)) mexit();
}

void mput(m* mp) {
  // REQUIRES: sched.lock held.
  mp->schedlink = sched.midle;
  sched.midle = mp;
  sched.nmidle++;
  checkdead();
}

m* mget() {
  // REQUIRES: sched.lock held.
  m* mp = sched.midle;
  if (mp != nullptr) {
    sched.midle = mp->schedlink;
    sched.nmidle--;
  }
  return mp;
}

std::int32_t mcount() {
  // REQUIRES: sched.lock held.
  return static_cast<std::int32_t>(sched.mnext);
}

void stopm() {
  m* mp = getm();
  if (mp->locks.load(std::memory_order_relaxed) != 0) throw_("stopm holding locks");
  if (mp->p_ != nullptr) throw_("stopm holding p");
  if (mp->spinning) throw_("stopm spinning");

  lock(&sched.lock);
  if (sched.exiting.load(std::memory_order_acquire)) {
    unlock(&sched.lock);
    mexit();
  }
  mput(mp);
  unlock(&sched.lock);
  mp->blocked = true;
  notesleep(&mp->park);
  noteclear(&mp->park);
  mp->blocked = false;
  mexitIfExiting();
  acquirep(mp->nextp);
  mp->nextp = nullptr;
}

void startm(p* pp, bool spinning) {
  // Disable preemption: the m that owns pp must not be stopped between
  // taking pp and handing it over.
  m* mp = acquirem();
  lock(&sched.lock);
  if (pp == nullptr) {
    pp = pidleget(0);
    if (pp == nullptr) {
      unlock(&sched.lock);
      if (spinning) {
        // The caller incremented nmspinning, but there are no idle ps, so
        // it's okay to just undo the increment and give up.
        if (sched.nmspinning.fetch_sub(1) - 1 < 0) throw_("startm: negative nmspinning");
      }
      releasem(mp);
      return;
    }
  }
  m* nmp = mget();
  if (nmp == nullptr) {
    std::int64_t id = mReserveID();
    unlock(&sched.lock);
    newm(nullptr, pp, id, spinning);
    releasem(mp);
    return;
  }
  unlock(&sched.lock);
  if (nmp->spinning) throw_("startm: m is spinning");
  if (nmp->nextp != nullptr) throw_("startm: m has p");
  if (spinning && !runqempty(pp)) throw_("startm: p has runnable gs");
  // The caller incremented nmspinning, so set m.spinning in the new m.
  nmp->spinning = spinning;
  nmp->nextp = pp;
  notewakeup(&nmp->park);
  releasem(mp);
}

void handoffp(p* pp) {
  // handoffp must start an m in any situation where findrunnable would
  // return a g to run on pp.

  // If it has local work, start it straight away.
  if (!runqempty(pp) || sched.runqsize.load() != 0) {
    startm(pp, false);
    return;
  }
  // No local work, check that there are no spinning/idle ms, otherwise our
  // help is not required.
  std::int32_t zero = 0;
  if (sched.nmspinning.load() + sched.npidle.load() == 0 &&
      sched.nmspinning.compare_exchange_strong(zero, 1)) {
    startm(pp, true);
    return;
  }
  lock(&sched.lock);
  if (sched.gcwaiting.load() != 0) {
    pp->status.store(_Pgcstop);
    sched.stopwait--;
    if (sched.stopwait == 0) notewakeup(&sched.stopnote);
    unlock(&sched.lock);
    return;
  }
  if (sched.runqsize.load() != 0) {
    unlock(&sched.lock);
    startm(pp, false);
    return;
  }
  // If this is the last running p and nobody is waiting for timers, we
  // need an m to sleep until the next timer ("netpoll" in Go).
  if (sched.npidle.load() == gomaxprocs.load() - 1 && sched.lastpoll.load() != 0) {
    unlock(&sched.lock);
    startm(pp, false);
    return;
  }
  const std::int64_t when = nobarrierWakeTime(pp);
  pidleput(pp, 0);
  unlock(&sched.lock);
  if (when != 0) wakeNetPoller(when);
}

void wakep() {
  if (sched.npidle.load() == 0) return;
  // Be conservative about spinning threads: only start one if none exist.
  std::int32_t zero = 0;
  if (sched.nmspinning.load() != 0 || !sched.nmspinning.compare_exchange_strong(zero, 1)) {
    return;
  }
  startm(nullptr, true);
}

void resetspinning() {
  m* mp = getm();
  if (!mp->spinning) throw_("resetspinning: not a spinning m");
  mp->spinning = false;
  std::int32_t nmspinning = sched.nmspinning.fetch_sub(1) - 1;
  if (nmspinning < 0) throw_("findrunnable: negative nmspinning");
  // m wakeup policy is deliberately somewhat conservative, so check if we
  // need to wakeup another p here.
  wakep();
}

void acquirep(p* pp) {
  m* mp = getm();
  if (mp->p_ != nullptr) throw_("wirep: already in go");
  if (pp->m_ != nullptr || pp->status.load() != _Pidle) {
    std::fprintf(stderr, "wirep: p->m=%p p->status=%u\n", static_cast<void*>(pp->m_),
                 pp->status.load());
    throw_("wirep: invalid p state");
  }
  mp->p_ = pp;
  pp->m_ = mp;
  pp->status.store(_Prunning);
}

p* releasep() {
  m* mp = getm();
  p* pp = mp->p_;
  if (pp == nullptr) throw_("releasep: invalid arg");
  if (pp->m_ != mp || pp->status.load() != _Prunning) throw_("releasep: invalid p state");
  mp->p_ = nullptr;
  pp->m_ = nullptr;
  pp->status.store(_Pidle);
  return pp;
}

void pidleput(p* pp, std::int64_t /*now*/) {
  // REQUIRES: sched.lock held.
  if (!runqempty(pp)) throw_("pidleput: p has non-empty run queue");
  pp->link = sched.pidle;
  sched.pidle = pp;
  sched.npidle.fetch_add(1);
}

bool acquireIdleP() {
  lock(&sched.lock);
  p* pp = pidleget(0);
  unlock(&sched.lock);
  if (pp == nullptr) return false;
  acquirep(pp);
  return true;
}

p* pidleget(std::int64_t /*now*/) {
  // REQUIRES: sched.lock held.
  p* pp = sched.pidle;
  if (pp != nullptr) {
    sched.pidle = pp->link;
    sched.npidle.fetch_sub(1);
  }
  return pp;
}

void injectglist(gQueue* glist, std::int32_t n) {
  if (glist->empty()) return;
  for (g* gp = glist->head; gp != nullptr; gp = gp->schedlink) {
    casgstatus(gp, _Gwaiting, _Grunnable);
  }
  lock(&sched.lock);
  globrunqputbatch(glist, n);
  std::int32_t idle = sched.npidle.load();
  unlock(&sched.lock);
  for (; idle > 0 && n > 0; idle--, n--) startm(nullptr, false);
}

// ---- goyield (Go 1.19 proc.go) ------------------------------------------

namespace {

// goyield continuation on g0: like goschedImpl, but gp goes to the tail of
// its own p's local run queue, not to the global queue.
void goyield_m(g* gp) {
  m* mp = getm();
  releasem(mp);  // goyield's acquirem
  p* pp = mp->p_;
  casgstatus(gp, _Grunning, _Grunnable);
  dropg();
  runqput(pp, gp, false);
  schedule();
}

}  // namespace

void goyield() {
  acquirem();  // released by goyield_m on g0
  mcall(&goyield_m);
}

// ---- Deadlock detection -----------------------------------------------

namespace {

void printGoroutineHeaders() {
  // Go prints every goroutine's header and stack; gort prints the headers
  // (C++ frames have no Go-style traceback).
  for (g* gp : allgs) {
    if (gp->issystem) continue;
    std::uint32_t s = readgstatus(gp) & ~_Gscan;
    if (s == _Gdead || s == _Gidle) continue;
    const char* status = "unknown";
    switch (s) {
      case _Grunnable: status = "runnable"; break;
      case _Grunning: status = "running"; break;
      case _Gsyscall: status = "syscall"; break;
      case _Gwaiting: status = waitReasonString(gp->waitreason); break;
      case _Gpreempted: status = "preempted"; break;
      default: break;
    }
    std::fprintf(stderr, "\ngoroutine %lld [%s]:\n", static_cast<long long>(gp->goid), status);
  }
}

}  // namespace

[[noreturn]] void fatalDeadlock(const char* msg) {
  std::fprintf(stderr, "fatal error: %s\n", msg);
  printGoroutineHeaders();
  std::fflush(stderr);
  std::_Exit(2);
}

void checkdead() {
  // REQUIRES: sched.lock held.
  if (sched.exiting.load()) return;
  // Ms sleeping on a timer count as running (Go: an m blocked in netpoll).
  std::int32_t run = mcount() - sched.nmidle - sched.nmsys;
  if (run > 0) return;
  if (run < 0) {
    std::fprintf(stderr, "runtime: checkdead: nmidle=%d mcount=%d nmsys=%d\n", sched.nmidle,
                 mcount(), sched.nmsys);
    throw_("checkdead: inconsistent counts");
  }
  std::int32_t grunning = 0;
  lock(&allglock);
  for (g* gp : allgs) {
    if (gp->issystem) continue;
    switch (readgstatus(gp) & ~_Gscan) {
      case _Gwaiting:
      case _Gpreempted:
        grunning++;
        break;
      case _Grunnable:
      case _Grunning:
      case _Gsyscall:
        unlock(&allglock);
        std::fprintf(stderr, "runtime: checkdead: find g %lld in status %u\n",
                     static_cast<long long>(gp->goid), readgstatus(gp));
        throw_("checkdead: runnable g");
      default:
        break;
    }
  }
  unlock(&allglock);
  if (grunning == 0) {  // possible if main goroutine calls runtime.Goexit()
    fatalDeadlock("no goroutines (main called runtime.Goexit) - deadlock!");
  }
  // There are no goroutines running, so we can look at the ps' timers: a
  // pending timer will wake something up.
  for (p* pp : allp) {
    if (pp->numTimers.load() > 0) return;
  }
  fatalDeadlock("all goroutines are asleep - deadlock!");
}

// ---- Syscalls -----------------------------------------------------------

void entersyscall() {
  g* gp = getg();
  m* mp = acquirem();  // no preemption while the state is inconsistent
  p* pp = mp->p_;
  mp->syscalltick = pp->syscalltick.load();
  casgstatus(gp, _Grunning, _Gsyscall);
  mp->insyscall.store(true);
  pp->m_ = nullptr;
  mp->oldp = pp;
  mp->p_ = nullptr;
  pp->status.store(_Psyscall);
  if (sched.gcwaiting.load() != 0) {
    // Stop-the-world is waiting: give it this p right away.
    lock(&sched.lock);
    std::uint32_t s = _Psyscall;
    if (sched.stopwait > 0 && pp->status.compare_exchange_strong(s, _Pgcstop)) {
      if (--sched.stopwait == 0) notewakeup(&sched.stopnote);
    }
    unlock(&sched.lock);
  }
  mp->locks.fetch_sub(1);
}

void entersyscallblock() {
  g* gp = getg();
  m* mp = acquirem();
  p* pp = mp->p_;
  pp->syscalltick.fetch_add(1);
  mp->syscalltick = pp->syscalltick.load();
  casgstatus(gp, _Grunning, _Gsyscall);
  mp->insyscall.store(true);
  releasep();
  handoffp(pp);
  mp->locks.fetch_sub(1);
}

namespace {

bool exitsyscallfast(p* oldp) {
  // Try to re-acquire the last p.
  std::uint32_t s = _Psyscall;
  if (oldp != nullptr && oldp->status.load() == _Psyscall &&
      oldp->status.compare_exchange_strong(s, _Pidle)) {
    acquirep(oldp);
    return true;
  }
  // Try to get any other idle p.
  return sched.npidle.load() > 0 && acquireIdleP();
}

// exitsyscall slow path on g0: no p for us; queue gp and park the m.
void exitsyscall0(g* gp) {
  releasem(getm());  // exitsyscall's pin
  casgstatus(gp, _Gsyscall, _Grunnable);
  dropg();
  lock(&sched.lock);
  p* pp = pidleget(0);
  if (pp == nullptr) globrunqput(gp);
  unlock(&sched.lock);
  if (pp != nullptr) {
    acquirep(pp);
    execute(gp, false);  // never returns
  }
  stopm();
  schedule();  // never returns
}

}  // namespace

void exitsyscall() {
  g* gp = getg();
  m* mp = acquirem();
  mp->insyscall.store(false);
  p* oldp = mp->oldp;
  mp->oldp = nullptr;
  if (sched.exiting.load()) {
    // The program ended while we were away: this m just leaves.
    casgstatus(gp, _Gsyscall, _Grunning);
    mcall([](g*) {
      releasem(getm());
      mexit();
    });
  }
  if (exitsyscallfast(oldp)) {
    mp->p_->syscalltick.fetch_add(1);
    casgstatus(gp, _Gsyscall, _Grunning);
    mp->locks.fetch_sub(1);
    if (gp->preempt.load()) gosched();
    return;
  }
  // Keep the pin: exitsyscall0 releases it on g0.
  mcall(&exitsyscall0);
  // We were scheduled again, with a p.
}

// ---- Stop the world -----------------------------------------------------

void preemptall() {
  for (p* pp : allp) {
    if (pp->status.load() != _Prunning) continue;
    preemptone(pp);
  }
}

void stopTheWorld(const char* /*reason*/) {
  m* mp = acquirem();
  mp->preemptoff = "stopTheWorld";
  lock(&sched.lock);
  sched.stopwait = gomaxprocs.load();
  sched.gcwaiting.store(1);
  preemptall();
  // Stop current p.
  mp->p_->status.store(_Pgcstop);
  sched.stopwait--;
  // Try to retake all ps in _Psyscall status.
  for (p* pp : allp) {
    std::uint32_t s = _Psyscall;
    if (pp->status.load() == _Psyscall && pp->status.compare_exchange_strong(s, _Pgcstop)) {
      sched.stopwait--;
    }
  }
  // Stop idle ps.
  for (;;) {
    p* pp = pidleget(0);
    if (pp == nullptr) break;
    pp->status.store(_Pgcstop);
    sched.stopwait--;
  }
  bool wait = sched.stopwait > 0;
  unlock(&sched.lock);
  // Wait for remaining ps to stop voluntarily.
  if (wait) {
    for (;;) {
      // Wait for 100us, then try to re-preempt in case of any races.
      if (notetsleep(&sched.stopnote, 100 * 1000)) {
        noteclear(&sched.stopnote);
        break;
      }
      preemptall();
    }
  }
  if (sched.stopwait != 0) throw_("stopTheWorld: not stopped");
  for (p* pp : allp) {
    if (pp->status.load() != _Pgcstop) throw_("stopTheWorld: not stopped");
  }
  releasem(mp);
}

std::int32_t newprocs = 0;

void startTheWorld() {
  m* mp = acquirem();
  lock(&sched.lock);
  p* plist = procresize(newprocs != 0 ? newprocs : gomaxprocs.load());
  newprocs = 0;
  sched.gcwaiting.store(0);
  unlock(&sched.lock);
  while (plist != nullptr) {
    p* pp = plist;
    plist = pp->link;
    if (pp->m_ != nullptr) {
      m* mp2 = pp->m_;
      pp->m_ = nullptr;
      if (mp2->nextp != nullptr) throw_("startTheWorld: inconsistent mp->nextp");
      mp2->nextp = pp;
      notewakeup(&mp2->park);
    } else {
      startm(pp, false);
    }
  }
  mp->preemptoff = nullptr;
  wakep();
  releasem(mp);
}

// gcstopm: the current p is wanted by stop-the-world; give it up and park.
void gcstopm() {
  m* mp = getm();
  if (sched.gcwaiting.load() == 0) throw_("gcstopm: not waiting for gc");
  if (mp->spinning) {
    mp->spinning = false;
    if (sched.nmspinning.fetch_sub(1) - 1 < 0) throw_("gcstopm: negative nmspinning");
  }
  p* pp = releasep();
  lock(&sched.lock);
  pp->status.store(_Pgcstop);
  sched.stopwait--;
  if (sched.stopwait == 0) notewakeup(&sched.stopnote);
  unlock(&sched.lock);
  stopm();
}

p* procresize(std::int32_t nprocs) {
  // REQUIRES: sched.lock held and the world stopped (or not started).
  const std::int32_t old = static_cast<std::int32_t>(allp.size());
  if (nprocs <= 0) throw_("procresize: invalid arg");
  // Grow allp if necessary.
  for (std::int32_t i = old; i < nprocs; i++) {
    p* pp = new p;
    pp->id = i;
    pp->status.store(_Pgcstop);
    pp->mcache_ = allocmcache();  // Go: pp.init -> allocmcache
    allp.push_back(pp);
  }
  gomaxprocs.store(nprocs);

  m* mp = getm();
  if (mp->p_ != nullptr && mp->p_->id < nprocs) {
    // Continue to use the current p.
    mp->p_->status.store(_Prunning);
  } else {
    // Release the current p and acquire allp[0].
    if (mp->p_ != nullptr) {
      mp->p_->m_ = nullptr;
    }
    mp->p_ = nullptr;
    p* pp = allp[0];
    pp->m_ = nullptr;
    pp->status.store(_Pidle);
    acquirep(pp);
  }

  // Release resources from unused ps: move their gs to the global queue.
  for (std::int32_t i = nprocs; i < old; i++) {
    p* pp = allp[i];
    while (pp->runqhead.load() != pp->runqtail.load()) {
      std::uint32_t t = pp->runqtail.load() - 1;
      pp->runqtail.store(t);
      globrunqputhead(pp->runq[t % kRunqSize].load());
    }
    if (g* next = pp->runnext.exchange(nullptr)) globrunqputhead(next);
    movetimers(allp[0], pp);
    while (pp->gFree.head != nullptr) {
      g* g1 = pp->gFree.head;
      pp->gFree.head = g1->schedlink;
      pp->gFree.n--;
      lock(&sched.gFree.lock);
      g1->schedlink = g1->stack_.lo != 0 ? sched.gFree.stack : sched.gFree.noStack;
      if (g1->stack_.lo != 0) {
        sched.gFree.stack = g1;
      } else {
        sched.gFree.noStack = g1;
      }
      sched.gFree.n++;
      unlock(&sched.gFree.lock);
    }
    pp->status.store(_Pdead);
  }
  // Dead ps stay allocated (Go keeps them too) but leave allp.
  for (std::int32_t i = nprocs; i < old; i++) deadps.push_back(allp[i]);
  if (nprocs < old) allp.resize(nprocs);

  p* runnablePs = nullptr;
  for (std::int32_t i = nprocs - 1; i >= 0; i--) {
    p* pp = allp[i];
    if (mp->p_ == pp) continue;
    pp->status.store(_Pidle);
    if (runqempty(pp)) {
      pidleput(pp, 0);
    } else {
      pp->m_ = mget();
      pp->link = runnablePs;
      runnablePs = pp;
    }
  }
  return runnablePs;
}

// ---- Introspection --------------------------------------------------

RunqSnapshot runqsnapshot(p* pp) {
  RunqSnapshot snap;
  snap.runnext = pp->runnext.load();
  std::uint32_t h = pp->runqhead.load();
  std::uint32_t t = pp->runqtail.load();
  for (std::uint32_t i = h; i != t; i++) snap.runq.push_back(pp->runq[i % kRunqSize].load());
  return snap;
}

void schedtrace(bool detailed) {
  const std::int64_t now = nanotime();
  lock(&sched.lock);
  std::string line = absl::StrCat(
      "SCHED ", (now - schedStartTime) / 1'000'000, "ms: gomaxprocs=", gomaxprocs.load(),
      " idleprocs=", sched.npidle.load(), " threads=", mcount(),
      " spinningthreads=", sched.nmspinning.load(), " idlethreads=", sched.nmidle,
      " runqueue=", sched.runqsize.load());
  if (detailed) {
    absl::StrAppend(&line, " gcwaiting=", sched.gcwaiting.load(), " nmidlelocked=0",
                    " stopwait=", sched.stopwait, " sysmonwait=", sched.sysmonwait.load(), "\n");
  }
  for (std::size_t i = 0; i < allp.size(); i++) {
    p* pp = allp[i];
    const std::uint32_t h = pp->runqhead.load();
    const std::uint32_t t = pp->runqtail.load();
    if (detailed) {
      m* mp = pp->m_.load();
      absl::StrAppend(&line, "  P", i, ": status=", pp->status.load(), " schedtick=",
                      pp->schedtick.load(), " syscalltick=", pp->syscalltick.load(),
                      " m=", mp != nullptr ? mp->id : -1, " runqsize=", t - h,
                      " gfreecnt=", pp->gFree.n, " timerslen=", pp->numTimers.load(), "\n");
    } else {
      absl::StrAppend(&line, " ", i == 0 ? "[" : "", t - h, i == allp.size() - 1 ? "]\n" : "");
    }
  }
  unlock(&sched.lock);
  std::fputs(line.c_str(), stderr);
}

p* newTestP(std::int32_t id) {
  p* pp = new p;
  pp->id = id;
  return pp;
}

g* newTestG(std::int64_t goid) {
  g* gp = new g;
  gp->goid = goid;
  gp->atomicstatus.store(_Grunnable);
  return gp;
}

void freeTestP(p* pp) { delete pp; }
void freeTestG(g* gp) { delete gp; }

}  // namespace gort::rt
