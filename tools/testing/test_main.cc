// The main() of every gort test binary: GoogleTest plus a watchdog.
//
// Kata work must never hang the suite: an unwritten or wrong scheduler,
// channel or mutex easily parks forever. The watchdog gives every test a
// time limit (GORT_TEST_TIMEOUT_SECONDS, default 60; 300 under sanitizers)
// and, when a test exceeds it, prints "possible deadlock in Suite.Test" and
// ends the binary with a failure, so Bazel and ./kata report which test hung.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

#include "gtest/gtest.h"

namespace {

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
        std::fprintf(stderr,
                     "\n[  WATCHDOG ] possible deadlock in %s: still running after "
                     "%lld s (GORT_TEST_TIMEOUT_SECONDS)\n",
                     name_.c_str(), static_cast<long long>(limit_.count()));
        std::fflush(stderr);
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

// In a death-test child (gort programs run in one each, see
// tests/04_scheduler/program.h) GoogleTest's own failure output is lost:
// only the child's stderr reaches the parent. Echo failures there.
class ChildFailureReporter : public testing::EmptyTestEventListener {
 public:
  void OnTestPartResult(const testing::TestPartResult& result) override {
    if (!result.failed() || !testing::internal::InDeathTestChild()) return;
    std::fprintf(stderr, "%s:%d: Failure\n%s\n",
                 result.file_name() != nullptr ? result.file_name() : "unknown file",
                 result.line_number(), result.message());
  }
};

std::chrono::seconds WatchdogLimit() {
  if (const char* s = std::getenv("GORT_TEST_TIMEOUT_SECONDS")) {
    long v = std::strtol(s, nullptr, 10);
    if (v > 0) return std::chrono::seconds(v);
  }
  return std::chrono::seconds(std::getenv("GORT_SANITIZER") != nullptr ? 300 : 60);
}

}  // namespace

int main(int argc, char** argv) {
  // Death tests re-run the binary instead of forking a threaded process:
  // the watchdog (and later the runtime's own threads) make fork unsafe.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  testing::InitGoogleTest(&argc, argv);
  // The listener list owns the watchdog and deletes it at exit.
  testing::UnitTest::GetInstance()->listeners().Append(new Watchdog(WatchdogLimit()));
  testing::UnitTest::GetInstance()->listeners().Append(new ChildFailureReporter);
  return RUN_ALL_TESTS();
}
