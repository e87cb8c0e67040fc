// Command maps generates the real-Go ground truth for gort's maps chapter:
// the numbers and texts the chapter's C++ tests expect, observed on a real
// Go 1.19 runtime instead of being worked out by hand.
//
// Go does not expose a map's internals, so this program reads them the way
// a debugger would: a map value is a pointer to the runtime's hmap header,
// so *(**hmap)(unsafe.Pointer(&m)) is that header, and hmap below copies the
// field layout of Go 1.19 src/runtime/map.go. The map's type descriptor
// (maptype: key slot size, bucket size, flags) is found the same way through
// the type word of an interface holding the map. Both layouts are checked
// against what the program can observe independently (len(m) against
// hmap.count, the key and elem sizes against unsafe.Sizeof), and the
// program refuses to write anything if they disagree.
//
// What it writes into the -out directory (default "."):
//
//	maps_go1.19.json        every observation below, plus go_version, GOARCH
//	b_after_inserts.inc     {n, B}: B right after the n-th insert into an
//	                        empty map, one row per change of B
//	b_for_hint.inc          {min_hint, max_hint, B}: B of make(map, hint)
//	prealloc.inc            {key_size, elem_size, bucket_size, B, nbuckets}:
//	                        buckets make() allocates, preallocated overflow
//	                        buckets included
//	maptypes.inc            {"name", key_size, elem_size, keysize, elemsize,
//	                        bucketsize, flags}: the compiler's bucket layout
//	evacuation.inc          {new_B, old_buckets, trials, min, max, mean_x100}:
//	                        map writes from the one that starts a doubling
//	                        until the old buckets are all evacuated
//	churn.inc               {B, count, trials, ops_min, ops_max,
//	                        noverflow_at_trigger_min, noverflow_after_max}:
//	                        delete+insert churn at a fixed size until a
//	                        same-size growth starts and ends
//	iteration.inc           {"name", min, max}: iteration-order statistics
//	facts.inc               {"name", value}: single observed numbers (NaN
//	                        and zero keys, nil maps, iteration during writes)
//	panics.inc              {"case_id", "message"}: recovered panic texts
//	uncaught.txt            exit code and first stderr lines of processes
//	                        that die of map misuse (built from ./uncaught)
//
// Statistics come from many trials with fresh maps (so fresh hash seeds);
// their exact values change from run to run, which the header of each
// statistical file says. Everything else is deterministic.
//
// Regenerate with tools/groundtruth/maps/regen.sh, or by hand:
//
//	cd tools/groundtruth/maps && go run . -out .
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"unsafe"
)

const generatorPath = "tools/groundtruth/maps/main.go"

// ---------------------------------------------------------------------------
// The runtime's structures, copied from Go 1.19 src/runtime/map.go and
// type.go (field order and types only).

type hmap struct {
	count      int
	flags      uint8
	B          uint8
	noverflow  uint16
	hash0      uint32
	buckets    unsafe.Pointer
	oldbuckets unsafe.Pointer
	nevacuate  uintptr
	extra      *mapextra
}

type mapextra struct {
	overflow     unsafe.Pointer
	oldoverflow  unsafe.Pointer
	nextOverflow unsafe.Pointer
}

// flag bits of hmap.flags
const sameSizeGrowFlag = 8

type _type struct {
	size       uintptr
	ptrdata    uintptr
	hash       uint32
	tflag      uint8
	align      uint8
	fieldAlign uint8
	kind       uint8
	equal      unsafe.Pointer
	gcdata     unsafe.Pointer
	str        int32
	ptrToThis  int32
}

type maptype struct {
	typ        _type
	key        *_type
	elem       *_type
	bucket     *_type
	hasher     unsafe.Pointer
	keysize    uint8
	elemsize   uint8
	bucketsize uint16
	flags      uint32
}

type eface struct {
	typ  *maptype
	data unsafe.Pointer
}

// header returns the hmap behind m, after checking the copied layout
// against len(m).
func header[K comparable, V any](m map[K]V) *hmap {
	h := *(**hmap)(unsafe.Pointer(&m))
	if h != nil && h.count != len(m) {
		fatalf("hmap layout mismatch: count %d, len %d", h.count, len(m))
	}
	return h
}

