// The context switch: the few instructions that move a thread from one
// stack to another.
//
// Mirrors Go 1.19 src/runtime/asm_amd64.s (gogo, mcall, and the goexit
// trampoline that a new goroutine "returns" into). Implemented in
// solutions/00_core/asm_amd64.S for x86-64 System V; other targets stop the
// build with #error.
//
// Saved context = the callee-saved registers (rbx, rbp, r12-r15), the SSE
// and x87 control words, and the resume address, all pushed onto the stack
// being left; the stack pointer is the whole "gobuf". Caller-saved
// registers need no saving: every switch is a function call as far as the
// compiler is concerned.
#ifndef GORT_RT_ASM_H_
#define GORT_RT_ASM_H_

#include "include/gort/rt/types.h"

#if !defined(__x86_64__)
#error "gort's context switch is written for x86-64 (System V); see asm_amd64.S"
#endif

namespace gort::rt {
struct g;
}

extern "C" {

// Resumes the context saved at sp. Never returns.
[[noreturn]] void gort_gogo(gort::rt::uintptr sp);

// Saves the current context into *save_sp, switches to the stack at new_sp
// (aligned down to 16) and calls fn(arg) there. fn must not return. The
// saved context resumes, returning from gort_mcall, when someone calls
// gort_gogo(*save_sp).
void gort_mcall(void (*fn)(void* arg), void* arg, gort::rt::uintptr* save_sp,
                gort::rt::uintptr new_sp);

// The first "resume address" of a new goroutine: calls r13(r12) with a
// fresh, aligned frame. See gogoInit in stack.cc.
void gort_goentry();

// The current stack pointer.
gort::rt::uintptr gort_getsp();

// The current g (thread-local) and its setter, and acquirem in one step
// (see asm_amd64.S for why these three live in assembly).
gort::rt::g* gort_getg();
void gort_setg(gort::rt::g* gp);
void* gort_acquirem();

// Async preemption trampoline (see os_linux.cc) and what it calls.
void gort_asyncPreempt();
void gort_asyncPreempt2();
// Bytes the xsave area needs on this CPU (set at start-up).
extern gort::rt::uintptr gort_xsave_size;

// Bounds of the switch code itself: async preemption never lands here.
extern char gort_asm_text_start[];
extern char gort_asm_text_end[];
}

#endif  // GORT_RT_ASM_H_
