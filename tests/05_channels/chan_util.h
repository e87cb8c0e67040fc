// Helpers for the channel and select tests (chapters 05 and 06).
#ifndef GORT_TESTS_05_CHANNELS_CHAN_UTIL_H_
#define GORT_TESTS_05_CHANNELS_CHAN_UTIL_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/chan.h"
#include "include/gort/rt/lock.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"

namespace gort::testing {

// One row of tools/groundtruth/chan/orders.inc: what a Go 1.19 program
// printed under GOMAXPROCS(1), its events joined by "|".
struct OrderRow {
  const char* name;
  const char* events;
};

inline const std::vector<OrderRow>& GoOrders() {
  static const std::vector<OrderRow> rows = {
#include "tools/groundtruth/chan/orders.inc"
  };
  return rows;
}

// The events Go printed for case `name` (see tools/groundtruth/chan/main.go).
inline std::string GoOrder(std::string_view name) {
  for (const OrderRow& r : GoOrders()) {
    if (name == r.name) return r.events;
  }
  ADD_FAILURE() << "no ground truth for " << name;
  return "";
}

// One row of tools/groundtruth/chan/deaths.inc: how a Go 1.19 program died.
struct DeathRow {
  const char* name;
  int exit_code;
  const char* line1;  // first stderr line
  const char* line3;  // third stderr line (the goroutine header)
};

inline const DeathRow& GoDeath(std::string_view name) {
  static const std::vector<DeathRow> rows = {
#include "tools/groundtruth/chan/deaths.inc"
  };
  for (const DeathRow& r : rows) {
    if (name == r.name) return r;
  }
  static const DeathRow none{"", -1, "", ""};
  ADD_FAILURE() << "no ground truth for " << name;
  return none;
}

// A regex matching Go's stderr for `name`: line 1, an empty line, line 3.
inline std::string GoDeathRegex(std::string_view name) {
  const DeathRow& r = GoDeath(name);
  std::string re;
  for (std::string_view part : {std::string_view(r.line1), std::string_view("\n\n"),
                                std::string_view(r.line3)}) {
    for (char ch : part) {
      if (std::string_view("\\^$.|?*+()[]{}").find(ch) != std::string_view::npos) re += '\\';
      re += ch;
    }
  }
  return re;
}

// An event log for programs on one p (GOMAXPROCS=1): goroutines append in
// the order they run; Joined() spells it like the Go program's output.
class Events {
 public:
  void Say(std::string s) { events_.push_back(std::move(s)); }
  std::string Joined() const { return absl::StrJoin(events_, "|"); }

 private:
  std::vector<std::string> events_;
};

// Whether any user goroutine other than the caller can run now.
inline bool OthersRunnable() {
  rt::g* me = rt::getg();
  bool any = false;
  rt::lock(&rt::allglock);
  for (rt::g* gp : rt::allgs) {
    if (gp == me || gp->issystem) continue;
    const std::uint32_t st = rt::readgstatus(gp) & ~rt::_Gscan;
    if (st == rt::_Grunnable || st == rt::_Grunning || st == rt::_Gsyscall) any = true;
  }
  rt::unlock(&rt::allglock);
  return any;
}

// Go's settle() (the ground-truth programs sleep 20 ms on one p): lets
// every other goroutine run until it blocks. Sleeping a fixed time is not
// enough under a sanitizer, where 20 ms may pass before the others are
// done and the timer puts the sleeper back first; so yield until nobody
// else can run. On one p the others run in the same order either way.
inline void Settle() {
  do {
    Gosched();
  } while (OthersRunnable());
}

// Waits (yielding) until gp is parked with the given reason.
inline void WaitParked(rt::g* gp, rt::waitReason reason) {
  while (rt::readgstatus(gp) != rt::_Gwaiting || gp->waitreason != reason) Gosched();
}

}  // namespace gort::testing

#endif  // GORT_TESTS_05_CHANNELS_CHAN_UTIL_H_
