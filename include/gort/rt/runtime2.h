// The scheduler's data structures: g, m, p, schedt and gobuf.
//
// Mirrors Go 1.19 src/runtime/runtime2.go. Field names are Go's; fields Go
// has but gort does not need yet are left out, and a few fields that only
// exist because gort is C++ are marked "gort:".
//
// The cast:
//   g      a goroutine: its stack, its saved registers (sched), its status.
//   m      an OS thread ("machine"). Runs Go code only while it holds a p.
//          Each m has a g0: the goroutine that owns the thread's own stack,
//          on which the scheduler itself runs.
//   p      a processor: the right to run Go code, plus a local run queue
//          of up to 256 gs and a runnext slot. GOMAXPROCS = number of ps.
//   schedt the global scheduler state: global run queue, idle m and p
//          lists, the free-g pool. Protected by sched.lock.
//
// Invariants:
//   - a g in _Grunning has g->m != nullptr and g->m->curg == g;
//   - an m runs a user g only while m->p != nullptr (except in a syscall,
//     when the p is in _Psyscall and may be taken by sysmon);
//   - a p in _Prunning has exactly one m (p->m) and that m has m->p == p;
//   - a g is in at most one run queue (a p's runq/runnext or sched.runq).
#ifndef GORT_RT_RUNTIME2_H_
#define GORT_RT_RUNTIME2_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

#include "include/gort/rt/lock.h"
#include "include/gort/rt/types.h"

