// Goroutine stacks. See include/gort/rt/stack.h.
//
// Mirrors the roles of Go 1.19 src/runtime/stack.go (stackalloc, stackfree,
// stackcache) for fixed-size, guard-paged stacks.
#include "include/gort/rt/stack.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "include/gort/rt/asm.h"
#include "include/gort/rt/error.h"
#include "include/gort/rt/lock.h"

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

namespace gort::rt {

uintptr stackSize = 256 * 1024;

namespace {

// Free stacks, and the guard pages of every stack ever handed out (so the
// fault handler can recognise a stack overflow). Guarded by stackLock.
mutex stackLock;
std::vector<stack> stackCache;
std::vector<uintptr> guardPages;  // sorted guard-page addresses

constexpr std::size_t kMaxCachedStacks = 1024;

void addGuard(uintptr guard) {
  auto it = std::lower_bound(guardPages.begin(), guardPages.end(), guard);
  guardPages.insert(it, guard);
}

void removeGuard(uintptr guard) {
  auto it = std::lower_bound(guardPages.begin(), guardPages.end(), guard);
  if (it != guardPages.end() && *it == guard) guardPages.erase(it);
}

}  // namespace

stack stackalloc() {
  lock(&stackLock);
  while (!stackCache.empty()) {
    stack s = stackCache.back();
    stackCache.pop_back();
    if (s.hi - s.lo == stackSize) {
      unlock(&stackLock);
      return s;
    }
    // A stack of an earlier Run with another size: drop it.
    removeGuard(s.lo - kStackGuard);
    munmap(reinterpret_cast<void*>(s.lo - kStackGuard), s.hi - s.lo + kStackGuard);
  }
  unlock(&stackLock);

  const uintptr total = stackSize + kStackGuard;
  void* mem = mmap(nullptr, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (mem == MAP_FAILED) throw_("runtime: cannot allocate goroutine stack (out of memory or mappings)");
  const uintptr base = reinterpret_cast<uintptr>(mem);
  if (mprotect(reinterpret_cast<void*>(base + kStackGuard), stackSize, PROT_READ | PROT_WRITE) != 0) {
    throw_("runtime: cannot commit goroutine stack");
  }
  lock(&stackLock);
  addGuard(base);
  unlock(&stackLock);
  return stack{base + kStackGuard, base + total};
}

void stackfree(stack s) {
  if (s.lo == 0) return;
#if defined(__SANITIZE_ADDRESS__)
  // A g discarded at teardown (parked, never unwound) leaves its frames'
  // redzones poisoned; the stack's next owner must start from clean shadow.
  __asan_unpoison_memory_region(reinterpret_cast<void*>(s.lo), s.hi - s.lo);
#endif
  // Give the touched pages back; the range stays reserved for reuse.
  madvise(reinterpret_cast<void*>(s.lo), s.hi - s.lo, MADV_DONTNEED);
  lock(&stackLock);
  if (stackCache.size() < kMaxCachedStacks) {
    stackCache.push_back(s);
    unlock(&stackLock);
    return;
  }
  removeGuard(s.lo - kStackGuard);
  unlock(&stackLock);
  munmap(reinterpret_cast<void*>(s.lo - kStackGuard), s.hi - s.lo + kStackGuard);
}

void stackcacherelease() {
  lock(&stackLock);
  std::vector<stack> cache;
  cache.swap(stackCache);
  for (const stack& s : cache) removeGuard(s.lo - kStackGuard);
  unlock(&stackLock);
  for (const stack& s : cache) {
    munmap(reinterpret_cast<void*>(s.lo - kStackGuard), s.hi - s.lo + kStackGuard);
  }
}

bool isStackGuardAddress(uintptr addr) {
  // Called from a signal handler: no locks. Reads may race with an
  // insertion, which at worst misreports a crash elsewhere as a plain
  // SIGSEGV; the guard of the faulting stack itself was inserted long ago.
  auto it = std::upper_bound(guardPages.begin(), guardPages.end(), addr);
  if (it == guardPages.begin()) return false;
  --it;
  return addr >= *it && addr < *it + kStackGuard;
}

void gostartcall(g* gp, void (*fn)(g*)) {
#if defined(__SANITIZE_THREAD__)
  if (gp->tsanFiber == nullptr) gp->tsanFiber = __tsan_create_fiber(0);
#endif
  // Build the frame gort_gogo pops (asm_amd64.S): control words, six
  // callee-saved registers with r12 = gp and r13 = fn, and gort_goentry as
  // the resume address.
  uintptr* sp = reinterpret_cast<uintptr*>((gp->stack_.hi - 64) & ~uintptr{15});
  *--sp = 0;                                            // stays 16-aligned
  *--sp = reinterpret_cast<uintptr>(&gort_goentry);     // resume address
  *--sp = 0;                                            // rbp
  *--sp = 0;                                            // rbx
  *--sp = reinterpret_cast<uintptr>(gp);                // r12
  *--sp = reinterpret_cast<uintptr>(fn);                // r13
  *--sp = 0;                                            // r14
  *--sp = 0;                                            // r15
  --sp;
  const std::uint32_t mxcsr = 0x1F80;  // all SSE exceptions masked
  const std::uint16_t fpucw = 0x037F;  // x87 defaults
  std::memcpy(reinterpret_cast<char*>(sp), &mxcsr, 4);
  std::memcpy(reinterpret_cast<char*>(sp) + 4, &fpucw, 2);
  gp->sched.sp = reinterpret_cast<uintptr>(sp);
  gp->sched.g_ = gp;
}

}  // namespace gort::rt
