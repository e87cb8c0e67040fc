// KATA — chapter 04, step 5: the 4-ary timer heap.
//
// Read chapters/04_scheduler/README.md#step-5-timers. Keep timer::index in step with the vector in
// every function; update pp->timer0When and pp->numTimers.
#include "include/gort/rt/error.h"
#include "include/gort/rt/kata.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/time.h"

namespace gort::rt {

void siftupTimer(std::vector<timer*>& /*timers*/, std::int32_t /*i*/) {
  GORT_KATA_TODO("siftupTimer", "chapters/04_scheduler/README.md#step-5-timers");
}

void siftdownTimer(std::vector<timer*>& /*timers*/, std::int32_t /*i*/) {
  GORT_KATA_TODO("siftdownTimer", "chapters/04_scheduler/README.md#step-5-timers");
}

void doaddtimer(p* /*pp*/, timer* /*t*/) {
  GORT_KATA_TODO("doaddtimer", "chapters/04_scheduler/README.md#step-5-timers");
}

void dodeltimer(p* /*pp*/, std::int32_t /*i*/) {
  GORT_KATA_TODO("dodeltimer", "chapters/04_scheduler/README.md#step-5-timers");
}

}  // namespace gort::rt
