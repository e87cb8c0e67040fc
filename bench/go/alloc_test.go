// Go twins of bench/alloc_bench.cc: the same allocation patterns, measured
// in real Go (with its GC running, as a Go program would).
//
// Run: cd bench/go && go test -bench 'Ring|Large64K' -benchtime 500ms
package bench

import (
	"runtime"
	"sync"
	"testing"
)

const (
	ringSize      = 1 << 20
	largeRingSize = 64
	largeSize     = 64 << 10
)

// BenchmarkRing16: a ring of 1<<20 live 16-byte objects, each new(...)
// replacing the oldest.
func BenchmarkRing16(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	ring := make([]*[16]byte, ringSize)
	for i := range ring {
		ring[i] = new([16]byte)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := new([16]byte)
		p[0] = byte(i)
		ring[i&(ringSize-1)] = p
	}
}

// BenchmarkRing64: the same with 64-byte objects.
func BenchmarkRing64(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	ring := make([]*[64]byte, ringSize)
	for i := range ring {
		ring[i] = new([64]byte)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := new([64]byte)
		p[0] = byte(i)
		ring[i&(ringSize-1)] = p
	}
}

// BenchmarkLarge64K: 64 KiB objects (large: a span each), 64 live.
func BenchmarkLarge64K(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	ring := make([][]byte, largeRingSize)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := make([]byte, largeSize)
		p[0] = 1
		ring[i&(largeRingSize-1)] = p
	}
}

// BenchmarkRing16TwoPs: two Ps allocating at once, each into its own ring.
func BenchmarkRing16TwoPs(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	var wg sync.WaitGroup
	b.ResetTimer()
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ring := make([]*[16]byte, ringSize/2)
			for i := 0; i < b.N/2; i++ {
				p := new([16]byte)
				p[0] = byte(i)
				ring[i&(ringSize/2-1)] = p
			}
		}()
	}
	wg.Wait()
}
