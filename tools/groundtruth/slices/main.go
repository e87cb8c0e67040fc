// Command slices generates the real-Go ground truth for gort's slices
// chapter: the numbers and texts that the chapter's C++ tests expect, taken
// from a real Go toolchain instead of being worked out by hand.
//
// What it writes into the -out directory (default "."):
//
//	slices_go1.19.json   every observation below, plus go_version and GOARCH
//	one_at_a_time.inc    {elem_size, len, cap}: cap steps while appending one
//	                     element at a time to a nil slice
//	bulk_append.inc      {elem_size, old_len, old_cap, added, new_cap}: cap
//	                     after appending a whole slice that forces growth
//	roundupsize.inc      {max_n, rounded}: the allocation size that
//	                     roundupsize gives, one row per run of equal results
//	size_classes.inc     {class, bytes_obj, bytes_span, objects, tail_waste,
//	                     max_waste_x100}: parsed from the toolchain's
//	                     src/runtime/sizeclasses.go
//	panics.inc           {"case_id", "message"}: recovered runtime-error texts
//	uncaught_panic.txt   first stderr lines and exit code of a process that
//	                     dies of an unrecovered slice panic
//
// The .inc files hold only brace-initializer rows, each followed by a comma,
// after one header comment line, so a C++ test includes them inside an
// initializer list:
//
//	const std::vector<GrowthRow> kOneAtATime = {
//	#include "tools/groundtruth/slices/one_at_a_time.inc"
//	};
//
// Regenerate with tools/groundtruth/slices/regen.sh, or by hand:
//
//	cd tools/groundtruth/slices && go run . -out .
//
// It must run from this directory, because it builds the helper program in
// ./uncaught. All output is deterministic for a given Go version and
// GOOS/GOARCH: rows are sorted and no map is iterated while writing.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"unsafe"
)

// ---------------------------------------------------------------------------
// Data model. Field order is the JSON order and, for the .inc files, the
// C++ row order.

// growthRow is one capacity step seen while appending one element at a time.
type growthRow struct {
	ElemSize int `json:"elem_size"`
	Len      int `json:"len"` // length right after the append that grew cap
	Cap      int `json:"cap"` // the new capacity
}

// bulkRow is one append of a whole slice that had to grow the backing array.
type bulkRow struct {
	ElemSize int `json:"elem_size"`
	OldLen   int `json:"old_len"`
	OldCap   int `json:"old_cap"`
	Added    int `json:"added"`
	NewCap   int `json:"new_cap"`
}

// roundRow says: every request of (previous row's MaxN, MaxN] bytes is
// rounded up to Rounded bytes.
type roundRow struct {
	MaxN    int `json:"max_n"`
	Rounded int `json:"rounded"`
}

// sizeClassRow is one line of the comment table in runtime/sizeclasses.go.
type sizeClassRow struct {
	Class        int `json:"class"`
	BytesObj     int `json:"bytes_obj"`
	BytesSpan    int `json:"bytes_span"`
	Objects      int `json:"objects"`
	TailWaste    int `json:"tail_waste"`
	MaxWasteX100 int `json:"max_waste_x100"` // percent * 100, 87.50% -> 8750
	MinAlign     int `json:"min_align"`      // JSON only; not in the .inc row
}

// panicRow is the recovered message of one runtime error.
type panicRow struct {
	ID      string `json:"id"`
	Expr    string `json:"expr"` // the Go code that panicked (JSON only)
	Message string `json:"message"`
}

// uncaughtRow is what a process prints and returns when a panic is not
// recovered.
type uncaughtRow struct {
	ID          string   `json:"id"`
	Expr        string   `json:"expr"`
	ExitCode    int      `json:"exit_code"`
	StderrFirst []string `json:"stderr_first_lines"`
}

type groundTruth struct {
	Generator    string         `json:"generator"`
	GoVersion    string         `json:"go_version"`
	GOOS         string         `json:"goos"`
	GOARCH       string         `json:"goarch"`
	PtrSize      int            `json:"ptr_size"`
	OneAtATime   []growthRow    `json:"one_at_a_time"`
	BulkAppend   []bulkRow      `json:"bulk_append"`
	NotesExample bulkRow        `json:"notes_example"`
	RoundupSweep int            `json:"roundupsize_sweep_max_n"`
	RoundupSize  []roundRow     `json:"roundupsize"`
	SizeClasses  []sizeClassRow `json:"size_classes"`
	Panics       []panicRow     `json:"panics"`
	Uncaught     []uncaughtRow  `json:"uncaught_panics"`
}

