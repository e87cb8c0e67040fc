// The timer heap: a 4-ary min-heap per p, ordered by when.
//
// Mirrors Go 1.19 src/runtime/time.go (siftupTimer, siftdownTimer,
// doaddtimer, dodeltimer). Chapter 04, step 5.
//
// Why 4-ary: the heap is shallower than a binary one (log4 n levels), so
// adding a timer touches fewer nodes, and the four children of a node sit
// next to each other in memory, so finding the earliest is cache-friendly.
#include "include/gort/rt/error.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/time.h"

namespace gort::rt {

void siftupTimer(std::vector<timer*>& t, std::int32_t i) {
  if (i >= static_cast<std::int32_t>(t.size())) throw_("timer data corruption");
  timer* tmp = t[i];
  const std::int64_t when = tmp->when;
  if (when <= 0) throw_("timer when must be positive");
  while (i > 0) {
    std::int32_t parent = (i - 1) / 4;  // parent
    if (when >= t[parent]->when) break;
    t[i] = t[parent];
    t[i]->index = i;
    i = parent;
  }
  if (tmp != t[i]) {
    t[i] = tmp;
  }
  t[i]->index = i;
}

void siftdownTimer(std::vector<timer*>& t, std::int32_t i) {
  const std::int32_t n = static_cast<std::int32_t>(t.size());
  if (i >= n) throw_("timer data corruption");
  timer* tmp = t[i];
  const std::int64_t when = tmp->when;
  if (when <= 0) throw_("timer when must be positive");
  for (;;) {
    std::int32_t c = i * 4 + 1;  // left child
    std::int32_t c3 = c + 2;     // mid child
    if (c >= n) break;
    std::int64_t w = t[c]->when;
    if (c + 1 < n && t[c + 1]->when < w) {
      w = t[c + 1]->when;
      c++;
    }
    if (c3 < n) {
      std::int64_t w3 = t[c3]->when;
      if (c3 + 1 < n && t[c3 + 1]->when < w3) {
        w3 = t[c3 + 1]->when;
        c3++;
      }
      if (w3 < w) {
        w = w3;
        c = c3;
      }
    }
    if (w >= when) break;
    t[i] = t[c];
    t[i]->index = i;
    i = c;
  }
  if (tmp != t[i]) {
    t[i] = tmp;
  }
  t[i]->index = i;
}

void doaddtimer(p* pp, timer* t) {
  t->index = static_cast<std::int32_t>(pp->timers.size());
  pp->timers.push_back(t);
  siftupTimer(pp->timers, t->index);
  if (t == pp->timers[0]) pp->timer0When.store(t->when);
  pp->numTimers.fetch_add(1);
}

void dodeltimer(p* pp, std::int32_t i) {
  if (pp->timers[i]->index != i) throw_("dodeltimer: wrong index");
  pp->timers[i]->index = -1;
  const std::int32_t last = static_cast<std::int32_t>(pp->timers.size()) - 1;
  if (i != last) {
    pp->timers[i] = pp->timers[last];
    pp->timers[i]->index = i;
  }
  pp->timers.pop_back();
  if (i != last) {
    // Moving to i may have moved the last timer to a new parent, so sift
    // up to preserve the heap guarantee; then down, for the children.
    siftupTimer(pp->timers, i);
    siftdownTimer(pp->timers, pp->timers[i]->index);
  }
  pp->timer0When.store(pp->timers.empty() ? 0 : pp->timers[0]->when);
  pp->numTimers.fetch_sub(1);
}

}  // namespace gort::rt
