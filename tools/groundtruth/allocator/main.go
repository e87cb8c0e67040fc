// Command allocator generates the real-Go ground truth for gort's allocator
// chapter (chapter 12): what Go 1.19's mallocgc observably does, recorded on
// a real Go runtime with the collector switched off (debug.SetGCPercent(-1))
// so that nothing is freed while we watch.
//
// Mirrors what Go 1.19 src/runtime/malloc.go, mcache.go and mheap.go do; the
// size-class table itself (objects per span, tail waste) is already recorded
// by tools/groundtruth/slices (size_classes.inc) and is not repeated here.
//
// What it writes into the -out directory (default "."):
//
//	allocator_go1.19.json  every observation below, plus go_version, GOARCH
//	memstats.inc           {size, n, mallocs, frees, heap_alloc, total_alloc,
//	                       heap_objects}: runtime.MemStats deltas around n
//	                       allocations of make([]byte, size) (pointer-free)
//	large_pages.inc        {size, pages}: pages of the span a large object
//	                       gets (HeapInuse delta of one allocation / 8 KiB)
//	facts.inc              {"name", value}: single observed numbers (tiny
//	                       packing, pointerful neighbours, arena alignment)
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"unsafe"
)

type memRow struct {
	Size, N, Mallocs, Frees, HeapAlloc, TotalAlloc, HeapObjects uint64
}

type pagesRow struct {
	Size, Pages uint64
}

type fact struct {
	Name  string
	Value int64
}

type groundTruth struct {
	GoVersion  string
	GOARCH     string
	MemStats   []memRow
	LargePages []pagesRow
	Facts      []fact
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "allocator groundtruth: "+format+"\n", args...)
	os.Exit(1)
}

var sink []any

// allocBytes allocates n pointer-free blocks of size bytes and keeps them.
func allocBytes(size, n int) {
	for i := 0; i < n; i++ {
		sink = append(sink, make([]byte, size))
	}
}

func observeMemStats(gt *groundTruth) {
	sizes := []int{1, 8, 15, 16, 24, 100, 1024, 4000, 32768, 32769, 100000}
	for _, size := range sizes {
		n := 512
		// The sink is a slice of interfaces: grow it first so that appending
		// does not allocate inside the measured window.
		sink = make([]any, 0, n)
		// The interface conversion of a []byte allocates the 24-byte slice
		// header too; measure that cost separately and subtract it.
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		ptrs := make([]unsafe.Pointer, 0, n)
		runtime.ReadMemStats(&after)
		baseMallocs := after.Mallocs - before.Mallocs
		runtime.ReadMemStats(&before)
		for i := 0; i < n; i++ {
			b := make([]byte, size)
			ptrs = append(ptrs, unsafe.Pointer(&b[0]))
		}
		runtime.ReadMemStats(&after)
		sinkPtrs = append(sinkPtrs, ptrs)
		row := memRow{
			Size:        uint64(size),
			N:           uint64(n),
			Mallocs:     after.Mallocs - before.Mallocs,
			Frees:       after.Frees - before.Frees,
			HeapAlloc:   after.HeapAlloc - before.HeapAlloc,
			TotalAlloc:  after.TotalAlloc - before.TotalAlloc,
			HeapObjects: after.HeapObjects - before.HeapObjects,
		}
		// Go counts a tiny allocation that shares a block as both a malloc
		// and a free (readmemstats_m: "for historical reasons"), so only
		// Mallocs is exactly n; Frees + HeapObjects is n for every size.
		if baseMallocs != 1 || row.Mallocs != uint64(n) || row.Frees+row.HeapObjects != uint64(n) {
			fatalf("size %d: mallocs %d (base %d), frees %d, objects %d: want exactly %d", size, row.Mallocs, baseMallocs, row.Frees, row.HeapObjects, n)
		}
		if row.HeapAlloc != row.TotalAlloc {
			fatalf("size %d: HeapAlloc delta %d != TotalAlloc delta %d", size, row.HeapAlloc, row.TotalAlloc)
		}
		gt.MemStats = append(gt.MemStats, row)
	}
}

var sinkPtrs [][]unsafe.Pointer

func observeLargePages(gt *groundTruth) {
	for _, size := range []int{32769, 40000, 40960, 40961, 65536, 100000, 1 << 20, 1<<20 + 1, 5 << 20} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		b := make([]byte, size)
		runtime.ReadMemStats(&after)
		sinkPtrs = append(sinkPtrs, []unsafe.Pointer{unsafe.Pointer(&b[0])})
		delta := after.HeapInuse - before.HeapInuse
		if delta%8192 != 0 || after.HeapAlloc-before.HeapAlloc != delta {
			fatalf("large %d: HeapInuse delta %d, HeapAlloc delta %d", size, delta, after.HeapAlloc-before.HeapAlloc)
		}
		if uintptr(unsafe.Pointer(&b[0]))%8192 != 0 {
			fatalf("large %d: not page aligned", size)
		}
		gt.LargePages = append(gt.LargePages, pagesRow{uint64(size), delta / 8192})
	}
}