const generatorPath = "tools/groundtruth/slices/main.go"

// ---------------------------------------------------------------------------
// Growth probes. Each element size gets its own [N]byte element type, so the
// runtime's growslice sees exactly that element size: 1 takes the size-1
// branch, 8 the pointer-size branch, other powers of two the shift branch,
// and 12, 24, 40, 48 and 100 the general multiply/divide branch; 8192 (one
// page) the shift branch with page-rounded, large arrays.

type probe struct {
	size int
	// oneAtATime appends one element at a time to a nil slice until its
	// length reaches limit and reports every capacity change.
	oneAtATime func(limit int) []growthRow
	// bulk returns cap(append(make([]T, oldLen, oldCap), make([]T, added)...)).
	bulk func(oldLen, oldCap, added int) int
}

func newProbe[T any]() probe {
	var zero T
	size := int(unsafe.Sizeof(zero))
	return probe{
		size: size,
		oneAtATime: func(limit int) []growthRow {
			var rows []growthRow
			var s []T
			prevCap := cap(s)
			for len(s) < limit {
				s = append(s, zero)
				if cap(s) != prevCap {
					rows = append(rows, growthRow{ElemSize: size, Len: len(s), Cap: cap(s)})
					prevCap = cap(s)
				}
			}
			return rows
		},
		bulk: func(oldLen, oldCap, added int) int {
			// The compiler lowers append(s, make([]T, n)...) to its own
			// "extend" sequence, while appending an existing slice takes the
			// ordinary path. Both end in one growslice call with the same
			// requested length, so they must agree; check that they do.
			s := make([]T, oldLen, oldCap)
			viaMake := append(s, make([]T, added)...)
			src := make([]T, added)
			s2 := make([]T, oldLen, oldCap)
			viaSlice := append(s2, src...)
			if cap(viaMake) != cap(viaSlice) {
				fatalf("bulk append disagrees for elem %d (%d,%d,+%d): via make %d, via slice %d",
					size, oldLen, oldCap, added, cap(viaMake), cap(viaSlice))
			}
			return cap(viaMake)
		},
	}
}

// probes lists the element sizes in ascending order.
var probes = []probe{
	newProbe[[1]byte](),
	newProbe[[2]byte](),
	newProbe[[4]byte](),
	newProbe[[8]byte](),
	newProbe[[12]byte](),
	newProbe[[16]byte](),
	newProbe[[24]byte](),
	newProbe[[32]byte](),
	newProbe[[40]byte](),
	newProbe[[48]byte](),
	newProbe[[64]byte](),
	newProbe[[100]byte](),
	// One whole page per element: the array is a large object, rounded to
	// whole pages, so roundupsize changes nothing and the capacities are the
	// raw growth rule (nextslicecap) itself.
	newProbe[[8192]byte](),
}

func probeFor(size int) probe {
	for _, p := range probes {
		if p.size == size {
			return p
		}
	}
	fatalf("no probe for element size %d", size)
	return probe{}
}

// oneAtATimeLimit is the length each one-at-a-time run stops at; page-sized
// elements stop earlier (pageProbeLimit) to keep the run's memory modest.
const (
	oneAtATimeLimit = 20000
	pageProbeLimit  = 5000
)

func collectOneAtATime() []growthRow {
	var rows []growthRow
	for _, p := range probes {
		limit := oneAtATimeLimit
		if p.size >= 8192 {
			limit = pageProbeLimit
		}
		rows = append(rows, p.oneAtATime(limit)...)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].ElemSize != rows[j].ElemSize {
			return rows[i].ElemSize < rows[j].ElemSize
		}
		return rows[i].Len < rows[j].Len
	})
	return rows
}

// bulkElemSizes are the element sizes of the bulk-append table: the size-1
// and pointer-size fast paths and two sizes on the general path.
var bulkElemSizes = []int{1, 8, 24, 40}

