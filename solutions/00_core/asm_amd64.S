// Context switch for x86-64 System V. Mirrors the roles of Go 1.19
// src/runtime/asm_amd64.s gogo and mcall; see include/gort/rt/asm.h.
//
// Saved frame, from the saved sp upwards:
//   0: mxcsr (4 bytes) | x87 control word (2 bytes) | padding (2 bytes)
//   8: r15   16: r14   24: r13   32: r12   40: rbx   48: rbp   56: resume address

	.text
	.globl gort_asm_text_start
gort_asm_text_start:

// Pushes the callee-saved state below the return address already on the
// stack. Used inline by gort_mcall.
.macro SAVE_CONTEXT
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	subq $8, %rsp
	stmxcsr 0(%rsp)
	fnstcw 4(%rsp)
.endm

.macro RESTORE_CONTEXT
	ldmxcsr 0(%rsp)
	fldcw 4(%rsp)
	addq $8, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
.endm

// void gort_gogo(uintptr sp)
	.globl gort_gogo
	.type gort_gogo, @function
gort_gogo:
	.cfi_startproc
	movq %rdi, %rsp
	RESTORE_CONTEXT
	ret
	.cfi_endproc
	.size gort_gogo, .-gort_gogo

// void gort_mcall(void (*fn)(void*), void* arg, uintptr* save_sp, uintptr new_sp)
	.globl gort_mcall
	.type gort_mcall, @function
gort_mcall:
	.cfi_startproc
	SAVE_CONTEXT
	movq %rsp, (%rdx)
	movq %rcx, %rsp
	andq $-16, %rsp
	// Make the new stack look like a call from nowhere: debuggers and
	// unwinders stop here instead of walking into the old stack.
	xorl %ebp, %ebp
	movq %rdi, %rax
	movq %rsi, %rdi
	pushq $0
	pushq $0
	call *%rax
	ud2  // fn must not return
	.cfi_endproc
	.size gort_mcall, .-gort_mcall

// A new goroutine's stack is prepared (stack.cc) so that gort_gogo
// "returns" here with r12 = argument and r13 = function.
	.globl gort_goentry
	.type gort_goentry, @function
gort_goentry:
	.cfi_startproc
	.cfi_undefined rip
	xorl %ebp, %ebp
	movq %r12, %rdi
	andq $-16, %rsp
	call *%r13
	ud2  // the goroutine body never returns here
	.cfi_endproc
	.size gort_goentry, .-gort_goentry

// The current g of this thread (Go keeps it in TLS too). Initial-exec TLS
// through the GOT works in executables and in shared objects loaded at
// start-up, which is how Bazel links tests.
//
// g* gort_getg(void)
	.globl gort_getg
	.type gort_getg, @function
gort_getg:
	movq gort_tls_g@gottpoff(%rip), %rax
	movq %fs:(%rax), %rax
	ret
	.size gort_getg, .-gort_getg

// void gort_setg(g*)
	.globl gort_setg
	.type gort_setg, @function
gort_setg:
	movq gort_tls_g@gottpoff(%rip), %rax
	movq %rdi, %fs:(%rax)
	ret
	.size gort_setg, .-gort_setg

// m* gort_acquirem(void): g->m->locks++, returning m (null if no g or m).
// In assembly so that it is one step for the async preemption handler,
// which never stops a goroutine inside this file: a goroutine cannot move
// to another thread between reading its m and pinning it.
	.globl gort_acquirem
	.type gort_acquirem, @function
gort_acquirem:
	movq gort_tls_g@gottpoff(%rip), %rax
	movq %fs:(%rax), %rax
	testq %rax, %rax
	jz 1f
	movq (%rax), %rax  // g->m_ (first field)
	testq %rax, %rax
	jz 1f
	incl (%rax)        // m->locks (first field)
1:
	ret
	.size gort_acquirem, .-gort_acquirem

// Async preemption. The signal handler (os_linux.cc) makes the interrupted
// goroutine look as if it had called gort_asyncPreempt from the interrupted
// instruction: it pushes the interrupted pc on the goroutine's stack
// (code built for gort has no red zone: -mno-red-zone) and resumes here.
// We save every register and the extended (x87/SSE/AVX) state, call
// gort_asyncPreempt2, which yields to the scheduler, and restore it all
// when the goroutine runs again, possibly on another thread.
	.globl gort_asyncPreempt
	.type gort_asyncPreempt, @function
gort_asyncPreempt:
	.cfi_startproc
	pushfq
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rbx
	movq gort_xsave_size@GOTPCREL(%rip), %rax
	movq (%rax), %rax
	subq %rax, %rsp
	andq $-64, %rsp
	// The xsave header (bytes 512..575) must start out zero.
	xorl %eax, %eax
	movq %rax, 512(%rsp)
	movq %rax, 520(%rsp)
	movq %rax, 528(%rsp)
	movq %rax, 536(%rsp)
	movq %rax, 544(%rsp)
	movq %rax, 552(%rsp)
	movq %rax, 560(%rsp)
	movq %rax, 568(%rsp)
	movl $-1, %eax
	movl $-1, %edx
	xsave64 (%rsp)
	call gort_asyncPreempt2@PLT
	movl $-1, %eax
	movl $-1, %edx
	xrstor64 (%rsp)
	movq %rbx, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	popfq
	ret
	.cfi_endproc
	.size gort_asyncPreempt, .-gort_asyncPreempt

// uintptr gort_getsp(void)
	.globl gort_getsp
	.type gort_getsp, @function
gort_getsp:
	leaq 8(%rsp), %rax
	ret
	.size gort_getsp, .-gort_getsp

	.globl gort_asm_text_end
gort_asm_text_end:

	.section .tbss,"awT",@nobits
	.globl gort_tls_g
	.type gort_tls_g, @object
	.size gort_tls_g, 8
	.align 8
gort_tls_g:
	.zero 8

	.section .note.GNU-stack,"",@progbits