namespace gort::rt {

struct g;
struct m;
struct p;
struct mcache;
struct timer;
struct hchan;
struct _defer;  // include/gort/rt/panic.h
struct _panic;

// Goroutine states (g::atomicstatus). Go's values.
enum gstatus : std::uint32_t {
  _Gidle = 0,       // just allocated, not yet initialised
  _Grunnable = 1,   // in a run queue, not running
  _Grunning = 2,    // running user code on an m with a p
  _Gsyscall = 3,    // in a blocking call (gort::Syscall); has an m, no p
  _Gwaiting = 4,    // parked (gopark): blocked in the runtime
  _Gmoribund_unused = 5,
  _Gdead = 6,       // unused: exited, on a free list, or being created
  _Genqueue_unused = 7,
  _Gcopystack = 8,  // Go: stack being moved. gort never moves stacks
  _Gpreempted = 9,  // stopped itself for a suspendG preemption
  _Gscan = 0x1000,  // OR-ed in while the GC scans the stack (later)
};

// Processor states (p::status). Go's values.
enum pstatus : std::uint32_t {
  _Pidle = 0,     // not running user code; on the idle list (usually)
  _Prunning = 1,  // owned by an m, running user code or the scheduler
  _Psyscall = 2,  // its m is in a syscall; sysmon may retake it
  _Pgcstop = 3,   // halted for stop-the-world
  _Pdead = 4,     // no longer used (GOMAXPROCS shrank)
};

// Why a goroutine is parked; printed in goroutine headers
// ("goroutine 1 [chan receive]:"). Go 1.19's list and strings.
enum class waitReason : std::uint8_t {
  waitReasonZero,
  waitReasonGCAssistMarking,
  waitReasonIOWait,
  waitReasonChanReceiveNilChan,
  waitReasonChanSendNilChan,
  waitReasonDumpingHeap,
  waitReasonGarbageCollection,
  waitReasonGarbageCollectionScan,
  waitReasonPanicWait,
  waitReasonSelect,
  waitReasonSelectNoCases,
  waitReasonGCAssistWait,
  waitReasonGCSweepWait,
  waitReasonGCScavengeWait,
  waitReasonChanReceive,
  waitReasonChanSend,
  waitReasonFinalizerWait,
  waitReasonForceGCIdle,
  waitReasonSemacquire,
  waitReasonSleep,
  waitReasonSyncCondWait,
  waitReasonTimerGoroutineIdle,
  waitReasonTraceReaderBlocked,
  waitReasonWaitForGCCycle,
  waitReasonGCWorkerIdle,
  waitReasonPreempted,
  waitReasonDebugCall,
};
const char* waitReasonString(waitReason r);

// gobuf: a goroutine's saved execution context.
//
// Go saves sp, pc and a few registers in the gobuf itself. gort's switch
// (asm_amd64.S) pushes the callee-saved registers and the resume address
// onto the goroutine's own stack and records only the resulting sp, so sp
// alone identifies where and how the goroutine resumes.
struct gobuf {
  uintptr sp = 0;
  g* g_ = nullptr;
};

// The stack bounds [lo, hi) of a goroutine (Go: type stack).
struct stack {
  uintptr lo = 0;
  uintptr hi = 0;
};

// libstdc++'s per-thread exception state (cxxabi's __cxa_eh_globals). A
// goroutine that parks while an exception is in flight (a deferred call
// blocking during a panic) must take it along when it migrates threads.
struct cxaEhGlobals {
  void* caughtExceptions = nullptr;
  unsigned int uncaughtExceptions = 0;
};

// The function a goroutine runs: Go's funcval, spelled as a C++ callable
// erased to a function pointer plus its argument.
struct funcval {
  void (*fn)(void* arg) = nullptr;
  void* arg = nullptr;
  void (*drop)(void* arg) = nullptr;  // frees arg if the g never runs
};

// sudog: a g waiting on something — a channel's send or receive queue, a
// select (one sudog per case), or a semaphore address (sema.go). A g can
// wait on many objects at once (select) and many gs can wait on one object,
// so the wait-list entry cannot be the g itself. sudogs come from a per-p
// cache (acquireSudog/releaseSudog) and are never freed mid-program.
// Mirrors Go 1.19 src/runtime/runtime2.go (type sudog).
struct sudog {
  g* g_ = nullptr;
  sudog* next = nullptr;  // in a waitq (channels) or a semaRoot's wait list
  sudog* prev = nullptr;
  void* elem = nullptr;   // the element being sent or received into; may
                          // point into the waiting g's stack
  std::int64_t acquiretime = 0;
  std::int64_t releasetime = 0;
  std::uint32_t ticket = 0;  // semaRoot treap priority / notifyList ticket
  // The g waits in a select: g.selectDone must be won (CAS 0 -> 1) before
  // this sudog may be completed.
  bool isSelect = false;
  // The wait ended because a value was communicated (true) or because the
  // channel was closed (false).
  bool success = false;
  sudog* parent = nullptr;    // semaRoot binary tree
  sudog* waitlink = nullptr;  // g.waiting list, or semaRoot
  sudog* waittail = nullptr;  // semaRoot
  hchan* c = nullptr;         // the channel
};

struct g {
  // gort: m_ must stay the first field (asm_amd64.S gort_acquirem reads it).
  m* m_ = nullptr;              // current m; null when not running
  stack stack_;  // gort: allocated when the g first runs (see stack.h)
  gobuf sched;
  std::atomic<std::uint32_t> atomicstatus{_Gidle};
  std::int64_t goid = 0;
  g* schedlink = nullptr;       // next g in a run queue or free list
  waitReason waitreason = waitReason::waitReasonZero;  // if _Gwaiting
  std::int64_t waitsince = 0;   // approximate time the g became blocked
  void* param = nullptr;        // passed by the waker (goready) to the g
  sudog* waiting = nullptr;     // sudogs this g waits on (valid elem ptrs)
  std::atomic<std::uint32_t> selectDone{0};  // a select case won the race
  std::atomic<bool> preempt{false};  // preemption requested (sysmon)
  bool asyncSafePoint = false;  // stopped at an async preemption point
  funcval startfn;              // gort: what to run when first scheduled
  timer* timer_ = nullptr;      // cached timer for Sleep
  bool issystem = false;        // runtime g, not counted by NumGoroutine
  // The panics in progress and the pending deferred calls of this g,
  // newest first (include/gort/rt/panic.h). Only the g itself touches them.
  struct _panic* _panic = nullptr;
  struct _defer* _defer = nullptr;

