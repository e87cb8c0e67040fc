// KATA — chapter 04, step 1: the run queues.
//
// Read chapters/04_scheduler/README.md#step-1-run-queues, then replace each GORT_KATA_TODO with your
// code. Contracts: include/gort/rt/proc.h. Go original: src/runtime/proc.go.
// Check with: bazel test //chapters/04_scheduler:kata   (or ./kata test 04)
#include "include/gort/rt/error.h"
#include "include/gort/rt/kata.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"

namespace gort::rt {

// next: swap gp into pp->runnext (CAS) and continue with the kicked g.
// Then: room in the ring (tail - head < kRunqSize)? store, publish the
// tail with a release store. Full? runqputslow, and retry if it fails.
void runqput(p* /*pp*/, g* /*gp*/, bool /*next*/) {
  GORT_KATA_TODO("runqput", "chapters/04_scheduler/README.md#step-1-run-queues");
}

// Copy the oldest half into a batch, claim it with a CAS on runqhead, add
// gp, link them through schedlink and globrunqputbatch under sched.lock.
bool runqputslow(p* /*pp*/, g* /*gp*/, std::uint32_t /*h*/, std::uint32_t /*t*/) {
  GORT_KATA_TODO("runqputslow", "chapters/04_scheduler/README.md#step-1-run-queues");
}

// runnext first (inheritTime = true), then the head with a CAS.
g* runqget(p* /*pp*/, bool* /*inheritTime*/) {
  GORT_KATA_TODO("runqget", "chapters/04_scheduler/README.md#step-1-run-queues");
}

// head == tail and no runnext, read consistently.
bool runqempty(p* /*pp*/) {
  GORT_KATA_TODO("runqempty", "chapters/04_scheduler/README.md#step-1-run-queues");
}

void globrunqput(g* /*gp*/) {
  GORT_KATA_TODO("globrunqput", "chapters/04_scheduler/README.md#step-1-run-queues");
}

void globrunqputhead(g* /*gp*/) {
  GORT_KATA_TODO("globrunqputhead", "chapters/04_scheduler/README.md#step-1-run-queues");
}

void globrunqputbatch(gQueue* /*batch*/, std::int32_t /*n*/) {
  GORT_KATA_TODO("globrunqputbatch", "chapters/04_scheduler/README.md#step-1-run-queues");
}

// The batch size rule is in proc.h; the tests pin Go's numbers.
g* globrunqget(p* /*pp*/, std::int32_t /*max*/) {
  GORT_KATA_TODO("globrunqget", "chapters/04_scheduler/README.md#step-1-run-queues");
}

}  // namespace gort::rt