// bulkCases returns the (old_len, old_cap, added) triples to try for one
// element size. Cases that do not grow the slice are dropped by the caller.
func bulkCases(elemSize int) [][3]int {
	var cases [][3]int
	add := func(oldLen, oldCap, added int) {
		cases = append(cases, [3]int{oldLen, oldCap, added})
	}
	// From empty: cap is just the request rounded up to a size class (or to
	// whole pages above 32 KiB). The last one asks for just over 32768 bytes.
	for _, k := range []int{1, 5, 7, 9, 17, 33, 100, 1000, 5000} {
		add(0, 0, k)
	}
	add(0, 0, 32768/elemSize+1)
	// Full slice plus one element, around the 256-element switch from
	// doubling to the 1.25x-plus-192 rule, and a few large lengths.
	for _, n := range []int{1, 2, 255, 256, 257, 511, 512, 1023, 1024, 1025, 4096, 100000, 262144} {
		add(n, n, 1)
	}
	// Added more than the old length: the new length exceeds double the
	// old cap, so growslice takes the new length as the starting cap.
	// (2, 2, 3) is the notes' worked example.
	for _, c := range [][2]int{{1, 5}, {2, 3}, {4, 10}, {100, 300}, {300, 700}, {1000, 3000}} {
		add(c[0], c[0], c[1])
	}
	// Added less than the old length: the doubling or 1.25x rule applies,
	// sometimes for more than one round (2000 + 1500 needs two).
	for _, c := range [][2]int{{10, 3}, {200, 100}, {300, 10}, {1000, 100}, {2000, 1500}} {
		add(c[0], c[0], c[1])
	}
	// Spare capacity that is not enough: growth is computed from old cap,
	// not old len.
	for _, c := range [][3]int{{0, 10, 11}, {3, 4, 5}, {5, 8, 10}, {100, 200, 150}, {250, 300, 100}} {
		add(c[0], c[1], c[2])
	}
	return cases
}

func collectBulk() []bulkRow {
	var rows []bulkRow
	for _, size := range bulkElemSizes {
		p := probeFor(size)
		for _, c := range bulkCases(size) {
			oldLen, oldCap, added := c[0], c[1], c[2]
			if oldLen+added <= oldCap {
				continue // no growth, nothing to learn
			}
			rows = append(rows, bulkRow{
				ElemSize: size, OldLen: oldLen, OldCap: oldCap, Added: added,
				NewCap: p.bulk(oldLen, oldCap, added),
			})
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		switch {
		case a.ElemSize != b.ElemSize:
			return a.ElemSize < b.ElemSize
		case a.OldLen != b.OldLen:
			return a.OldLen < b.OldLen
		case a.OldCap != b.OldCap:
			return a.OldCap < b.OldCap
		default:
			return a.Added < b.Added
		}
	})
	for i := 1; i < len(rows); i++ {
		a, b := rows[i-1], rows[i]
		if a.ElemSize == b.ElemSize && a.OldLen == b.OldLen && a.OldCap == b.OldCap && a.Added == b.Added {
			fatalf("duplicate bulk case %+v", b)
		}
	}
	return rows
}

// ---------------------------------------------------------------------------
// roundupsize, observed. Appending n bytes to a nil []byte asks growslice for
// cap n with old cap 0, so the new cap is n itself rounded by roundupsize:
// the size class for small requests, whole 8 KiB pages for large ones.

// roundupSweepMax is the largest request tried. It is a multiple of the
// 8 KiB page, so the last run in the table is complete.
const roundupSweepMax = 9 * 8192 // 73728

func observedRoundup(n int) int {
	return cap(append([]byte(nil), make([]byte, n)...))
}

func collectRoundup() []roundRow {
	var rows []roundRow
	prev := observedRoundup(1)
	for n := 2; n <= roundupSweepMax+1; n++ {
		r := observedRoundup(n)
		if r < n {
			fatalf("roundupsize(%d) observed as %d, which is smaller than the request", n, r)
		}
		if r != prev {
			rows = append(rows, roundRow{MaxN: n - 1, Rounded: prev})
			prev = r
		}
	}
	// Each run must end exactly at its rounded size: a request of exactly a
	// class size (or page multiple) is never rounded further.
	for _, row := range rows {
		if row.MaxN != row.Rounded {
			fatalf("roundupsize run ends at %d but rounds to %d", row.MaxN, row.Rounded)
		}
	}
	if last := rows[len(rows)-1]; last.MaxN != roundupSweepMax {
		fatalf("roundupsize sweep ended at %d, want %d", last.MaxN, roundupSweepMax)
	}
	return rows
}

