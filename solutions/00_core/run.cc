// gort::Run: the life cycle of one Go program inside this process.
//
// Mirrors the start and end of a Go process (Go 1.19 src/runtime/proc.go:
// schedinit, newproc for runtime.main, mstart on m0; runtime.main's exit).
//
// Start: fresh globals, GODEBUG, GOMAXPROCS ps, m0 = the calling thread,
// sysmon, and the main goroutine (goid 1) in p0's runnext. Then m0 enters
// the scheduler. End: when the main goroutine returns, sched.exiting is set
// and every m leaves its scheduler loop at the next chance (idle ms are
// woken, running goroutines are asked to yield, ms in syscalls leave when
// the call returns); m0 comes back here, waits for the other threads, and
// frees everything: gs (leaked goroutines are discarded as at Go process
// exit, their stacks unmapped without unwinding), ms, ps, timers, the heap.
#include <pthread.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "include/gort/go.h"
#include "include/gort/gort.h"
#include "include/gort/rt/debug.h"
#include "include/gort/rt/error.h"
#include "include/gort/rt/fastrand.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/mheap.h"
#include "include/gort/rt/panic.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sched_internal.h"
#include "include/gort/rt/sizeclasses.h"
#include "include/gort/rt/stack.h"
#include "include/gort/rt/time.h"