// typeOf returns the maptype of m's type, after checking it against the
// key and element sizes the compiler reports.
func typeOf[K comparable, V any](m map[K]V) *maptype {
	var i interface{} = m
	t := (*eface)(unsafe.Pointer(&i)).typ
	var k K
	var v V
	if t.key.size != unsafe.Sizeof(k) || t.elem.size != unsafe.Sizeof(v) {
		fatalf("maptype layout mismatch for %T", m)
	}
	return t
}

// overflowOf reads a bucket's overflow pointer: the last word of the bucket.
func overflowOf(b unsafe.Pointer, bucketsize uintptr) unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Add(b, bucketsize-unsafe.Sizeof(uintptr(0))))
}

// ---------------------------------------------------------------------------
// Data model. Field order is the JSON order and the C++ row order.

type bRow struct {
	N int `json:"n"` // inserts so far
	B int `json:"B"` // B right after insert number N
}

type hintRow struct {
	MinHint int `json:"min_hint"`
	MaxHint int `json:"max_hint"`
	B       int `json:"B"`
}

type preallocRow struct {
	KeySize    int `json:"key_size"`
	ElemSize   int `json:"elem_size"`
	BucketSize int `json:"bucket_size"`
	B          int `json:"B"`
	NBuckets   int `json:"nbuckets"` // 1<<B plus preallocated overflow buckets
}

type maptypeRow struct {
	Name       string `json:"name"`
	KeySize    int    `json:"key_size"`
	ElemSize   int    `json:"elem_size"`
	KeySlot    int    `json:"keysize"`  // bytes of a key slot in the bucket
	ElemSlot   int    `json:"elemsize"` // bytes of an elem slot in the bucket
	BucketSize int    `json:"bucketsize"`
	Flags      int    `json:"flags"` // 1 indirectkey, 2 indirectelem, 4 reflexivekey, 8 needkeyupdate, 16 hashMightPanic
}

type evacRow struct {
	NewB       int `json:"new_B"`
	OldBuckets int `json:"old_buckets"`
	Trials     int `json:"trials"`
	Min        int `json:"min_writes"`
	Max        int `json:"max_writes"`
	MeanX100   int `json:"mean_writes_x100"`
}

type churnRow struct {
	B                int `json:"B"`
	Count            int `json:"count"`
	Trials           int `json:"trials"`
	OpsMin           int `json:"ops_to_same_size_grow_min"`
	OpsMax           int `json:"ops_to_same_size_grow_max"`
	NoverflowTrigMin int `json:"noverflow_at_trigger_min"`
	NoverflowAfter   int `json:"noverflow_after_grow_max"`
}

type statRow struct {
	Name string `json:"name"`
	Min  int    `json:"min"`
	Max  int    `json:"max"`
}

type factRow struct {
	Name  string `json:"name"`
	Value int64  `json:"value"`
}

type panicRow struct {
	ID      string `json:"id"`
	Expr    string `json:"expr"`
	Type    string `json:"type"` // %T of the recovered value (JSON only)
	Message string `json:"message"`
}

type uncaughtRow struct {
	ID          string   `json:"id"`
	Expr        string   `json:"expr"`
	ExitCode    int      `json:"exit_code"`
	StderrFirst []string `json:"stderr_first_lines"`
}

type groundTruth struct {
	Generator      string        `json:"generator"`
	GoVersion      string        `json:"go_version"`
	GOOS           string        `json:"goos"`
	GOARCH         string        `json:"goarch"`
	BAfterInserts  []bRow        `json:"b_after_inserts"`
	BForHint       []hintRow     `json:"b_for_hint"`
	Prealloc       []preallocRow `json:"prealloc"`
	MapTypes       []maptypeRow  `json:"maptypes"`
	Evacuation     []evacRow     `json:"evacuation"`
	Churn          []churnRow    `json:"churn"`
	Iteration      []statRow     `json:"iteration"`
	Facts          []factRow     `json:"facts"`
	Panics         []panicRow    `json:"panics"`
	Uncaught       []uncaughtRow `json:"uncaught"`
	InsertLimit    int           `json:"b_after_inserts_limit"`
	HintLimit      int           `json:"b_for_hint_limit"`
	StatisticsNote string        `json:"statistics_note"`
}