// ---------------------------------------------------------------------------
// Size classes, parsed from the comment table that heads
// $GOROOT/src/runtime/sizeclasses.go. A data line looks like:
//
//	//     5         48        8192      170          32     31.52%         16

var sizeClassLine = regexp.MustCompile(
	`^//\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\.(\d\d)%\s+(\d+)\s*$`)

func parseSizeClasses(path string) []sizeClassRow {
	f, err := os.Open(path)
	if err != nil {
		fatalf("open size-class table: %v", err)
	}
	defer f.Close()
	var rows []sizeClassRow
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := sizeClassLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		n := make([]int, len(m)-1)
		for i := range n {
			n[i] = atoi(m[i+1])
		}
		rows = append(rows, sizeClassRow{
			Class: n[0], BytesObj: n[1], BytesSpan: n[2], Objects: n[3],
			TailWaste: n[4], MaxWasteX100: n[5]*100 + n[6], MinAlign: n[7],
		})
	}
	if err := sc.Err(); err != nil {
		fatalf("read %s: %v", path, err)
	}
	// The table must be classes 1..67 in order, and each row must be
	// self-consistent: objects*size + tail waste fills the span exactly.
	if len(rows) != 67 {
		fatalf("parsed %d size classes from %s, want 67", len(rows), path)
	}
	for i, r := range rows {
		if r.Class != i+1 {
			fatalf("size class row %d has class %d", i, r.Class)
		}
		if r.Objects*r.BytesObj+r.TailWaste != r.BytesSpan {
			fatalf("size class %d: %d*%d+%d != %d", r.Class, r.Objects, r.BytesObj, r.TailWaste, r.BytesSpan)
		}
	}
	return rows
}

// crossCheck fails unless the observed roundupsize table and the parsed size
// classes describe the same allocator: every class size is a rounded value,
// and every rounded value up to 32 KiB is a class size.
func crossCheck(classes []sizeClassRow, rounds []roundRow) {
	rounded := make(map[int]bool, len(rounds))
	for _, r := range rounds {
		rounded[r.Rounded] = true
	}
	classSize := make(map[int]bool, len(classes))
	for _, c := range classes {
		classSize[c.BytesObj] = true
		if !rounded[c.BytesObj] {
			fatalf("size class %d (%d bytes) never appears as an observed roundupsize result", c.Class, c.BytesObj)
		}
	}
	for _, r := range rounds {
		if r.Rounded <= 32768 && !classSize[r.Rounded] {
			fatalf("observed roundupsize result %d is not a size class", r.Rounded)
		}
		if r.Rounded > 32768 && r.Rounded%8192 != 0 {
			fatalf("observed large roundupsize result %d is not a multiple of 8192", r.Rounded)
		}
	}
}

// ---------------------------------------------------------------------------
// Recovered panics. Every operand that makes an operation fail is read from
// a package-level variable, so the compiler cannot reject it or fold it at
// compile time; the failure comes from the runtime check, as in a real
// program.

var (
	zero     = 0
	one      = 1
	two      = 2
	three    = 3
	four     = 4
	five     = 5
	minusOne = -1
	hugeLen  = 1 << 62 // 1<<62 int64s need 1<<65 bytes: far beyond maxAlloc
	maxInt   = math.MaxInt
	overMax  = 1 << 50 // bytes; more than maxAlloc (1<<48 on linux/amd64)
	abc      = "abc"
	sinkInts []int
	sinkAny  interface{}
)

type panicCase struct {
	id   string
	expr string
	fn   func()
}

