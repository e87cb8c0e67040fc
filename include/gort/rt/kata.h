// GORT_KATA_TODO: what a kata stub does until the learner writes it.
//
// A stub calls GORT_KATA_TODO("growslice", "chapters/01_slices/README.md#step-5-growslice")
// and fails fast: it throws rt::KataTodoError, whose message names the
// function, the chapter section to read and the file to edit. GoogleTest
// reports it as the failure of the test that called the stub, and the
// workbook CLI (./kata) shows it, so an unwritten kata never hangs or crashes
// without saying why.
#ifndef GORT_RT_KATA_H_
#define GORT_RT_KATA_H_

#include <stdexcept>

namespace gort::rt {

class KataTodoError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// Throws KataTodoError with the message
// "KATA TODO: <function> — read <section>, then write it in <file>".
[[noreturn]] void KataTodo(const char* function, const char* section,
                           const char* file);

}  // namespace gort::rt

#define GORT_KATA_TODO(function, section) \
  ::gort::rt::KataTodo(function, section, __FILE__)

#endif  // GORT_RT_KATA_H_