// keys returns n distinct int64 keys: 0..n-1 in order for trial 0, shuffled
// random values for the other trials.
func keys(n, trial int) []int64 {
	ks := make([]int64, n)
	if trial == 0 {
		for i := range ks {
			ks[i] = int64(i)
		}
		return ks
	}
	r := rand.New(rand.NewSource(int64(trial)))
	seen := make(map[int64]bool, n)
	for i := range ks {
		for {
			k := r.Int63()
			if !seen[k] {
				seen[k] = true
				ks[i] = k
				break
			}
		}
	}
	return ks
}

// ---------------------------------------------------------------------------
// B after n inserts. Twenty maps with different keys (and different hash
// seeds) must agree exactly: doubling depends only on the count.

const insertLimit = 10000

func collectBAfterInserts() []bRow {
	var want []bRow
	for trial := 0; trial < 20; trial++ {
		m := make(map[int64]int64)
		var rows []bRow
		prev := -1
		for i, k := range keys(insertLimit, trial) {
			m[k] = 1
			if b := int(header(m).B); b != prev {
				rows = append(rows, bRow{N: i + 1, B: b})
				prev = b
			}
		}
		if trial == 0 {
			want = rows
			continue
		}
		if fmt.Sprint(rows) != fmt.Sprint(want) {
			fatalf("B after inserts differs between trials: %v vs %v", rows, want)
		}
	}
	return want
}

// ---------------------------------------------------------------------------
// B of make(map, hint), hint from -1 (a negative hint is allowed at run
// time and means "no hint") to hintLimit.

const hintLimit = 2000

var hints = func() []int {
	h := make([]int, 0, hintLimit+2)
	for i := -1; i <= hintLimit; i++ {
		h = append(h, i)
	}
	return h
}()

func collectBForHint() []hintRow {
	var rows []hintRow
	for _, hint := range hints {
		b := int(header(make(map[int64]int64, hint)).B)
		if n := len(rows); n > 0 && rows[n-1].B == b {
			rows[n-1].MaxHint = hint
			continue
		}
		rows = append(rows, hintRow{MinHint: hint, MaxHint: hint, B: b})
	}
	return rows
}

// ---------------------------------------------------------------------------
// Preallocated overflow buckets. makeBucketArray adds 1<<(B-4) buckets for
// B >= 4 and rounds the array up to a size class; the spare buckets sit
// right after the 1<<B main ones, h.extra.nextOverflow points at the first,
// and the last one's overflow pointer is set to the bucket array itself as
// an end marker. Count them by walking from nextOverflow to that marker.

type preallocProbe struct {
	keySize, elemSize int
	run               func(hint int) (b int, bucketsize uintptr, nbuckets int)
}

func newPreallocProbe[K comparable, V any]() preallocProbe {
	var k K
	var v V
	return preallocProbe{
		keySize: int(unsafe.Sizeof(k)), elemSize: int(unsafe.Sizeof(v)),
		run: func(hint int) (int, uintptr, int) {
			m := make(map[K]V, hint)
			h := header(m)
			bs := uintptr(typeOf(m).bucketsize)
			n := 1 << h.B
			if h.extra == nil || h.extra.nextOverflow == nil {
				return int(h.B), bs, n
			}
			b := h.extra.nextOverflow
			n++
			for overflowOf(b, bs) == nil {
				b = unsafe.Add(b, bs)
				n++
			}
			if overflowOf(b, bs) != h.buckets {
				fatalf("last preallocated overflow bucket does not point back at the bucket array")
			}
			// The spare buckets must end where the main array's allocation
			// ends: nbuckets whole buckets from h.buckets.
			if uintptr(b)+bs != uintptr(h.buckets)+uintptr(n)*bs {
				fatalf("preallocated overflow buckets are not contiguous")
			}
			return int(h.B), bs, n
		},
	}
}

var preallocProbes = []preallocProbe{
	newPreallocProbe[[1]byte, [1]byte](),
	newPreallocProbe[[4]byte, [4]byte](),
	newPreallocProbe[[8]byte, [8]byte](),
	newPreallocProbe[[8]byte, [32]byte](),
	newPreallocProbe[[16]byte, [8]byte](),
	newPreallocProbe[[32]byte, [8]byte](),
	newPreallocProbe[[24]byte, [100]byte](),
}

