// Go twins of bench/context_bench.cc: the same work, measured in real Go.
//
// Run: cd bench/go && go test -run '^$' -bench 'WithCancel|CancelParent' -benchtime 500ms
package bench

import (
	"context"
	"runtime"
	"testing"
)

// BenchmarkWithCancelThenCancel: a child of a cancelCtx, created and cancelled.
func BenchmarkWithCancelThenCancel(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	parent, cancelParent := context.WithCancel(context.Background())
	defer cancelParent()
	for i := 0; i < b.N; i++ {
		_, cancel := context.WithCancel(parent)
		cancel()
	}
}

// BenchmarkCancelParentOf1000Children: 1 000 children, then the parent's cancel.
func BenchmarkCancelParentOf1000Children(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	cancels := make([]context.CancelFunc, 0, 1000)
	for i := 0; i < b.N; i++ {
		parent, cancelParent := context.WithCancel(context.Background())
		for j := 0; j < 1000; j++ {
			_, cancel := context.WithCancel(parent)
			cancels = append(cancels, cancel)
		}
		cancelParent()
		cancels = cancels[:0]
	}
}
