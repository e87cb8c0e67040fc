// Go twins of bench/sync_bench.cc: the same work, measured in real Go.
//
// Run: cd bench/go && go test -run '^$' -bench 'Mutex|RWMutex|WaitGroup|Once' -benchtime 500ms
package bench

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// BenchmarkMutexUncontended: Lock + Unlock of a mutex nobody else touches.
func BenchmarkMutexUncontended(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var mu sync.Mutex
	for i := 0; i < b.N; i++ {
		mu.Lock()
		mu.Unlock()
	}
}

// BenchmarkMutexContended2P: a second goroutine hammers the same mutex on
// the other P while the benchmark goroutine does b.N Lock/Unlock pairs.
func BenchmarkMutexContended2P(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	var mu sync.Mutex
	var counter int64
	var stop, stopped atomic.Bool
	go func() {
		for !stop.Load() {
			mu.Lock()
			counter++
			mu.Unlock()
		}
		stopped.Store(true)
	}()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		mu.Lock()
		counter++
		mu.Unlock()
	}
	b.StopTimer()
	stop.Store(true)
	for !stopped.Load() {
		runtime.Gosched()
	}
}

// BenchmarkRWMutexRLockRUnlock: the read path, no writer.
func BenchmarkRWMutexRLockRUnlock(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var rw sync.RWMutex
	for i := 0; i < b.N; i++ {
		rw.RLock()
		rw.RUnlock()
	}
}

// BenchmarkWaitGroupAddDone: Add(1) + Done(), nobody waiting.
func BenchmarkWaitGroupAddDone(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var wg sync.WaitGroup
	for i := 0; i < b.N; i++ {
		wg.Add(1)
		wg.Done()
	}
}

// BenchmarkOnceDoFastPath: Do after the first call.
func BenchmarkOnceDoFastPath(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var once sync.Once
	calls := 0
	f := func() { calls++ }
	once.Do(f)
	for i := 0; i < b.N; i++ {
		once.Do(f)
	}
}