func panicCases() []panicCase {
	s3 := func() []int { return []int{1, 2, 3} } // len 3, cap 3
	return []panicCase{
		{"index_5_len_3", "s := []int{1, 2, 3}; _ = s[5]",
			func() { s := s3(); sinkAny = s[five] }},
		{"index_negative_1_len_3", "s := []int{1, 2, 3}; i := -1; _ = s[i]",
			func() { s := s3(); sinkAny = s[minusOne] }},
		{"index_0_nil", "var s []int; _ = s[0]",
			func() { var s []int; sinkAny = s[zero] }},
		{"slice_1_5_cap_3", "s := []int{1, 2, 3}; _ = s[1:5]",
			func() { s := s3(); sinkInts = s[one:five] }},
		{"slice_3_2", "s := []int{1, 2, 3}; i, j := 3, 2; _ = s[i:j]",
			func() { s := s3(); sinkInts = s[three:two] }},
		{"slice_to_5_len_3_cap_3", "s := []int{1, 2, 3}; _ = s[:5]",
			func() { s := s3(); sinkInts = s[:five] }},
		{"slice_from_4_len_3", "s := []int{1, 2, 3}; _ = s[4:]",
			func() { s := s3(); sinkInts = s[four:] }},
		{"slice_from_negative_1", "s := []int{1, 2, 3}; i := -1; _ = s[i:]",
			func() { s := s3(); sinkInts = s[minusOne:] }},
		{"slice3_0_2_5_cap_3", "s := []int{1, 2, 3}; _ = s[0:2:5]",
			func() { s := s3(); sinkInts = s[zero:two:five] }},
		{"slice3_0_3_2", "s := []int{1, 2, 3}; _ = s[0:3:2]",
			func() { s := s3(); sinkInts = s[zero:three:two] }},
		{"slice3_2_1_3", "s := []int{1, 2, 3}; _ = s[2:1:3]",
			func() { s := s3(); sinkInts = s[two:one:three] }},
		{"string_slice_to_5_len_3", `s := "abc"; _ = s[:5]`,
			func() { sinkAny = abc[:five] }},
		{"convert_len_3_to_array_ptr_4", "s := []int{1, 2, 3}; _ = (*[4]int)(s)",
			func() { s := s3(); sinkAny = (*[4]int)(s) }},
		{"makeslice_len_negative", "n := -1; _ = make([]int, n)",
			func() { sinkInts = make([]int, minusOne) }},
		{"makeslice_cap_negative", "n := -1; _ = make([]int, 0, n)",
			func() { sinkInts = make([]int, zero, minusOne) }},
		{"makeslice_cap_less_than_len", "l, c := 2, 1; _ = make([]int, l, c)",
			func() { sinkInts = make([]int, two, one) }},
		{"makeslice_len_too_large", "n := 1 << 62; _ = make([]int64, n)",
			func() { sinkAny = make([]int64, hugeLen) }},
		{"makeslice_cap_too_large", "n := 1 << 62; _ = make([]int64, 0, n)",
			func() { sinkAny = make([]int64, zero, hugeLen) }},
		{"growslice_len_overflow", "s := make([]struct{}, math.MaxInt); _ = append(s, struct{}{})",
			func() {
				// Zero-size elements need no memory, so len can be MaxInt;
				// one more element overflows the new length.
				s := make([]struct{}, maxInt)
				sinkAny = append(s, struct{}{})
			}},
		{"growslice_cap_over_max_alloc", "var b byte; big := unsafe.Slice(&b, 1<<50); _ = append([]byte(nil), big...)",
			func() {
				// big is a view only: growslice rejects the 1<<50-byte
				// request before it reads or allocates anything.
				var b byte
				big := unsafe.Slice(&b, overMax)
				sinkAny = append([]byte(nil), big...)
			}},
	}
}

// recoverMessage runs fn and returns the Error() text of the runtime error
// it panics with. It fails the generator if fn does not panic, or panics
// with something that is not a runtime.Error.
func recoverMessage(c panicCase) (msg string) {
	defer func() {
		r := recover()
		if r == nil {
			fatalf("panic case %s (%s) did not panic", c.id, c.expr)
		}
		re, ok := r.(runtime.Error)
		if !ok {
			fatalf("panic case %s panicked with %T %v, not a runtime.Error", c.id, r, r)
		}
		msg = re.Error()
	}()
	c.fn()
	return ""
}

func collectPanics() []panicRow {
	var rows []panicRow
	for _, c := range panicCases() {
		rows = append(rows, panicRow{ID: c.id, Expr: c.expr, Message: recoverMessage(c)})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].ID < rows[j].ID })
	for i := 1; i < len(rows); i++ {
		if rows[i].ID == rows[i-1].ID {
			fatalf("duplicate panic case id %s", rows[i].ID)
		}
	}
	return rows
}

// ---------------------------------------------------------------------------
// Unrecovered panics: build ./uncaught once, run each case as a separate
// process, and keep its exit code and first stderr lines.