// maxHintFor returns the largest hint that makemap maps to B: 8 for B = 0,
// else 6.5 * 2^B (Go's overLoadFactor uses 13 * (2^B / 2)).
func maxHintFor(b int) int {
	if b == 0 {
		return 8
	}
	return 13 * (1 << b / 2)
}

func collectPrealloc() []preallocRow {
	var rows []preallocRow
	for _, p := range preallocProbes {
		for b := 0; b <= 12; b++ {
			gotB, bs, n := p.run(maxHintFor(b))
			if gotB != b {
				fatalf("make(map, %d) has B %d, want %d", maxHintFor(b), gotB, b)
			}
			rows = append(rows, preallocRow{KeySize: p.keySize, ElemSize: p.elemSize,
				BucketSize: int(bs), B: b, NBuckets: n})
		}
	}
	return rows
}

// ---------------------------------------------------------------------------
// The compiler's bucket layout for some map types.

type pair32 struct{ A, B int32 }

func layoutOf[K comparable, V any](name string) maptypeRow {
	m := map[K]V{}
	t := typeOf(m)
	return maptypeRow{Name: name, KeySize: int(t.key.size), ElemSize: int(t.elem.size),
		KeySlot: int(t.keysize), ElemSlot: int(t.elemsize), BucketSize: int(t.bucketsize),
		Flags: int(t.flags)}
}

func collectMapTypes() []maptypeRow {
	return []maptypeRow{
		layoutOf[int64, int64]("map[int64]int64"),
		layoutOf[int32, int8]("map[int32]int8"),
		layoutOf[uint8, uint8]("map[uint8]uint8"),
		layoutOf[int64, bool]("map[int64]bool"),
		layoutOf[float64, int64]("map[float64]int64"),
		layoutOf[float32, int32]("map[float32]int32"),
		layoutOf[pair32, int64]("map[struct{a,b int32}]int64"),
		layoutOf[[128]byte, int64]("map[[128]byte]int64"),
		layoutOf[[129]byte, int64]("map[[129]byte]int64"),
		layoutOf[int64, [128]byte]("map[int64][128]byte"),
		layoutOf[int64, [129]byte]("map[int64][129]byte"),
		layoutOf[string, int64]("map[string]int64"),
	}
}

// ---------------------------------------------------------------------------
// Incremental evacuation. Insert into an empty map until insert number
// 13*2^(B-2)+1 doubles it to B; count that write and every later insert of
// a new key until h.oldbuckets is nil again. Each write evacuates the old
// bucket it needs plus the one at nevacuate, so the count lies between
// half the old bucket count and the old bucket count; where in between
// depends on the hash seed.

func collectEvacuation() []evacRow {
	var rows []evacRow
	for newB := 1; newB <= 12; newB++ {
		trials := 200
		row := evacRow{NewB: newB, OldBuckets: 1 << (newB - 1), Trials: trials, Min: math.MaxInt}
		total := 0
		r := rand.New(rand.NewSource(int64(newB)))
		for trial := 0; trial < trials; trial++ {
			m := make(map[int64]int64)
			h := header(m)
			writes := 0
			for {
				m[r.Int63()] = 1
				if writes > 0 || int(h.B) == newB {
					writes++
					if h.oldbuckets == nil {
						break
					}
				}
			}
			if h.B != uint8(newB) {
				fatalf("evacuation to B=%d: B moved on to %d", newB, h.B)
			}
			total += writes
			if writes < row.Min {
				row.Min = writes
			}
			if writes > row.Max {
				row.Max = writes
			}
		}
		row.MeanX100 = int(math.Round(float64(total) * 100 / float64(trials)))
		rows = append(rows, row)
	}
	return rows
}

// ---------------------------------------------------------------------------
// Same-size growth. Fill a map to one below its doubling point, then churn:
// delete the oldest key and insert a new one, so the count (and so B) never
// changes. Keys leave some buckets and arrive in others; a full chain gets a
// new overflow bucket while emptied slots elsewhere stay allocated, so
// noverflow climbs until it reaches 2^B and a same-size growth repacks the
// map.

