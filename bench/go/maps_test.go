// Go benchmarks for the maps chapter: the real-Go side of the comparison
// with bench/maps_bench.cc. Each BenchmarkMap<Op> does the same work as the
// C++ BM_Map<Op>: 1<<20 int64 (or string) keys read from a prepared slice,
// the same key sets and order, and it reports ns per element.
//
// The workloads are generic over the key type; Go 1.19 still compiles the
// int64 and string instances to the fast map routines (mapaccess1_fast64,
// mapassign_faststr, ...), as for non-generic code.
//
// Run:
//
//	cd bench/go && go test -bench Map -benchtime 10x
package bench

import (
	"strconv"
	"testing"
	"time"
)

const mapN = 1 << 20

var (
	intKeys = func() []int64 {
		k := make([]int64, 2*mapN)
		for i := range k {
			k[i] = int64(i)
		}
		return k
	}()
	// "key-<i>": at most 11 bytes, like the C++ side's std::string keys.
	strKeys = func() []string {
		k := make([]string, 2*mapN)
		for i := range k {
			k[i] = "key-" + strconv.Itoa(i)
		}
		return k
	}()
	mapSink any
	sumSink int64
)

func perElem(b *testing.B, d time.Duration) {
	b.ReportMetric(float64(d.Nanoseconds())/float64(b.N)/mapN, "ns/elem")
}

// fullMap maps keys[i] to i for the first mapN keys.
func fullMap[K comparable](keys []K) map[K]int64 {
	m := make(map[K]int64)
	for i := 0; i < mapN; i++ {
		m[keys[i]] = int64(i)
	}
	return m
}

// insert: m[k] = i for 1<<20 keys into an empty map; the map doubles 17
// times on the way (B 0 -> 18 at 6.5 entries per bucket) and evacuates
// incrementally.
func insert[K comparable](b *testing.B, keys []K) {
	start := time.Now()
	for i := 0; i < b.N; i++ {
		mapSink = fullMap(keys)
	}
	perElem(b, time.Since(start))
}

// lookup reads keys[from : from+1<<20] from a full map: hits from 0,
// misses from 1<<20.
func lookup[K comparable](b *testing.B, keys []K, from int) {
	m := fullMap(keys)
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		var sum int64
		for k := from; k < from+mapN; k++ {
			sum += m[keys[k]]
		}
		sumSink = sum
	}
	perElem(b, time.Since(start))
}

// iterate ranges over a full map.
func iterate[K comparable](b *testing.B, keys []K) {
	m := fullMap(keys)
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		var sum int64
		for _, v := range m {
			sum += v
		}
		sumSink = sum
	}
	perElem(b, time.Since(start))
}

// del deletes every key of a full map (built untimed).
func del[K comparable](b *testing.B, keys []K) {
	var total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		m := fullMap(keys)
		b.StartTimer()
		start := time.Now()
		for k := 0; k < mapN; k++ {
			delete(m, keys[k])
		}
		total += time.Since(start)
		mapSink = m
	}
	perElem(b, total)
}

func BenchmarkMapInsert(b *testing.B)           { insert(b, intKeys) }
func BenchmarkMapLookupHit(b *testing.B)        { lookup(b, intKeys, 0) }
func BenchmarkMapLookupMiss(b *testing.B)       { lookup(b, intKeys, mapN) }
func BenchmarkMapIterate(b *testing.B)          { iterate(b, intKeys) }
func BenchmarkMapDelete(b *testing.B)           { del(b, intKeys) }
func BenchmarkMapInsertString(b *testing.B)     { insert(b, strKeys) }
func BenchmarkMapLookupHitString(b *testing.B)  { lookup(b, strKeys, 0) }
func BenchmarkMapLookupMissString(b *testing.B) { lookup(b, strKeys, mapN) }
func BenchmarkMapIterateString(b *testing.B)    { iterate(b, strKeys) }
func BenchmarkMapDeleteString(b *testing.B)     { del(b, strKeys) }