const uncaughtLines = 3

var uncaughtCases = []struct{ id, arg, expr string }{
	{"index_5_len_3", "index", "s := []int{1, 2, 3}; _ = s[5] // in main, no recover"},
	{"makeslice_len_negative", "makeslice", "n := -1; _ = make([]int, n) // in main, no recover"},
}

func goTool() string {
	p := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	p, err := exec.LookPath("go")
	if err != nil {
		fatalf("cannot find the go command: %v", err)
	}
	return p
}

// childEnv is the environment for the helper process, minus the variables
// that would change how a Go process reports a fatal panic.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GOTRACEBACK=") || strings.HasPrefix(kv, "GODEBUG=") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

func collectUncaught() []uncaughtRow {
	if _, err := os.Stat(filepath.Join("uncaught", "main.go")); err != nil {
		fatalf("run this generator from tools/groundtruth/slices (need ./uncaught/main.go): %v", err)
	}
	tmp, err := os.MkdirTemp("", "gort-groundtruth-uncaught-")
	if err != nil {
		fatalf("temp dir: %v", err)
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "uncaught")
	build := exec.Command(goTool(), "build", "-o", bin, "./uncaught")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fatalf("build ./uncaught: %v", err)
	}

	var rows []uncaughtRow
	for _, c := range uncaughtCases {
		var stderr bytes.Buffer
		cmd := exec.Command(bin, c.arg)
		cmd.Env = childEnv()
		cmd.Stderr = &stderr
		err := cmd.Run()
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			fatalf("uncaught case %s: want a non-zero exit, got err=%v", c.id, err)
		}
		lines := strings.Split(stderr.String(), "\n")
		if len(lines) < uncaughtLines {
			fatalf("uncaught case %s: only %d stderr lines: %q", c.id, len(lines), stderr.String())
		}
		rows = append(rows, uncaughtRow{
			ID: c.id, Expr: c.expr, ExitCode: exitErr.ExitCode(),
			StderrFirst: lines[:uncaughtLines],
		})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].ID < rows[j].ID })
	return rows
}

// ---------------------------------------------------------------------------
// Output.

func header(gt *groundTruth) string {
	return fmt.Sprintf("// Generated by %s from %s %s/%s. Do not edit.\n",
		generatorPath, gt.GoVersion, gt.GOOS, gt.GOARCH)
}

// cppString quotes s as a C++ string literal. The texts recorded here are
// printable ASCII; anything else is refused rather than guessed at.
func cppString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
		default:
			fatalf("cannot quote byte %#x in %q for C++", c, s)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func writeFile(dir, name, content string) {
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		fatalf("write %s: %v", path, err)
	}
}

// writeInc writes one .inc file: the header line, then one row per line.
func writeInc(dir, name string, gt *groundTruth, rows []string) {
	var b strings.Builder
	b.WriteString(header(gt))
	for _, r := range rows {
		b.WriteString(r)
		b.WriteString(",\n")
	}
	writeFile(dir, name, b.String())
}

