// What an unwritten kata function does: fail fast with directions.
#include "include/gort/rt/kata.h"

#include "absl/strings/str_cat.h"

namespace gort::rt {

void KataTodo(const char* function, const char* section, const char* file) {
  throw KataTodoError(absl::StrCat("KATA TODO: ", function, " — read ", section,
                                   ", then write it in ", file));
}

}  // namespace gort::rt
