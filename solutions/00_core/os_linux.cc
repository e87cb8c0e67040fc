// Signals and sysmon: stack-overflow reports, asynchronous preemption, and
// the monitor thread that retakes ps and preempts long-running goroutines.
//
// Mirrors Go 1.19 src/runtime/signal_unix.go (sighandler for SIGSEGV and
// the preemption signal SIGURG, doSigPreempt, wantAsyncPreempt,
// isAsyncSafePoint), preempt.go (asyncPreempt2) and proc.go (sysmon).
//
// When is it safe to stop a goroutine at an arbitrary instruction? Go
// answers with the compiler's safe-point tables. gort has none, so it uses
// the rule the chapter teaches:
//   - the goroutine is a user goroutine, running, with a preemption request;
//   - its m holds no runtime lock and no acquirem pin (m->locks == 0), is
//     not in a syscall, and is not allocating;
//   - the interrupted instruction is in the program's own code: not in the
//     C or C++ runtime libraries (libc, libstdc++, libgcc, the dynamic
//     loader, sanitizer runtimes), not in the prebuilt libraries gort links
//     (abseil, GoogleTest, Benchmark), and not in gort's switch code.
// Code built for gort must not use the x86-64 red zone (-mno-red-zone,
// set in .bazelrc): the handler pushes a return address just below the
// interrupted stack pointer.
#include <cpuid.h>
#include <elf.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

#include "include/gort/rt/asm.h"
#include "include/gort/rt/error.h"
#include "include/gort/rt/lock.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sched_internal.h"
#include "include/gort/rt/stack.h"
#include "include/gort/rt/time.h"

extern "C" {
gort::rt::uintptr gort_xsave_size = 4096;
}

namespace gort::rt {

std::atomic<bool> asyncPreemptEnabled{true};
std::int32_t schedtraceMillis = 0;
bool scheddetail = false;

namespace {

constexpr int sigPreempt = SIGURG;  // Go's choice: rarely used by programs
constexpr std::size_t kSigStackSize = 64 * 1024;

// Text ranges where async preemption must never stop a goroutine.
struct TextRange {
  uintptr lo;
  uintptr hi;
};
std::vector<TextRange> noPreemptText;  // written before any m starts

bool inNoPreemptText(uintptr pc) {
  if (pc >= reinterpret_cast<uintptr>(gort_asm_text_start) &&
      pc < reinterpret_cast<uintptr>(gort_asm_text_end)) {
    return true;
  }
  for (const TextRange& r : noPreemptText) {
    if (pc >= r.lo && pc < r.hi) return true;
  }
  return false;
}

bool isSystemObject(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "libc.so",     "libstdc++",  "libgcc_s",   "ld-linux",   "libm.so",
      "libpthread",  "libdl.so",   "libasan",    "libtsan",    "libubsan",
      "liblsan",     "libabsl",    "libbenchmark", "libgtest", "libgmock",
      "linux-vdso",  "Ucore_Slibcore",  // gort's own core, when linked as a .so
      "googletest",
  };
  for (std::string_view n : kNames) {
    if (name.find(n) != std::string_view::npos) return true;
  }
  return false;
}

int collectNoPreemptText(struct dl_phdr_info* info, size_t, void*) {
  std::string_view name = info->dlpi_name != nullptr ? info->dlpi_name : "";
  if (!isSystemObject(name)) return 0;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X) != 0) {
      uintptr lo = info->dlpi_addr + ph.p_vaddr;
      noPreemptText.push_back({lo, lo + ph.p_memsz});
    }
  }
  return 0;
}

bool wantAsyncPreempt(g* gp) {
  m* mp = gp->m_;
  if (mp == nullptr || gp == mp->g0 || gp->issystem) return false;
  return gp->preempt.load(std::memory_order_relaxed) &&
         (readgstatus(gp) & ~_Gscan) == _Grunning &&
         mp->locks.load(std::memory_order_relaxed) == 0 && mp->mallocing == 0 &&
         !mp->insyscall.load(std::memory_order_relaxed) && mp->preemptoff == nullptr &&
         mp->p_ != nullptr && mp->p_->status.load(std::memory_order_relaxed) == _Prunning;
}

bool isAsyncSafePoint(g* gp, uintptr pc, uintptr sp) {
  if (inNoPreemptText(pc)) return false;
  // The return address goes just below sp: it must be on gp's stack.
  return sp - 8 >= gp->stack_.lo + 256 && sp <= gp->stack_.hi;
}

void sigPreemptHandler(int /*sig*/, siginfo_t* /*info*/, void* ctx) {
  const int saved_errno = errno;
  g* gp = gort_getg();
  if (gp != nullptr && gp->m_ != nullptr) {
    m* mp = gp->m_;
    mp->signalPending.store(false, std::memory_order_relaxed);
    auto* uc = static_cast<ucontext_t*>(ctx);
    greg_t* regs = uc->uc_mcontext.gregs;
    const uintptr pc = static_cast<uintptr>(regs[REG_RIP]);
    const uintptr sp = static_cast<uintptr>(regs[REG_RSP]);
    if (wantAsyncPreempt(gp) && isAsyncSafePoint(gp, pc, sp)) {
      // Make it look like the interrupted code called gort_asyncPreempt.
      const uintptr nsp = sp - 8;
      *reinterpret_cast<uintptr*>(nsp) = pc;
      regs[REG_RSP] = static_cast<greg_t>(nsp);
      regs[REG_RIP] = reinterpret_cast<greg_t>(&gort_asyncPreempt);
      mp->preemptGen.fetch_add(1, std::memory_order_relaxed);
    }
  }
  errno = saved_errno;
}