func writeOutputs(dir string, gt *groundTruth) {
	js, err := json.MarshalIndent(gt, "", "  ")
	if err != nil {
		fatalf("json: %v", err)
	}
	writeFile(dir, "slices_go1.19.json", string(js)+"\n")

	var rows []string
	for _, r := range gt.OneAtATime {
		rows = append(rows, fmt.Sprintf("{%d, %d, %d}", r.ElemSize, r.Len, r.Cap))
	}
	writeInc(dir, "one_at_a_time.inc", gt, rows)

	rows = nil
	for _, r := range gt.BulkAppend {
		rows = append(rows, fmt.Sprintf("{%d, %d, %d, %d, %d}", r.ElemSize, r.OldLen, r.OldCap, r.Added, r.NewCap))
	}
	writeInc(dir, "bulk_append.inc", gt, rows)

	rows = nil
	for _, r := range gt.RoundupSize {
		rows = append(rows, fmt.Sprintf("{%d, %d}", r.MaxN, r.Rounded))
	}
	writeInc(dir, "roundupsize.inc", gt, rows)

	rows = nil
	for _, r := range gt.SizeClasses {
		rows = append(rows, fmt.Sprintf("{%d, %d, %d, %d, %d, %d}",
			r.Class, r.BytesObj, r.BytesSpan, r.Objects, r.TailWaste, r.MaxWasteX100))
	}
	writeInc(dir, "size_classes.inc", gt, rows)

	rows = nil
	for _, r := range gt.Panics {
		rows = append(rows, fmt.Sprintf("{%s, %s}", cppString(r.ID), cppString(r.Message)))
	}
	writeInc(dir, "panics.inc", gt, rows)

	// uncaught_panic.txt is for people and for death-test authors: one block
	// per case, stderr lines quoted with Go syntax so empty lines and
	// trailing spaces stay visible.
	var b strings.Builder
	fmt.Fprintf(&b, "# Generated by %s from %s %s/%s. Do not edit.\n", generatorPath, gt.GoVersion, gt.GOOS, gt.GOARCH)
	fmt.Fprintf(&b, "# An unrecovered panic in main: process exit code and the first %d lines of stderr (Go-quoted).\n", uncaughtLines)
	for _, u := range gt.Uncaught {
		fmt.Fprintf(&b, "\ncase: %s\nprogram: %s\nexit_code: %d\n", u.ID, u.Expr, u.ExitCode)
		for i, l := range u.StderrFirst {
			fmt.Fprintf(&b, "stderr[%d]: %s\n", i, strconv.Quote(l))
		}
	}
	writeFile(dir, "uncaught_panic.txt", b.String())
}

func printSummary(gt *groundTruth, out string) {
	fmt.Printf("slices ground truth from %s %s/%s written to %s\n", gt.GoVersion, gt.GOOS, gt.GOARCH, out)
	fmt.Printf("  one_at_a_time.inc  %4d rows\n", len(gt.OneAtATime))
	fmt.Printf("  bulk_append.inc    %4d rows\n", len(gt.BulkAppend))
	fmt.Printf("  roundupsize.inc    %4d rows (sweep 1..%d)\n", len(gt.RoundupSize), gt.RoundupSweep)
	fmt.Printf("  size_classes.inc   %4d rows\n", len(gt.SizeClasses))
	fmt.Printf("  panics.inc         %4d rows\n", len(gt.Panics))
	fmt.Printf("  uncaught_panic.txt %4d cases\n", len(gt.Uncaught))
	e := gt.NotesExample
	fmt.Printf("notes example: []T with %d-byte elems, len %d cap %d, append %d -> cap %d\n",
		e.ElemSize, e.OldLen, e.OldCap, e.Added, e.NewCap)
	for _, p := range gt.Panics {
		fmt.Printf("  panic %-30s %s\n", p.ID, p.Message)
	}
	for _, u := range gt.Uncaught {
		fmt.Printf("  uncaught %-27s exit %d, %q\n", u.ID, u.ExitCode, u.StderrFirst)
	}
}

// ---------------------------------------------------------------------------

func fatalf(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "groundtruth/slices: "+format+"\n", args...)
	os.Exit(1)
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		fatalf("atoi %q: %v", s, err)
	}
	return n
}

func main() {
	out := flag.String("out", ".", "directory to write the generated files into")
	flag.Parse()

	gt := &groundTruth{
		Generator:    generatorPath,
		GoVersion:    runtime.Version(),
		GOOS:         runtime.GOOS,
		GOARCH:       runtime.GOARCH,
		PtrSize:      int(unsafe.Sizeof(uintptr(0))),
		RoundupSweep: roundupSweepMax,
	}
	gt.OneAtATime = collectOneAtATime()
	gt.BulkAppend = collectBulk()
	gt.NotesExample = bulkRow{ElemSize: 8, OldLen: 2, OldCap: 2, Added: 3}
	gt.NotesExample.NewCap = probeFor(8).bulk(2, 2, 3)
	gt.RoundupSize = collectRoundup()
	gt.SizeClasses = parseSizeClasses(filepath.Join(runtime.GOROOT(), "src", "runtime", "sizeclasses.go"))
	crossCheck(gt.SizeClasses, gt.RoundupSize)
	gt.Panics = collectPanics()
	gt.Uncaught = collectUncaught()

	if err := os.MkdirAll(*out, 0o755); err != nil {
		fatalf("mkdir %s: %v", *out, err)
	}
	writeOutputs(*out, gt)
	printSummary(gt, *out)
}
