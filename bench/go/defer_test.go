// Twins of bench/defer_bench.cc (chapter 03): one deferred call, a
// deferred call Go cannot open-code, and a panic+recover round trip.
package bench

import "testing"

var deferSink int64

//go:noinline
func add(x *int64) { *x += 1 }

//go:noinline
func noDefer(x *int64) { add(x) }

// Open-coded by Go 1.19: no _defer record at all.
//
//go:noinline
func oneDefer(x *int64) {
	defer add(x)
}

// A defer in a loop is never open-coded: a _defer record on the stack.
//
//go:noinline
func deferInLoop(x *int64) {
	for i := 0; i < 1; i++ {
		defer add(x)
	}
}

//go:noinline
func panicRecover(v int64) (r int64) {
	defer func() {
		if recover() != nil {
			r = 1
		}
	}()
	panic(v)
}

func BenchmarkNoDefer(b *testing.B) {
	for i := 0; i < b.N; i++ {
		noDefer(&deferSink)
	}
}

func BenchmarkDefer(b *testing.B) {
	for i := 0; i < b.N; i++ {
		oneDefer(&deferSink)
	}
}

func BenchmarkDeferInLoop(b *testing.B) {
	for i := 0; i < b.N; i++ {
		deferInLoop(&deferSink)
	}
}

func BenchmarkPanicRecover(b *testing.B) {
	var n int64
	for i := 0; i < b.N; i++ {
		n += panicRecover(n)
	}
	deferSink += n
}
