// Go twins of bench/syncmap_bench.cc: the same work, measured in real Go.
//
// Run: cd bench/go && go test -run '^$' -bench 'SyncMap|MutexMap' -benchtime 500ms
package bench

import (
	"runtime"
	"sync"
	"testing"
)

const syncMapKeys = 1024

func promotedSyncMap() *sync.Map {
	var m sync.Map
	for i := int64(0); i < syncMapKeys; i++ {
		m.Store(i, i)
	}
	for i := int64(0); i < syncMapKeys; i++ {
		m.Load(i) // promote
	}
	return &m
}

// BenchmarkSyncMapLoadHit: Load of a present key on the read path.
func BenchmarkSyncMapLoadHit(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	m := promotedSyncMap()
	b.ResetTimer()
	var sum int64
	for i := int64(0); i < int64(b.N); i++ {
		v, _ := m.Load(i & (syncMapKeys - 1))
		sum += v.(int64)
	}
	_ = sum
}

// BenchmarkSyncMapStoreExisting: Store to a key already in read.
func BenchmarkSyncMapStoreExisting(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	m := promotedSyncMap()
	b.ResetTimer()
	for i := int64(1000); i < int64(1000+b.N); i++ {
		m.Store(i&(syncMapKeys-1), i)
	}
}

// BenchmarkMutexMapLoadHit: the same Load on a map behind a sync.Mutex.
func BenchmarkMutexMapLoadHit(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	m := make(map[int64]int64)
	var mu sync.Mutex
	for i := int64(0); i < syncMapKeys; i++ {
		m[i] = i
	}
	b.ResetTimer()
	var sum int64
	for i := int64(0); i < int64(b.N); i++ {
		mu.Lock()
		sum += m[i&(syncMapKeys-1)]
		mu.Unlock()
	}
	_ = sum
}
