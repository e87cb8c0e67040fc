// KATA — chapter 11: context.
//
// Read chapters/11_context/README.md. The structs are given in
// include/gort/context.h; Background, TODO, closedchan, the Value methods
// and the With* constructors other than WithDeadline are written for you in
// solutions/00_core/context.cc.
// Mirrors Go 1.19 src/context/context.go.
#include <memory>
#include <utility>

#include "absl/time/clock.h"
#include "include/gort/context.h"
#include "include/gort/rt/kata.h"
#include "include/gort/rt/sync.h"
#include "include/gort/select.h"

namespace gort::context {

// ---- Step 1: cancelCtx ------------------------------------------------------

chan<Empty> cancelCtx::Done() {
  GORT_KATA_TODO("cancelCtx::Done", "chapters/11_context/README.md#step-1-cancelctx");
}

Error cancelCtx::Err() {
  GORT_KATA_TODO("cancelCtx::Err", "chapters/11_context/README.md#step-1-cancelctx");
}

void cancelCtx::cancel(bool /*removeFromParent*/, Error /*e*/) {
  GORT_KATA_TODO("cancelCtx::cancel", "chapters/11_context/README.md#step-1-cancelctx");
}

// ---- Step 2: propagateCancel, parentCancelCtx, removeChild ------------------

std::shared_ptr<cancelCtx> parentCancelCtx(const Ctx& /*parent*/) {
  GORT_KATA_TODO("parentCancelCtx", "chapters/11_context/README.md#step-2-propagatecancel");
}

void removeChild(const Ctx& parent, cancelCtx* /*child*/) {
  if (parent->Done() == nullptr) return;  // given: step 1 needs only Background parents
  GORT_KATA_TODO("removeChild", "chapters/11_context/README.md#step-2-propagatecancel");
}

void propagateCancel(const Ctx& parent, const std::shared_ptr<cancelCtx>& /*child*/) {
  if (parent->Done() == nullptr) return;  // given: case 1, the parent is never cancelled
  GORT_KATA_TODO("propagateCancel", "chapters/11_context/README.md#step-2-propagatecancel");
}

// ---- Step 3: deadlines ------------------------------------------------------

void timerCtx::cancel(bool /*removeFromParent*/, Error /*e*/) {
  GORT_KATA_TODO("timerCtx::cancel", "chapters/11_context/README.md#step-3-deadlines");
}

std::pair<Ctx, CancelFunc> WithDeadline(Ctx /*parent*/, absl::Time /*d*/) {
  GORT_KATA_TODO("WithDeadline", "chapters/11_context/README.md#step-3-deadlines");
}

// ---- Step 4: values ---------------------------------------------------------

std::any value(Ctx /*c*/, Key /*key*/) {
  GORT_KATA_TODO("value", "chapters/11_context/README.md#step-4-values");
}

}  // namespace gort::context
