// KATA — chapter 04, step 4: work stealing.
//
// Read chapters/04_scheduler/README.md#step-4-work-stealing.
#include "include/gort/rt/error.h"
#include "include/gort/rt/fastrand.h"
#include "include/gort/rt/kata.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sched_internal.h"
#include "include/gort/rt/time.h"

namespace gort::rt {

// Half of pp's queue (rounded up) into batch with one CAS on runqhead;
// if it is empty and stealRunNextG, take runnext (after a short pause if
// pp is running).
std::uint32_t runqgrab(p* /*pp*/, std::array<std::atomic<g*>, kRunqSize>* /*batch*/,
                       std::uint32_t /*batchHead*/, bool /*stealRunNextG*/) {
  GORT_KATA_TODO("runqgrab", "chapters/04_scheduler/README.md#step-4-work-stealing");
}

// Grab into pp's own ring at its tail; return the last one, publish the rest.
g* runqsteal(p* /*pp*/, p* /*p2*/, bool /*stealRunNextG*/) {
  GORT_KATA_TODO("runqsteal", "chapters/04_scheduler/README.md#step-4-work-stealing");
}

// Four rounds over allp in a random order (fastrandn); in the last round
// also run the victims' timers and allow taking runnext.
g* stealWork(std::int64_t /*now*/, bool* /*inheritTime*/, std::int64_t* /*pollUntil*/,
             bool* /*newWork*/) {
  GORT_KATA_TODO("stealWork", "chapters/04_scheduler/README.md#step-4-work-stealing");
}

}  // namespace gort::rt
