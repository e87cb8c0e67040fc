// Helpers for chapter 04 tests that run whole gort programs.
#ifndef GORT_TESTS_04_SCHEDULER_PROGRAM_H_
#define GORT_TESTS_04_SCHEDULER_PROGRAM_H_

#include <cstdio>
#include <cstdlib>
#include <functional>

#include "gtest/gtest.h"
#include "include/gort/gort.h"

namespace gort::testing {

// Runs `body` as a gort program in a child process and expects it to end
// normally with every assertion inside it passing. A scheduler under
// construction (the kata) can crash or wedge the whole process; in a child
// it fails only this test, and the watchdog still bounds a hang. Assertion
// failures inside the program are printed by the child.
inline void ExpectProgram(std::function<void()> body, Options options = {}) {
  EXPECT_EXIT(
      {
        gort::Run(body, options);
        std::fflush(stdout);
        std::_Exit(::testing::Test::HasFailure() ? 1 : 0);
      },
      ::testing::ExitedWithCode(0), "");
}

// True when running under ThreadSanitizer, which disables signal-based
// preemption (see solutions/00_core/os_linux.cc).
inline bool UnderTsan() {
  const char* s = std::getenv("GORT_SANITIZER");
  return s != nullptr && std::string_view(s) == "tsan";
}

}  // namespace gort::testing

#endif  // GORT_TESTS_04_SCHEDULER_PROGRAM_H_
