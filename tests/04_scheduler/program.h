// Helpers for chapter 04 tests that run whole gort programs.
#ifndef GORT_TESTS_04_SCHEDULER_PROGRAM_H_
#define GORT_TESTS_04_SCHEDULER_PROGRAM_H_

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

#include "gtest/gtest.h"
#include "include/gort/defer.h"
#include "include/gort/gort.h"

namespace gort::testing {

// Prints the failures the current test has recorded so far to stderr.
// GoogleTest reports nothing from a death-test child (it turns its event
// listeners off there) and the parent only shows the child's stderr.
inline void PrintFailuresOfThisTest() {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) return;
  const ::testing::TestResult* result = info->result();
  for (int i = 0; i < result->total_part_count(); i++) {
    const ::testing::TestPartResult& part = result->GetTestPartResult(i);
    if (!part.failed()) continue;
    std::fprintf(stderr, "%s:%d: Failure\n%s\n",
                 part.file_name() != nullptr ? part.file_name() : "unknown file",
                 part.line_number(), part.message());
  }
}

// Runs `body` as a gort program in a child process and expects it to end
// normally with every assertion inside it passing. A scheduler under
// construction (the kata) can crash or wedge the whole process; in a child
// it fails only this test, and a hang is bounded by the child's own
// watchdog (tools/testing/test_main.cc), which ends the child with
// "[  WATCHDOG ] possible deadlock in a death-test child of Suite.Test".
// Assertion failures inside the program are printed by the child when the
// program ends, and the parent shows them.
inline void ExpectProgram(std::function<void()> body, Options options = {}) {
  EXPECT_EXIT(
      {
        gort::Run(body, options);
        std::fflush(stdout);
        PrintFailuresOfThisTest();
        std::fflush(stderr);
        std::_Exit(::testing::Test::HasFailure() ? 1 : 0);
      },
      ::testing::ExitedWithCode(0), "");
}

// True when running under ThreadSanitizer, which disables signal-based
// preemption (see solutions/00_core/os_linux.cc).
// Calls f on the current goroutine and recovers a panic, as Go's
//   func() (s string) {
//     defer func() { if r := recover(); r != nil { s = "panic: " + print(r) } }()
//     f(); return "" }()
// would: the panic line Go prints for the value ("panic: send on closed
// channel"), or "" when f returns. Only inside a gort program.
template <class F>
std::string PanicText(F&& f) {
  return Func<std::string>([&](Frame<std::string>& fr, std::string& s) {
    fr.defer([&s] {
      if (any r = recover(); r != nil) s = "panic: " + r.Print();
    });
    f();
    return fr.Return("");
  });
}

inline bool UnderTsan() {
  const char* s = std::getenv("GORT_SANITIZER");
  return s != nullptr && std::string_view(s) == "tsan";
}

}  // namespace gort::testing

#endif  // GORT_TESTS_04_SCHEDULER_PROGRAM_H_