type pair struct{ a, b *int64 }

var keepInts []*int64
var keepPtrs []**int

func observeFacts(gt *groundTruth) {
	add := func(name string, v int64) { gt.Facts = append(gt.Facts, fact{name, v}) }

	// Tiny allocator: 8-byte pointer-free objects. Whenever one starts a
	// 16-byte block, the next one is placed right after it in that block.
	const n = 1000
	for i := 0; i < n; i++ {
		keepInts = append(keepInts, new(int64))
	}
	starts, packed := 0, 0
	for i := 0; i+1 < n; i++ {
		a, b := uintptr(unsafe.Pointer(keepInts[i])), uintptr(unsafe.Pointer(keepInts[i+1]))
		if a%16 == 0 {
			starts++
			if b == a+8 {
				packed++
			}
		}
	}
	if starts == 0 || packed != starts {
		fatalf("tiny: %d block starts, %d packed", starts, packed)
	}
	add("tiny_second_8byte_offset", 8)
	add("tiny_block_starts_packed_all", 1)

	// Pointerful 8-byte objects are not tiny: they come from size class 1
	// (8 bytes), one object per slot, so neighbours are 8 bytes apart and
	// never share a 16-byte block with a pointer-free object.
	for i := 0; i < n; i++ {
		keepPtrs = append(keepPtrs, new(*int))
	}
	step8 := 0
	for i := 0; i+1 < n; i++ {
		if uintptr(unsafe.Pointer(keepPtrs[i+1]))-uintptr(unsafe.Pointer(keepPtrs[i])) == 8 {
			step8++
		}
	}
	if step8 < n/2 {
		fatalf("pointerful: only %d of %d neighbours 8 bytes apart", step8, n)
	}
	add("pointerful_8byte_neighbour_step", 8)

	// A 4-byte then an 8-byte pointer-free object in a fresh block: the
	// 8-byte one is aligned to 8 (offset 8, not 4).
	aligned := 0
	for i := 0; i < 200; i++ {
		a := new(int32)
		b := new(int64)
		keepAny = append(keepAny, a, b)
		pa, pb := uintptr(unsafe.Pointer(a)), uintptr(unsafe.Pointer(b))
		if pa%16 == 0 && pb == pa+8 {
			aligned++
		}
		if pa%16 == 0 && pb == pa+4 {
			fatalf("8-byte tiny object at offset 4")
		}
	}
	if aligned == 0 {
		fatalf("never saw a 4-byte object start a block followed by an aligned 8-byte one")
	}
	add("tiny_8byte_after_4byte_offset", 8)

	// The heap arena: Go's first heap addresses on linux/amd64 come from the
	// hint 0x00c0<<32, in 64 MiB arenas.
	p := uintptr(unsafe.Pointer(new([64]byte)))
	add("first_arena_hint_high_bits", int64(p>>32))
	add("heap_arena_bytes", 64<<20)
	add("page_size", 8192)
	add("max_tiny_size", 16)
	add("max_small_size", 32768)
}

var keepAny []any

func header(gt *groundTruth) string {
	return fmt.Sprintf("// Generated by tools/groundtruth/allocator/main.go from %s %s. Do not edit.\n", gt.GoVersion, gt.GOARCH)
}

func writeFile(dir, name, content string) {
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		fatalf("write %s: %v", name, err)
	}
}

func writeInc(dir, name string, gt *groundTruth, rows []string) {
	var b strings.Builder
	b.WriteString(header(gt))
	for _, r := range rows {
		b.WriteString(r + ",\n")
	}
	writeFile(dir, name, b.String())
}

func main() {
	out := flag.String("out", ".", "output directory")
	flag.Parse()
	debug.SetGCPercent(-1)
	runtime.GOMAXPROCS(1)
	runtime.LockOSThread()

	gt := &groundTruth{GoVersion: runtime.Version(), GOARCH: runtime.GOARCH}
	observeFacts(gt)
	observeMemStats(gt)
	observeLargePages(gt)

	js, err := json.MarshalIndent(gt, "", "  ")
	if err != nil {
		fatalf("json: %v", err)
	}
	writeFile(*out, "allocator_go1.19.json", string(js)+"\n")
	var rows []string
	for _, r := range gt.MemStats {
		rows = append(rows, fmt.Sprintf("{%d, %d, %d, %d, %d, %d, %d}", r.Size, r.N, r.Mallocs, r.Frees, r.HeapAlloc, r.TotalAlloc, r.HeapObjects))
	}
	writeInc(*out, "memstats.inc", gt, rows)
	rows = nil
	for _, r := range gt.LargePages {
		rows = append(rows, fmt.Sprintf("{%d, %d}", r.Size, r.Pages))
	}
	writeInc(*out, "large_pages.inc", gt, rows)
	rows = nil
	for _, f := range gt.Facts {
		rows = append(rows, fmt.Sprintf("{%q, %d}", f.Name, f.Value))
	}
	writeInc(*out, "facts.inc", gt, rows)
}
