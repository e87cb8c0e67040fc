// The main() of every gort test binary: GoogleTest plus a watchdog.
//
// Kata work must never hang the suite: an unwritten or wrong scheduler,
// channel or mutex easily parks forever. The watchdog gives every test a
// time limit (GORT_TEST_TIMEOUT_SECONDS, default 60; 300 under sanitizers)
// and, when a test exceeds it, prints "possible deadlock in Suite.Test" and
// ends the binary with a failure, so Bazel and ./kata report which test hung.
// A death-test child (where gort programs run) gets a watchdog of its own.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

#include "gtest/gtest.h"

namespace {

// The process's stderr as it was at start-up (see Watchdog::Loop).
int g_report_fd = 2;
int ReportFd() { return g_report_fd; }

class Watchdog : public testing::EmptyTestEventListener {
 public:
  explicit Watchdog(std::chrono::seconds limit)
      : limit_(limit), thread_([this] { Loop(); }) {}

  ~Watchdog() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  void OnTestStart(const testing::TestInfo& info) override {
    std::lock_guard<std::mutex> lock(mu_);
    name_ = std::string(info.test_suite_name()) + "." + info.name();
    deadline_ = std::chrono::steady_clock::now() + limit_;
    armed_ = true;
    cv_.notify_all();
  }

  void OnTestEnd(const testing::TestInfo&) override {
    std::lock_guard<std::mutex> lock(mu_);
    armed_ = false;
  }

 private:
  void Loop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      if (!armed_) {
        cv_.wait(lock);
        continue;
      }
      if (cv_.wait_until(lock, deadline_) == std::cv_status::timeout && armed_ &&
          std::chrono::steady_clock::now() >= deadline_) {
        // Not to stderr: while a death test runs, GoogleTest redirects
        // fd 2 to a file it reads when the child ends, and _Exit would
        // throw the message away with it.
        dprintf(ReportFd(),
                "\n[  WATCHDOG ] possible deadlock in %s: still running after "
                "%lld s (GORT_TEST_TIMEOUT_SECONDS)\n",
                name_.c_str(), static_cast<long long>(limit_.count()));
        std::_Exit(1);
      }
    }
  }

  const std::chrono::seconds limit_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;   // guarded by mu_
  bool armed_ = false;  // guarded by mu_
  std::string name_;    // guarded by mu_
  std::chrono::steady_clock::time_point deadline_;  // guarded by mu_
  std::thread thread_;  // last: starts after the fields above exist
};

std::chrono::seconds WatchdogLimit() {
  if (const char* s = std::getenv("GORT_TEST_TIMEOUT_SECONDS")) {
    long v = std::strtol(s, nullptr, 10);
    if (v > 0) return std::chrono::seconds(v);
  }
  return std::chrono::seconds(std::getenv("GORT_SANITIZER") != nullptr ? 300 : 60);
}

// A death-test child (the threadsafe style re-executes this binary with
// --gtest_internal_run_death_test) gets no test events: GoogleTest turns
// event forwarding to listeners off there, so the Watchdog above is never
// armed in it. gort programs run in such children
// (tests/04_scheduler/program.h), and a wedged scheduler would leave the
// child running after the parent gave up. The child gets its own deadline,
// a little shorter than the parent's, so that it is the child that reports
// the hang (the parent then shows the child's message), and a wedged child
// always ends by itself.
void StartDeathTestChildWatchdog(std::chrono::seconds parent_limit) {
  const std::chrono::seconds margin =
      std::max(std::chrono::seconds(1), parent_limit / 10);
  const std::chrono::seconds limit =
      std::max(std::chrono::seconds(1), parent_limit - margin);
  std::string name = GTEST_FLAG_GET(filter);  // the one test the child runs
  std::thread([limit, name] {
    std::this_thread::sleep_for(limit);
    std::fprintf(stderr,
                 "\n[  WATCHDOG ] possible deadlock in a death-test child of %s: still "
                 "running after %lld s (GORT_TEST_TIMEOUT_SECONDS)\n",
                 name.c_str(), static_cast<long long>(limit.count()));
    std::fflush(stderr);
    std::_Exit(1);
  }).detach();
}

}  // namespace

int main(int argc, char** argv) {
  // Death tests re-run the binary instead of forking a threaded process:
  // the watchdog (and later the runtime's own threads) make fork unsafe.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  if (int fd = dup(2); fd >= 0) g_report_fd = fd;
  testing::InitGoogleTest(&argc, argv);
  if (testing::internal::InDeathTestChild()) {
    StartDeathTestChildWatchdog(WatchdogLimit());
  } else {
    // The listener list owns the watchdog and deletes it at exit.
    testing::UnitTest::GetInstance()->listeners().Append(new Watchdog(WatchdogLimit()));
  }
  return RUN_ALL_TESTS();
}