  // gort: C++ state that travels with the goroutine.
  cxaEhGlobals ehglobals;
  void* tsanFiber = nullptr;    // ThreadSanitizer fiber of this g
  void* asanFakeStack = nullptr;  // AddressSanitizer fake-stack handle
};

// sysmontick: what sysmon saw last time it looked at a p.
struct sysmontick {
  std::uint32_t schedtick = 0;
  std::int64_t schedwhen = 0;
  std::uint32_t syscalltick = 0;
  std::int64_t syscallwhen = 0;
};

struct m {
  // gort: locks must stay the first field (asm_amd64.S gort_acquirem).
  // Runtime locks held and acquirem pins; > 0 forbids preemption. Only
  // the m's own thread changes it.
  std::atomic<std::int32_t> locks{0};
  g* g0 = nullptr;      // goroutine with the thread's own stack: runs the scheduler
  std::atomic<g*> curg{nullptr};  // current running user goroutine; read by sysmon
  p* p_ = nullptr;      // attached p for executing Go code (null if none)
  p* nextp = nullptr;   // p to acquire when woken (set by startm)
  p* oldp = nullptr;    // p that was attached before a syscall
  std::int64_t id = 0;
  bool spinning = false;  // looking for work (findrunnable stealing)
  bool blocked = false;   // parked on note park
  note park;              // stopm sleeps here; startm wakes it
  m* schedlink = nullptr;  // next m on the idle list
  m* alllink = nullptr;    // next m on allm
  std::int32_t mallocing = 0;
  const char* preemptoff = nullptr;  // if non-null, keep curg running
  std::atomic<bool> insyscall{false};  // gort: in entersyscall..exitsyscall
  std::uint32_t syscalltick = 0;
  bool exiting = false;   // gort: leave the scheduler loop at the next chance
  bool isSysmon = false;  // gort: the sysmon thread (no p, no g0 loop)
  gobuf mstartbuf;        // gort: where mexit returns to (mstart's frame)
  void (*mstartfn)() = nullptr;  // run first on the new m (sysmon)
  void (*mcallfn)(g*) = nullptr;  // gort: the function mcall runs on g0
  bool (*waitunlockf)(g*, void*) = nullptr;  // gopark's unlock callback
  void* waitlock = nullptr;                  // its argument
  std::int32_t procid = 0;  // OS thread id (for signals)
  std::uintptr_t thread = 0;  // pthread_t
  void* gsignalStack = nullptr;  // alternate signal stack
  std::atomic<std::uint32_t> preemptGen{0};  // async preemptions delivered
  std::atomic<bool> signalPending{false};    // SIGURG sent, not yet handled
  void* tsanThreadFiber = nullptr;  // gort: the thread's own TSan fiber
};

// Size of a p's local run queue (Go: len(p.runq)).
inline constexpr std::uint32_t kRunqSize = 256;

struct p {
  std::int32_t id = 0;
  std::atomic<std::uint32_t> status{_Pidle};
  p* link = nullptr;  // next p on the idle list
  // Incremented on every scheduler call; sysmon reads it from its thread.
  std::atomic<std::uint32_t> schedtick{0};
  std::atomic<std::uint32_t> syscalltick{0};  // incremented on every syscall
  sysmontick sysmontick_;         // last tick observed by sysmon
  std::atomic<m*> m_{nullptr};    // back-link to associated m (null if idle); read by sysmon

  // Queue of runnable goroutines. Accessed without lock: the owner pushes
  // and pops at the tail/head, thieves take from the head with CAS.
  std::atomic<std::uint32_t> runqhead{0};
  std::atomic<std::uint32_t> runqtail{0};
  std::array<std::atomic<g*>, kRunqSize> runq{};
  // runnext, if non-null, is a runnable g that was readied by the current
  // g and should run next instead of what's in runq, inheriting the rest
  // of the time slice. (Go's words: it makes communicating pairs fast.)
  std::atomic<g*> runnext{nullptr};

  // Available gs (status == _Gdead).
  struct {
    g* head = nullptr;
    std::int32_t n = 0;
  } gFree;

  // Timers: a 4-ary min-heap ordered by timer::when (Go 1.14+).
  mutex timersLock;
  std::vector<timer*> timers;              // guarded by timersLock
  std::atomic<std::int64_t> timer0When{0};  // when of the heap's head; 0 if none
  std::atomic<std::uint32_t> numTimers{0};

  std::atomic<bool> preempt{false};  // this p should enter the scheduler ASAP

  // The p's allocation cache (chapter 12; allocmcache/freemcache).
  mcache* mcache_ = nullptr;

  // Cache of free sudogs (Go: sudogcache []*sudog backed by sudogbuf).
  std::array<sudog*, 128> sudogbuf{};
  std::int32_t nsudog = 0;

  // Cache of free _defer records (Go: deferpool []*_defer backed by
  // deferpoolbuf): deferpoolbuf[0:ndeferpool]. Only the owner of the p
  // touches it (under acquirem).
  std::array<struct _defer*, 32> deferpoolbuf{};
  std::int32_t ndeferpool = 0;

