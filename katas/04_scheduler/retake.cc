// KATA — chapter 04, step 6: sysmon's retake and preemptone.
//
// Read chapters/04_scheduler/README.md#step-6-syscalls-sysmon-and-preemption.
#include "include/gort/rt/kata.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sched_internal.h"

namespace gort::rt {

// For every p: running too long since sysmon last saw its schedtick
// change (forcePreemptNS)? preemptone. In a syscall for more than one
// sysmon tick (and there is other work, or it's been 10 ms)? CAS it from
// _Psyscall to _Pidle and handoffp. Hold sched.lock while walking allp,
// but not across handoffp.
void retake(std::int64_t /*now*/, std::uint32_t* /*nretaken*/) {
  GORT_KATA_TODO("retake", "chapters/04_scheduler/README.md#step-6-syscalls-sysmon-and-preemption");
}

// Ask pp's running goroutine to stop: set the flags, and send the signal
// when async preemption is on (preemptM).
bool preemptone(p* /*pp*/) {
  GORT_KATA_TODO("preemptone", "chapters/04_scheduler/README.md#step-6-syscalls-sysmon-and-preemption");
}

}  // namespace gort::rt
