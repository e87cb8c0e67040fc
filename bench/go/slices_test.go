// Go benchmarks for the slices chapter. They are the real-Go side of the
// side-by-side comparison: each one mirrors a C++ benchmark of gort's
// append/growslice, with the same name, element type and sizes, so the two
// ns/op figures measure the same work.
//
// Run:
//
//	cd bench/go && go test -bench . -benchtime 200ms
package bench

import (
	"strconv"
	"testing"
	"time"
)

// sink keeps every appended slice reachable from a package-level variable,
// so the compiler cannot prove the append result unused and drop the work.
var sink []int64

// BenchmarkAppendOneAtATime1M appends 1<<20 int64 values one at a time to a
// nil slice per iteration: 38 growslice calls on go1.19.8 linux/amd64 (one
// allocation each; doubling up to 256 elements, then the 1.25x-plus-192
// rule) plus the in-place appends in between. It also reports the cost per
// appended element.
func BenchmarkAppendOneAtATime1M(b *testing.B) {
	const n = 1 << 20
	b.ReportAllocs()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		var s []int64
		for j := 0; j < n; j++ {
			s = append(s, int64(j))
		}
		sink = s
	}
	b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N)/n, "ns/elem")
}

// growOnce measures exactly one growslice call per iteration: s is full
// (len == cap == n), so appending one element must allocate a larger array
// and copy n elements into it. The full slice expression s[:n:n] pins both
// len and cap to n, so every iteration grows and none reuses spare room.
func growOnce(b *testing.B, n int) {
	s := make([]int64, n, n)
	b.ReportAllocs()
	b.SetBytes(int64(n) * 8) // bytes copied by growslice per op
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t := append(s[:n:n], 1)
		sink = t
	}
}

// BenchmarkGrowslice grows a full []int64 of 1024 elements by one: one
// growslice to cap 1536 (1024 + (1024+768)/4 = 1472 elements = 11776 bytes,
// rounded up to the 12288-byte size class) and an 8 KiB copy per op.
func BenchmarkGrowslice(b *testing.B) {
	growOnce(b, 1024)
}

// BenchmarkGrowsliceSizes is BenchmarkGrowslice at a small (doubling rule),
// a medium and a large (page-rounded, > 32 KiB) length.
func BenchmarkGrowsliceSizes(b *testing.B) {
	for _, n := range []int{16, 1024, 65536} {
		b.Run("len="+strconv.Itoa(n), func(b *testing.B) { growOnce(b, n) })
	}
}
