// Helpers for chapter 03 tests: the Go ground truth cases and a Go-like
// printer that gort programs write to.
#ifndef GORT_TESTS_03_DEFER_TEST_UTIL_H_
#define GORT_TESTS_03_DEFER_TEST_UTIL_H_

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"

namespace gort::testing {

// One program of tools/groundtruth/defer/cases/main.go as Go 1.19 ran it.
struct GoCase {
  const char* name;
  int exit_code;
  const char* stdout_text;  // without its final newline
  const char* stderr_head;  // stderr before its first blank line
};

inline constexpr GoCase kGoCases[] = {
#include "tools/groundtruth/defer/cases.inc"
};

inline const GoCase& Case(std::string_view name) {
  for (const GoCase& c : kGoCases) {
    if (name == c.name) return c;
  }
  ADD_FAILURE() << "no ground truth case " << name;
  static const GoCase none{"", -1, "", ""};
  return none;
}

// The program's standard output. Goroutines on several threads may print:
// a lock keeps lines whole. In death tests it echoes to stderr at once, so
// the death test's matcher sees what the program printed before it died.
class Output {
 public:
  void Write(std::string_view s) {
    std::lock_guard<std::mutex> l(mu_);
    text_.append(s);
    if (echo_) {
      std::fwrite(s.data(), 1, s.size(), stderr);
      std::fflush(stderr);
    }
  }
  std::string Take() {
    std::lock_guard<std::mutex> l(mu_);
    std::string t = std::move(text_);
    text_.clear();
    if (!t.empty() && t.back() == '\n') t.pop_back();
    return t;
  }
  void Echo(bool on) { echo_ = on; }

 private:
  std::mutex mu_;
  std::string text_;
  bool echo_ = false;
};

inline Output& Out() {
  static Output* out = new Output;
  return *out;
}

// fmt's %v for the values these programs print.
inline std::string Fmt(const any& v) { return v == nil ? "<nil>" : v.Print(); }
inline std::string Fmt(const char* s) { return s; }
inline std::string Fmt(const std::string& s) { return s; }
inline std::string Fmt(bool b) { return b ? "true" : "false"; }
inline std::string Fmt(int v) { return absl::StrCat(v); }
inline std::string Fmt(long v) { return absl::StrCat(v); }

// fmt.Println: operands separated by spaces, then a newline.
template <class... Args>
void Println(const Args&... args) {
  std::string line;
  ((line += (line.empty() ? "" : " ") + Fmt(args)), ...);
  Out().Write(line + "\n");
}
// fmt.Print of one operand.
template <class Arg>
void Print(const Arg& arg) {
  Out().Write(Fmt(arg));
}

// wg.Wait() until channels exist: yields until cond() holds. Gosched, not
// Sleep: under ThreadSanitizer a 1 ms Sleep has expired by the time the
// goroutine has parked, so the timer readies it straight back into runnext
// and, with one p, the goroutine it waits for may never run.
template <class Cond>
void WaitFor(Cond cond) {
  while (!cond()) Gosched();
}

// Runs body as a gort program in this process and expects its output to
// be Go's for the case (and the program to end normally, exit code 0).
inline void ExpectGoOutput(std::string_view name, std::function<void()> body,
                           Options options = {}) {
  const GoCase& c = Case(name);
  ASSERT_EQ(c.exit_code, 0) << name << " ends with an exit code in Go: use ExpectGoDeath";
  Out().Take();
  gort::Run(body, options);
  EXPECT_EQ(Out().Take(), c.stdout_text) << "case " << name;
}

// The stderr a dying gort program must show for the case: what it printed,
// then Go's stderr head, a blank line and the goroutine header.
inline std::string ExpectedDeath(const GoCase& c, const char* goroutine = "goroutine 1 [running]:") {
  std::string s = c.stdout_text;
  if (!s.empty()) s += "\n";
  return absl::StrCat(s, c.stderr_head, "\n\n", goroutine, "\n");
}

}  // namespace gort::testing

#define GORT_EXPECT_GO_DEATH(name, body)                                        \
  do {                                                                          \
    const ::gort::testing::GoCase& go_case = ::gort::testing::Case(name);       \
    EXPECT_EXIT(                                                                \
        {                                                                       \
          ::gort::testing::Out().Echo(true);                                    \
          ::gort::Run(body);                                                    \
        },                                                                      \
        ::testing::ExitedWithCode(go_case.exit_code),                           \
        ::testing::HasSubstr(::gort::testing::ExpectedDeath(go_case)));         \
  } while (0)

#endif  // GORT_TESTS_03_DEFER_TEST_UTIL_H_