  // gort: steal counters for tests and schedtrace.
  std::atomic<std::uint64_t> stolenFrom{0};
  std::atomic<std::uint64_t> stoleGs{0};
};

// A FIFO of gs linked through g::schedlink (Go: gQueue).
struct gQueue {
  g* head = nullptr;
  g* tail = nullptr;
  bool empty() const { return head == nullptr; }
  void push(g* gp);      // to the head
  void pushBack(g* gp);  // to the tail
  g* pop();              // from the head
};

struct schedt {
  std::atomic<std::uint64_t> goidgen{0};
  std::atomic<std::int64_t> lastpoll{0};  // time of last "netpoll" (timer sleep)
  std::atomic<std::int64_t> pollUntil{0};  // when the timer sleeper wakes

  mutex lock;

  // Idle ms waiting for work.
  m* midle = nullptr;          // guarded by lock
  std::int32_t nmidle = 0;     // guarded by lock
  std::int64_t mnext = 0;      // number of ms created and next m id; guarded by lock
  std::int32_t maxmcount = 10000;
  std::int32_t nmsys = 0;      // system ms (sysmon) not counted for deadlock

  p* pidle = nullptr;  // idle ps; guarded by lock
  std::atomic<std::int32_t> npidle{0};
  std::atomic<std::int32_t> nmspinning{0};

  // Global runnable queue.
  gQueue runq;  // guarded by lock
  // Written under lock; read without it as a hint (as Go does), hence atomic.
  std::atomic<std::int32_t> runqsize{0};

  // Global cache of dead gs (those with and without stacks).
  struct {
    mutex lock;
    g* stack = nullptr;    // gs with a stack; guarded by lock
    g* noStack = nullptr;  // gs without; guarded by lock
    std::atomic<std::int32_t> n{0};  // written under lock; read as a hint
  } gFree;

  std::atomic<std::uint32_t> gcwaiting{0};  // stop-the-world pending
  std::int32_t stopwait = 0;                // ps still to stop; guarded by lock
  note stopnote;
  std::atomic<std::uint32_t> sysmonwait{0};
  note sysmonnote;

  // gort: the program is ending (main returned); every m leaves.
  std::atomic<bool> exiting{false};
  note timerSleepNote;  // the "netpoller" sleep of an m waiting for timers
  std::atomic<std::int32_t> ngsys{0};

  // Central cache of free sudogs, linked through sudog::next.
  mutex sudoglock;
  sudog* sudogcache = nullptr;  // guarded by sudoglock

  // Central pool of free _defer records, linked through _defer::link.
  mutex deferlock;
  struct _defer* deferpool = nullptr;  // guarded by deferlock
};

// The globals of a running runtime (Go: allp, allm, allgs, sched, m0, g0,
// gomaxprocs, ...). Reset by gort::Run for every program.
extern schedt sched;
extern std::vector<p*> allp;         // guarded by sched.lock (resized by procresize)
extern std::atomic<std::int32_t> gomaxprocs;
extern mutex allglock;
extern std::vector<g*> allgs;        // guarded by allglock
extern std::atomic<m*> allm;
extern std::atomic<std::int32_t> ncpu;

// forcePreemptNS: a g running this long (10 ms) is asked to yield.
inline constexpr std::int64_t forcePreemptNS = 10'000'000;

// getg returns the g running on this thread (the g0 while in the
// scheduler). Never cache its result, nor anything derived from it, across
// a call that may park: the goroutine may resume on another thread.
g* getg();
// The m of this thread; same warning.
m* getm();

inline std::uint32_t readgstatus(const g* gp) {
  return gp->atomicstatus.load(std::memory_order_acquire);
}
void casgstatus(g* gp, std::uint32_t oldval, std::uint32_t newval);

// A free sudog from the current p's cache (refilled from sched.sudogcache,
// or newly allocated), and back (half the p's cache spills to the central
// one when it is full). Mirrors Go 1.19 proc.go acquireSudog/releaseSudog.
sudog* acquireSudog();
void releaseSudog(sudog* s);
// Frees every cached sudog of pp (procresize, teardown) / of sched.
void freeSudogCache(p* pp);
void freeCentralSudogCache();

// acquirem/releasem pin the current g to its m (and p): no preemption, no
// migration, in between. Runtime code touching "my p" must hold it.
m* acquirem();
void releasem(m* mp);

}  // namespace gort::rt

#endif  // GORT_RT_RUNTIME2_H_