func collectChurn() []churnRow {
	var rows []churnRow
	for _, b := range []int{5, 8} {
		const trials = 20
		count := maxHintFor(b) // the most keys B buckets hold without doubling
		row := churnRow{B: b, Count: count, Trials: trials, OpsMin: math.MaxInt, NoverflowTrigMin: math.MaxInt}
		for trial := 0; trial < trials; trial++ {
			m := make(map[int64]int64)
			for i := 0; i < count; i++ {
				m[int64(i)] = 1
			}
			h := header(m)
			if int(h.B) != b || h.oldbuckets != nil {
				fatalf("churn setup: B %d, growing %v; want B %d, not growing", h.B, h.oldbuckets != nil, b)
			}
			oldest, next := int64(0), int64(count)
			ops, trigger := 0, -1
			lastNoverflow := 0
			for ; ops < 1000000; ops++ {
				delete(m, oldest)
				oldest++
				before := int(h.noverflow)
				m[next] = 1
				next++
				if int(h.B) != b {
					fatalf("churn at B=%d changed B to %d", b, h.B)
				}
				if trigger < 0 && h.oldbuckets != nil {
					if h.flags&sameSizeGrowFlag == 0 {
						fatalf("churn started a growth that is not same-size")
					}
					trigger = ops + 1
					lastNoverflow = before
				}
				if trigger >= 0 && h.oldbuckets == nil {
					break
				}
			}
			if trigger < 0 || h.oldbuckets != nil {
				fatalf("churn at B=%d: no complete same-size growth in %d ops", b, ops)
			}
			if trigger < row.OpsMin {
				row.OpsMin = trigger
			}
			if trigger > row.OpsMax {
				row.OpsMax = trigger
			}
			if lastNoverflow < row.NoverflowTrigMin {
				row.NoverflowTrigMin = lastNoverflow
			}
			if int(h.noverflow) > row.NoverflowAfter {
				row.NoverflowAfter = int(h.noverflow)
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// ---------------------------------------------------------------------------
// Iteration order and iteration during writes.

func iterOrder(m map[int64]int64) string {
	var b strings.Builder
	for k := range m {
		b.WriteString(strconv.FormatInt(k, 10))
		b.WriteByte(',')
	}
	return b.String()
}

func collectIteration() []statRow {
	const trials = 20
	const loops = 1000
	orders := statRow{Name: "distinct_orders_100_keys_1000_ranges", Min: math.MaxInt}
	firsts := statRow{Name: "distinct_first_keys_100_keys_1000_ranges", Min: math.MaxInt}
	pairs := statRow{Name: "differing_first_key_1000_map_pairs", Min: math.MaxInt}
	for trial := 0; trial < trials; trial++ {
		m := make(map[int64]int64)
		for i := int64(0); i < 100; i++ {
			m[i] = i
		}
		seenOrder := map[string]bool{}
		seenFirst := map[int64]bool{}
		for l := 0; l < loops; l++ {
			seenOrder[iterOrder(m)] = true
			for k := range m {
				seenFirst[k] = true
				break
			}
		}
		orders.Min, orders.Max = minInt(orders.Min, len(seenOrder)), maxInt(orders.Max, len(seenOrder))
		firsts.Min, firsts.Max = minInt(firsts.Min, len(seenFirst)), maxInt(firsts.Max, len(seenFirst))

		differ := 0
		for p := 0; p < loops; p++ {
			a, b := map[int64]int64{}, map[int64]int64{}
			for i := int64(0); i < 100; i++ {
				a[i], b[i] = i, i
			}
			if iterOrder(a)[:3] != iterOrder(b)[:3] {
				differ++
			}
		}
		pairs.Min, pairs.Max = minInt(pairs.Min, differ), maxInt(pairs.Max, differ)
	}

	// Insert during iteration: start ranging over a map that is in the
	// middle of doubling, insert 1000 new keys while iterating (which also
	// drives evacuation), and count how many of the new keys the range sees.
	// Old keys must be seen exactly once and nothing twice.
	seenNew := statRow{Name: "new_keys_seen_inserting_1000_during_range_mid_growth", Min: math.MaxInt}
	for trial := 0; trial < trials; trial++ {
		m := make(map[int64]int64)
		h := header(m)
		n := int64(0)
		for h.B < 10 || h.oldbuckets == nil {
			m[n] = n
			n++
		}
		old := n
		seen := map[int64]int{}
		newSeen := 0
		for k := range m {
			seen[k]++
			if seen[k] > 1 {
				fatalf("range during growth produced key %d twice", k)
			}
			if k >= old {
				newSeen++
			}
			if n < old+1000 {
				m[n] = n
				n++
			}
		}
		for k := int64(0); k < old; k++ {
			if seen[k] != 1 {
				fatalf("range during growth saw old key %d %d times", k, seen[k])
			}
		}
		seenNew.Min, seenNew.Max = minInt(seenNew.Min, newSeen), maxInt(seenNew.Max, newSeen)
	}
	return []statRow{orders, firsts, pairs, seenNew}
}

func minInt(a, b int) int {
	if a < b {
		return a
	}
	return b
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// ---------------------------------------------------------------------------
// Single facts. Operands come from package-level variables so the compiler
// cannot fold anything.

var (
	nan     = math.NaN()
	negZero = math.Copysign(0, -1)
	posZero = 0.0
	nilMap  map[string]int
	strKey  = "k"
)

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func collectFacts() []factRow {
	var f []factRow
	add := func(name string, v int64) { f = append(f, factRow{name, v}) }

	// NaN keys: every insert adds an entry; none can be found or deleted.
	m := map[float64]int{}
	m[nan], m[nan], m[nan] = 1, 2, 3
	add("nan_len_after_3_inserts", int64(len(m)))
	_, ok := m[nan]
	add("nan_lookup_ok", b2i(ok))
	delete(m, nan)
	add("nan_len_after_delete", int64(len(m)))
	sum, count := 0, 0
	for k, v := range m {
		if k == k {
			fatalf("a NaN key compared equal to itself")
		}
		sum += v
		count++
	}
	add("nan_range_count", int64(count))
	add("nan_range_value_sum", int64(sum))
	// In Go 1.19 this loop is not compiled to mapclear for float keys
	// (their equality is not reflexive), so the NaN entries survive it.
	for k := range m {
		delete(m, k)
	}
	add("nan_len_after_range_delete_loop", int64(len(m)))

	// +0 and -0 are the same key; the stored key follows the last write.
	z := map[float64]int{}
	z[posZero] = 1
	z[negZero] = 2
	add("zero_len_after_pos_then_neg", int64(len(z)))
	for k, v := range z {
		add("zero_key_signbit_after_pos_then_neg", b2i(math.Signbit(k)))
		add("zero_value_after_pos_then_neg", int64(v))
	}

	// nil maps: reads, lookups, deletes and ranges are fine.
	add("nil_len", int64(len(nilMap)))
	add("nil_read_value", int64(nilMap[strKey]))
	_, ok = nilMap[strKey]
	add("nil_lookup_ok", b2i(ok))
	delete(nilMap, strKey)
	count = 0
	for range nilMap {
		count++
	}
	add("nil_range_count", int64(count))

	// make with a negative hint at run time is allowed.
	neg := -1
	add("make_negative_hint_len", int64(len(make(map[int]int, neg))))

	// Delete during range: a key deleted before the range reaches it is
	// never produced.
	d := map[int64]int64{}
	for i := int64(0); i < 1000; i++ {
		d[i] = i
	}
	produced := 0
	for k := range d {
		produced++
		// delete the key and the next one; the next one must not show up
		delete(d, k)
		delete(d, k^1)
	}
	add("delete_pairs_during_range_1000_keys_produced", int64(produced))
	add("delete_pairs_during_range_len_after", int64(len(d)))

	// A map cleared by the range-delete loop keeps its buckets (B).
	c := map[int64]int64{}
	for i := int64(0); i < 1000; i++ {
		c[i] = i
	}
	bBefore := header(c).B
	for k := range c {
		delete(c, k)
	}
	add("range_delete_all_1000_B_before", int64(bBefore))
	add("range_delete_all_1000_B_after", int64(header(c).B))
	add("range_delete_all_1000_len_after", int64(len(c)))

	sort.Slice(f, func(i, j int) bool { return f[i].Name < f[j].Name })
	return f
}

// ---------------------------------------------------------------------------
// Recovered panics.

func collectPanics() []panicRow {
	row := panicRow{ID: "nil_map_assign", Expr: `var m map[string]int; m["k"] = 1`}
	func() {
		defer func() {
			r := recover()
			if r == nil {
				fatalf("assigning to a nil map did not panic")
			}
			re, ok := r.(runtime.Error)
			if !ok {
				fatalf("nil map assign panicked with %T, not a runtime.Error", r)
			}
			row.Type = fmt.Sprintf("%T", r)
			row.Message = re.Error()
		}()
		nilMap[strKey] = 1
	}()
	return []panicRow{row}
}

// ---------------------------------------------------------------------------
// Processes that die: build ./uncaught once, run each case.

var uncaughtCases = []struct {
	id, arg, expr string
	lines         int
}{
	{"nil_map_assign", "nilmap", `var m map[string]int; m["k"] = 1 // in main, no recover`, 3},
	{"concurrent_map_writes", "writes", "two goroutines: for i := 0; ; i++ { m[2*i+g] = i }", 1},
	{"concurrent_map_read_and_map_write", "readwrite", "one goroutine writes m[i&1023], another reads m[i&1023]", 1},
	{"concurrent_map_iteration_and_map_write", "iterwrite", "one goroutine writes m[i&1023], another ranges over m", 1},
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

func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GOTRACEBACK=") || strings.HasPrefix(kv, "GODEBUG=") ||
			strings.HasPrefix(kv, "GOMAXPROCS=") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

func collectUncaught() []uncaughtRow {
	if _, err := os.Stat(filepath.Join("uncaught", "main.go")); err != nil {
		fatalf("run this generator from tools/groundtruth/maps (need ./uncaught/main.go): %v", err)
	}
	tmp, err := os.MkdirTemp("", "gort-groundtruth-maps-")
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
		if len(lines) < c.lines {
			fatalf("uncaught case %s: only %d stderr lines: %q", c.id, len(lines), stderr.String())
		}
		rows = append(rows, uncaughtRow{ID: c.id, Expr: c.expr, ExitCode: exitErr.ExitCode(),
			StderrFirst: lines[:c.lines]})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].ID < rows[j].ID })
	return rows
}

// ---------------------------------------------------------------------------
// Output.

const statisticsNote = "evacuation.inc, churn.inc and iteration.inc summarise many trials " +
	"with random hash seeds: regenerating changes their numbers slightly."

func header1(gt *groundTruth) string {
	return fmt.Sprintf("// Generated by %s from %s %s/%s. Do not edit.\n",
		generatorPath, gt.GoVersion, gt.GOOS, gt.GOARCH)
}

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

func writeInc(dir, name string, gt *groundTruth, statistical bool, rows []string) {
	var b strings.Builder
	b.WriteString(header1(gt))
	if statistical {
		b.WriteString("// Statistics over trials with random hash seeds: numbers vary slightly between runs.\n")
	}
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
	writeFile(dir, "maps_go1.19.json", string(js)+"\n")

	var rows []string
	for _, r := range gt.BAfterInserts {
		rows = append(rows, fmt.Sprintf("{%d, %d}", r.N, r.B))
	}
	writeInc(dir, "b_after_inserts.inc", gt, false, rows)

	rows = nil
	for _, r := range gt.BForHint {
		rows = append(rows, fmt.Sprintf("{%d, %d, %d}", r.MinHint, r.MaxHint, r.B))
	}
	writeInc(dir, "b_for_hint.inc", gt, false, rows)

	rows = nil
	for _, r := range gt.Prealloc {
		rows = append(rows, fmt.Sprintf("{%d, %d, %d, %d, %d}", r.KeySize, r.ElemSize, r.BucketSize, r.B, r.NBuckets))
	}
	writeInc(dir, "prealloc.inc", gt, false, rows)

	rows = nil
	for _, r := range gt.MapTypes {
		rows = append(rows, fmt.Sprintf("{%s, %d, %d, %d, %d, %d, %d}", cppString(r.Name),
			r.KeySize, r.ElemSize, r.KeySlot, r.ElemSlot, r.BucketSize, r.Flags))
	}
	writeInc(dir, "maptypes.inc", gt, false, rows)

	rows = nil
	for _, r := range gt.Evacuation {
		rows = append(rows, fmt.Sprintf("{%d, %d, %d, %d, %d, %d}", r.NewB, r.OldBuckets, r.Trials, r.Min, r.Max, r.MeanX100))
	}
	writeInc(dir, "evacuation.inc", gt, true, rows)

	rows = nil
	for _, r := range gt.Churn {
		rows = append(rows, fmt.Sprintf("{%d, %d, %d, %d, %d, %d, %d}", r.B, r.Count, r.Trials,
			r.OpsMin, r.OpsMax, r.NoverflowTrigMin, r.NoverflowAfter))
	}
	writeInc(dir, "churn.inc", gt, true, rows)

	rows = nil
	for _, r := range gt.Iteration {
		rows = append(rows, fmt.Sprintf("{%s, %d, %d}", cppString(r.Name), r.Min, r.Max))
	}
	writeInc(dir, "iteration.inc", gt, true, rows)

	rows = nil
	for _, r := range gt.Facts {
		rows = append(rows, fmt.Sprintf("{%s, %d}", cppString(r.Name), r.Value))
	}
	writeInc(dir, "facts.inc", gt, false, rows)

	rows = nil
	for _, r := range gt.Panics {
		rows = append(rows, fmt.Sprintf("{%s, %s}", cppString(r.ID), cppString(r.Message)))
	}
	writeInc(dir, "panics.inc", gt, false, rows)

	var b strings.Builder
	fmt.Fprintf(&b, "# Generated by %s from %s %s/%s. Do not edit.\n", generatorPath, gt.GoVersion, gt.GOOS, gt.GOARCH)
	b.WriteString("# Processes that die of map misuse: exit code and the first stderr lines (Go-quoted).\n")
	b.WriteString("# For the races only the first line is kept: the goroutine that notices varies.\n")
	for _, u := range gt.Uncaught {
		fmt.Fprintf(&b, "\ncase: %s\nprogram: %s\nexit_code: %d\n", u.ID, u.Expr, u.ExitCode)
		for i, l := range u.StderrFirst {
			fmt.Fprintf(&b, "stderr[%d]: %s\n", i, strconv.Quote(l))
		}
	}
	writeFile(dir, "uncaught.txt", b.String())
}

func printSummary(gt *groundTruth, out string) {
	fmt.Printf("maps ground truth from %s %s/%s written to %s\n", gt.GoVersion, gt.GOOS, gt.GOARCH, out)
	fmt.Printf("  B after inserts: %v\n", gt.BAfterInserts)
	fmt.Printf("  B for hint:      %v\n", gt.BForHint)
	for _, r := range gt.MapTypes {
		fmt.Printf("  maptype %-30s %+v\n", r.Name, r)
	}
	for _, r := range gt.Evacuation {
		fmt.Printf("  evacuation %+v\n", r)
	}
	for _, r := range gt.Churn {
		fmt.Printf("  churn %+v\n", r)
	}
	for _, r := range gt.Iteration {
		fmt.Printf("  iteration %+v\n", r)
	}
	for _, r := range gt.Facts {
		fmt.Printf("  fact %-50s %d\n", r.Name, r.Value)
	}
	for _, p := range gt.Panics {
		fmt.Printf("  panic %s (%s): %q\n", p.ID, p.Type, p.Message)
	}
	for _, u := range gt.Uncaught {
		fmt.Printf("  uncaught %-40s exit %d, %q\n", u.ID, u.ExitCode, u.StderrFirst)
	}
}

func fatalf(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "groundtruth/maps: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	out := flag.String("out", ".", "directory to write the generated files into")
	flag.Parse()
	if unsafe.Sizeof(uintptr(0)) != 8 {
		fatalf("this generator reads 64-bit runtime structures")
	}
	gt := &groundTruth{
		Generator: generatorPath, GoVersion: runtime.Version(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH,
		InsertLimit: insertLimit, HintLimit: hintLimit, StatisticsNote: statisticsNote,
	}
	gt.BAfterInserts = collectBAfterInserts()
	gt.BForHint = collectBForHint()
	gt.Prealloc = collectPrealloc()
	gt.MapTypes = collectMapTypes()
	gt.Evacuation = collectEvacuation()
	gt.Churn = collectChurn()
	gt.Iteration = collectIteration()
	gt.Facts = collectFacts()
	gt.Panics = collectPanics()
	gt.Uncaught = collectUncaught()

	if err := os.MkdirAll(*out, 0o755); err != nil {
		fatalf("mkdir %s: %v", *out, err)
	}
	writeOutputs(*out, gt)
	printSummary(gt, *out)
}