[[maybe_unused]] void sigSegvHandler(int sig, siginfo_t* info, void* ctx) {
  const uintptr addr = reinterpret_cast<uintptr>(info->si_addr);
  if (isStackGuardAddress(addr)) {
    g* gp = gort_getg();
    char buf[256];
    int n = std::snprintf(buf, sizeof(buf),
                          "runtime: goroutine stack exceeds %lu-byte limit\n"
                          "fatal error: stack overflow\n\ngoroutine %lld [running]:\n",
                          static_cast<unsigned long>(stackSize),
                          static_cast<long long>(gp != nullptr ? gp->goid : 0));
    if (n > 0) (void)!write(2, buf, static_cast<std::size_t>(n));
    _exit(2);
  }
  // Not ours: restore the default action and let the fault happen again.
  (void)ctx;
  signal(sig, SIG_DFL);
}

void installHandler(int sig, void (*handler)(int, siginfo_t*, void*)) {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
  sigfillset(&sa.sa_mask);
  sigaction(sig, &sa, nullptr);
}

std::uintptr_t xsaveSize() {
  unsigned int eax, ebx, ecx, edx;
  if (__get_cpuid_count(0xD, 0, &eax, &ebx, &ecx, &edx) && ebx != 0) return ebx;
  return 4096;
}

}  // namespace

void initSignals() {
  gort_xsave_size = xsaveSize() + 64;
  static bool collected = false;
  if (!collected) {
    dl_iterate_phdr(&collectNoPreemptText, nullptr);
    collected = true;
  }
#if defined(__SANITIZE_THREAD__)
  // ThreadSanitizer delivers signals at its own safe points with its own
  // context, so rewriting the context cannot work: cooperative only.
  asyncPreemptEnabled.store(false);
#endif
  installHandler(sigPreempt, &sigPreemptHandler);
#if !defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer reports stack overflows itself; elsewhere, we do.
  installHandler(SIGSEGV, &sigSegvHandler);
#endif
}

void minitSignals(m* mp) {
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer gives every thread an alternate signal stack of its
  // own (and unmaps it at thread exit): use that one.
  (void)mp;
  return;
#endif
  // An alternate signal stack, so the SIGSEGV of a stack overflow can run.
  if (mp->gsignalStack == nullptr) mp->gsignalStack = std::malloc(kSigStackSize);
  stack_t ss;
  ss.ss_sp = mp->gsignalStack;
  ss.ss_size = kSigStackSize;
  ss.ss_flags = 0;
  sigaltstack(&ss, nullptr);
}

void unminitSignals(m* mp) {
  if (mp->gsignalStack == nullptr) return;
  stack_t ss;
  std::memset(&ss, 0, sizeof(ss));
  ss.ss_flags = SS_DISABLE;
  sigaltstack(&ss, nullptr);
  std::free(mp->gsignalStack);
  mp->gsignalStack = nullptr;
}

void preemptM(m* mp) {
  if (mp->signalPending.exchange(true)) return;  // one in flight is enough
  if (mp->procid == 0) return;
  // tgkill targets the m's thread even while it sits in a syscall.
  syscall(SYS_tgkill, getpid(), mp->procid, sigPreempt);
}

namespace {

// The preempted goroutine's continuation on g0: back to the global queue.
void gopreempt_m(g* gp) {
  releasem(getm());  // the preempted g's acquirem
  goschedImpl(gp);
}

}  // namespace

// Cooperative preemption point (gort::PreemptPoint, and runtime calls).
void checkPreempt() {
  g* gp = getg();
  if (gp == nullptr || gp->m_ == nullptr || gp == gp->m_->g0) return;
  if (!gp->preempt.load(std::memory_order_relaxed)) return;
  m* mp = acquirem();
  if (mp->locks.load(std::memory_order_relaxed) > 1 || mp->preemptoff != nullptr) {
    releasem(mp);
    return;
  }
  mcall(&gopreempt_m);
}

// ---- sysmon -------------------------------------------------------------

void sysmon() {
  std::uint32_t idle = 0;  // how many cycles in succession we had not woken somebody
  std::uint32_t delay = 0;
  std::int64_t lasttrace = 0;
  while (!sched.exiting.load(std::memory_order_acquire)) {
    if (idle == 0) {  // start with 20us sleep...
      delay = 20;
    } else if (idle > 50) {  // start doubling the sleep after 1ms...
      delay *= 2;
    }
    if (delay > 10 * 1000) delay = 10 * 1000;  // up to 10ms
    usleep(delay);
    if (sched.exiting.load(std::memory_order_acquire)) break;
    const std::int64_t now = nanotime();

    // Timers due with no m around to run them: start one (Go does this
    // when the network poller isn't being waited on).
    const std::int64_t next = timeSleepUntil();
    if (next != 0 && next < now && sched.lastpoll.load() != 0) {
      startm(nullptr, false);
    }

    // retake ps blocked in syscalls and preempt long running gs.
    std::uint32_t n = 0;
    if (sched.gcwaiting.load() == 0) retake(now, &n);
    if (n != 0) {
      idle = 0;
    } else {
      idle++;
    }
    if (schedtraceMillis > 0 && lasttrace + schedtraceMillis * 1'000'000LL <= now) {
      lasttrace = now;
      schedtrace(scheddetail);
    }
  }
}

}  // namespace gort::rt

extern "C" void gort_asyncPreempt2() {
  using namespace gort::rt;
  g* gp = getg();
  gp->asyncSafePoint = true;
  acquirem();  // released by gopreempt_m on g0
  mcall(&gopreempt_m);
  gp->asyncSafePoint = false;
}
