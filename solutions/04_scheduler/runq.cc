// Run queues: the p's lock-free local ring and the global queue.
//
// Mirrors Go 1.19 src/runtime/proc.go (runqput, runqputslow, runqget,
// runqempty, globrunqput*, globrunqget). Chapter 04, step 1.
//
// The local queue is a ring of kRunqSize (256) slots indexed by runqhead
// and runqtail, which only grow (uint32 wrap-around is fine: t - h is the
// length). The owner p writes the tail with a store-release after filling
// the slot; consumers (the owner, and thieves in runqgrab) advance the head
// with a CAS, so a slot is read before the CAS that gives it up commits.
#include <cstdint>

#include "include/gort/rt/error.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"

namespace gort::rt {

void runqput(p* pp, g* gp, bool next) {
  if (next) {
  retryNext:
    g* oldnext = pp->runnext.load(std::memory_order_relaxed);
    if (!pp->runnext.compare_exchange_strong(oldnext, gp, std::memory_order_acq_rel)) {
      goto retryNext;
    }
    if (oldnext == nullptr) return;
    // Kick the old runnext out to the regular run queue.
    gp = oldnext;
  }

retry:
  std::uint32_t h = pp->runqhead.load(std::memory_order_acquire);  // synchronize with consumers
  std::uint32_t t = pp->runqtail.load(std::memory_order_relaxed);
  if (t - h < kRunqSize) {
    pp->runq[t % kRunqSize].store(gp, std::memory_order_relaxed);
    pp->runqtail.store(t + 1, std::memory_order_release);  // makes the item available
    return;
  }
  if (runqputslow(pp, gp, h, t)) return;
  // The queue is not full now, so the put above must succeed.
  goto retry;
}

bool runqputslow(p* pp, g* gp, std::uint32_t h, std::uint32_t t) {
  g* batch[kRunqSize / 2 + 1];

  // First, grab a batch from the local queue.
  std::uint32_t n = t - h;
  n = n / 2;
  if (n != kRunqSize / 2) throw_("runqputslow: queue is not full");
  for (std::uint32_t i = 0; i < n; i++) {
    batch[i] = pp->runq[(h + i) % kRunqSize].load(std::memory_order_relaxed);
  }
  if (!pp->runqhead.compare_exchange_strong(h, h + n, std::memory_order_acq_rel)) {
    return false;  // a thief got there first; the caller retries
  }
  batch[n] = gp;

  // Link the gs together and put them on the global queue.
  for (std::uint32_t i = 0; i < n; i++) batch[i]->schedlink = batch[i + 1];
  gQueue q;
  q.head = batch[0];
  q.tail = batch[n];
  q.tail->schedlink = nullptr;

  lock(&sched.lock);
  globrunqputbatch(&q, static_cast<std::int32_t>(n + 1));
  unlock(&sched.lock);
  return true;
}

g* runqget(p* pp, bool* inheritTime) {
  // If there's a runnext, it's the next g to run.
  g* next = pp->runnext.load(std::memory_order_relaxed);
  // If the runnext is non-null and the CAS fails, it could only have been
  // stolen by another p, because other ps can race to set runnext to null,
  // but only the current p can set it to non-null. Hence, there's no need
  // to retry this CAS if it fails.
  if (next != nullptr &&
      pp->runnext.compare_exchange_strong(next, nullptr, std::memory_order_acq_rel)) {
    *inheritTime = true;
    return next;
  }

  for (;;) {
    std::uint32_t h = pp->runqhead.load(std::memory_order_acquire);  // synchronize with other consumers
    std::uint32_t t = pp->runqtail.load(std::memory_order_relaxed);
    if (t == h) {
      *inheritTime = false;
      return nullptr;
    }
    g* gp = pp->runq[h % kRunqSize].load(std::memory_order_relaxed);
    if (pp->runqhead.compare_exchange_strong(h, h + 1, std::memory_order_acq_rel)) {
      *inheritTime = false;
      return gp;
    }
  }
}

bool runqempty(p* pp) {
  // Defend against a race where 1) pp has g in runnext but runqhead ==
  // runqtail, 2) runqput on pp kicks g to the runq, 3) runqget on pp
  // empties runnext. Simply observing that runqhead == runqtail and then
  // observing that runnext == null does not mean the queue is empty.
  for (;;) {
    std::uint32_t head = pp->runqhead.load(std::memory_order_acquire);
    std::uint32_t tail = pp->runqtail.load(std::memory_order_acquire);
    g* runnext = pp->runnext.load(std::memory_order_acquire);
    if (tail == pp->runqtail.load(std::memory_order_acquire)) {
      return head == tail && runnext == nullptr;
    }
  }
}

void globrunqput(g* gp) {
  sched.runq.pushBack(gp);
  sched.runqsize++;
}

void globrunqputhead(g* gp) {
  sched.runq.push(gp);
  sched.runqsize++;
}

void globrunqputbatch(gQueue* batch, std::int32_t n) {
  if (batch->empty()) return;
  if (sched.runq.tail == nullptr) {
    sched.runq.head = batch->head;
  } else {
    sched.runq.tail->schedlink = batch->head;
  }
  sched.runq.tail = batch->tail;
  sched.runqsize += n;
  *batch = gQueue{};
}

g* globrunqget(p* pp, std::int32_t max) {
  const std::int32_t size = sched.runqsize.load(std::memory_order_relaxed);
  if (size == 0) return nullptr;

  std::int32_t n = size / gomaxprocs.load(std::memory_order_relaxed) + 1;
  if (n > size) n = size;
  if (max > 0 && n > max) n = max;
  if (n > static_cast<std::int32_t>(kRunqSize / 2)) n = kRunqSize / 2;

  sched.runqsize -= n;

  g* gp = sched.runq.pop();
  n--;
  for (; n > 0; n--) {
    g* gp1 = sched.runq.pop();
    runqput(pp, gp1, false);
  }
  return gp;
}

}  // namespace gort::rt