namespace gort::rt {

std::vector<p*> deadps;
std::int64_t schedStartTime = 0;
extern std::int32_t schedtraceMillis;
extern bool scheddetail;
void initSignals();
void unminitSignals(m* mp);
void sysmon();

namespace {

std::atomic<bool> g_running{false};

// Reads the scheduler's GODEBUG knobs (schedtrace=N, scheddetail=1,
// asyncpreemptoff=1).
void parseSchedDebug(absl::string_view godebug) {
  for (absl::string_view field : absl::StrSplit(godebug, ',', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(field, absl::MaxSplits('=', 1));
    int v = 0;
    if (!absl::SimpleAtoi(kv.second, &v)) continue;
    if (kv.first == "schedtrace") schedtraceMillis = v;
    if (kv.first == "scheddetail") scheddetail = v != 0;
    if (kv.first == "asyncpreemptoff") asyncPreemptEnabled.store(v == 0);
  }
}

void resetGlobals() {
  // schedt holds atomics and locks: reset it field by field.
  sched.goidgen.store(0);
  sched.lastpoll.store(nanotime());
  sched.pollUntil.store(0);
  sched.lock.key.store(0);
  sched.midle = nullptr;
  sched.nmidle = 0;
  sched.mnext = 0;
  sched.nmsys = 0;
  sched.pidle = nullptr;
  sched.npidle.store(0);
  sched.nmspinning.store(0);
  sched.runq = gQueue{};
  sched.runqsize = 0;
  sched.gFree.stack = nullptr;
  sched.gFree.noStack = nullptr;
  sched.gFree.n = 0;
  sched.gcwaiting.store(0);
  sched.stopwait = 0;
  noteclear(&sched.stopnote);
  sched.sysmonwait.store(0);
  sched.exiting.store(false);
  sched.ngsys.store(0);
  allp.clear();
  deadps.clear();
  allgs.clear();
  allm.store(nullptr);
  mainStarted.store(false);
  nthreads.store(0);
  schedtraceMillis = 0;
  scheddetail = false;
  asyncPreemptEnabled.store(true);
}

struct MainArg {
  absl::FunctionRef<void()>* fn;
};

void runMain(void* arg) { (*static_cast<MainArg*>(arg)->fn)(); }

void wakeEveryone() {
  // Idle ms sleep on their park notes; the timer sleeper on its futex;
  // running goroutines are asked to yield.
  lock(&sched.lock);
  for (m* mp = sched.midle; mp != nullptr; mp = mp->schedlink) notewakeup(&mp->park);
  sched.midle = nullptr;
  sched.nmidle = 0;
  unlock(&sched.lock);
  wakeTimerSleeperForExit();
  for (p* pp : allp) preemptone(pp);
}

}  // namespace

void mainExited() {
  sched.exiting.store(true, std::memory_order_release);
  wakeEveryone();
}

}  // namespace gort::rt

namespace gort {

void Run(absl::FunctionRef<void()> main, const Options& options) {
  using namespace rt;
  if (g_running.exchange(true)) throw_("gort::Run: a runtime is already running");
  programException = nullptr;

  // schedinit.
  resetGlobals();
  debug.slicegrowth.store(SliceGrowth::kGo118);
  const char* env = std::getenv("GODEBUG");
  if (env != nullptr) {
    parsedebugvars(env);
    parseSchedDebug(env);
  }
  parsedebugvars(options.godebug);
  parseSchedDebug(options.godebug);
  SetFastrandSeed(options.seed);
  stackSize = options.stack_size > 0 ? alignUp(options.stack_size, 4096) : 256 * 1024;
  ncpu.store(static_cast<std::int32_t>(std::max(1u, std::thread::hardware_concurrency())));
  std::int32_t procs = ncpu.load();
  if (const char* n = std::getenv("GOMAXPROCS")) {
    int v = 0;
    if (absl::SimpleAtoi(n, &v) && v > 0) procs = v;
  }
  if (options.gomaxprocs > 0) procs = options.gomaxprocs;
  initSignals();
  schedStartTime = nanotime();

  // m0 and its g0: the calling thread.
  m* m0 = new m;
  m0->g0 = malg();
  m0->g0->issystem = true;
  m0->g0->m_ = m0;
  allm.store(m0);
  setg(m0->g0);
  lock(&sched.lock);
  sched.mnext = 1;
  if (procresize(procs) != nullptr) throw_("unknown runnable goroutine during bootstrap");
  // sysmon: an m without a p, not counted by the deadlock check.
  std::int64_t sysmonID = sched.mnext++;
  sched.nmsys++;
  unlock(&sched.lock);
  newm(&sysmon, nullptr, sysmonID, /*spinning=*/false);

  // Before main.main runs, Go 1.19's runtime.main schedules its own
  // goroutines (forcegchelper, bgsweep, bgscavenge) on p0, so a Go
  // program's main never yields at schedtick 0, where schedule() would
  // look at the global queue first (tick % 61 == 0) and, for example, run
  // a goroutine that just called Gosched ahead of the one in runnext. gort
  // has no such goroutines yet, so p0 starts at the tick typical Go
  // programs show there (5; see tools/groundtruth/scheduler). Remove this
  // when the GC chapter brings those goroutines.
  constexpr std::uint32_t kGoStartupSchedticks = 5;
  allp[0]->schedtick = kGoStartupSchedticks;

  // The main goroutine.
  absl::FunctionRef<void()> fn = main;
  MainArg arg{&fn};
  newproc(funcval{&runMain, &arg, nullptr});
  mainStarted.store(true);

  mstart(m0);  // runs the scheduler; returns once the program has ended

  // Teardown. Every other m leaves its loop; wait for their threads.
  setg(m0->g0);
  wakeEveryone();
  for (m* mp = allm.load(); mp != nullptr; mp = mp->alllink) {
    if (mp == m0) continue;
    if (mp->thread != 0) {
      // Keep waking: an m may have gone idle after the first round.
      while (pthread_tryjoin_np(static_cast<pthread_t>(mp->thread), nullptr) != 0) {
        wakeEveryone();
        usleep(100);
      }
    }
  }
  setg(nullptr);

  // Free everything this program made.
  for (g* gp : allgs) {
    discardDefers(gp);  // a leaked goroutine's deferred calls never run
    delete gp->timer_;
    if (gp->startfn.drop != nullptr) gp->startfn.drop(gp->startfn.arg);  // never ran
    freeg(gp);
  }
  allgs.clear();
  unminitSignals(m0);  // m0's thread lives on: drop its signal stack
  for (m* mp = allm.load(); mp != nullptr;) {
    m* next = mp->alllink;
    std::free(mp->gsignalStack);
    freeg(mp->g0);
    delete mp;
    mp = next;
  }
  allm.store(nullptr);
  for (p* pp : allp) freeSudogCache(pp);
  for (p* pp : deadps) freeSudogCache(pp);
  freeCentralSudogCache();
  for (p* pp : allp) freeDeferPool(pp);
  for (p* pp : deadps) freeDeferPool(pp);
  freeCentralDeferPool();
  for (p* pp : allp) freemcache(pp->mcache_);
  for (p* pp : deadps) freemcache(pp->mcache_);
  for (p* pp : allp) delete pp;
  for (p* pp : deadps) delete pp;
  allp.clear();
  deadps.clear();
  stackcacherelease();
  ReleaseHeapForTeardown();
  debug.slicegrowth.store(SliceGrowth::kGo118);
  g_running.store(false);
  if (programException) {
    std::exception_ptr e = programException;
    programException = nullptr;
    std::rethrow_exception(e);
  }
}

}  // namespace gort
