// Ground truth for chapter 10 (sync.Map), from real Go 1.19.
//
// Mirrors Go 1.19 src/sync/map.go: it looks inside a real sync.Map with
// reflect + unsafe (read, dirty, misses, an entry's p) and prints a trace
// of the internal state after each operation of fixed scenarios, then the
// notes' example (seed 001) with its Range lines sorted (Range order is
// random in Go). tests/10_syncmap compares against syncmap.txt.
package main

import (
	"fmt"
	"reflect"
	"sort"
	"sync"
	"unsafe"
)

func field(v reflect.Value, name string) reflect.Value {
	f := v.FieldByName(name)
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}

// state prints len(read.m), len(dirty) (or nil), amended, misses.
func state(m *sync.Map) string {
	v := reflect.ValueOf(m).Elem()
	ro := field(v, "read").Field(0).Elem() // atomic.Value's v: the readOnly
	readLen, amended := 0, false
	if ro.IsValid() {
		readLen = ro.Field(0).Len()
		amended = ro.Field(1).Bool()
	}
	d := field(v, "dirty")
	dirty := "nil"
	if !d.IsNil() {
		dirty = fmt.Sprint(d.Len())
	}
	return fmt.Sprintf("read=%d dirty=%s amended=%t misses=%d", readLen, dirty, amended, field(v, "misses").Int())
}

// key prints where key is and its entry's state: live, deleted (p == nil)
// or expunged (p != nil but not a live value: dirty exists and lacks it
// while read has it).
func key(m *sync.Map, k any) string {
	v := reflect.ValueOf(m).Elem()
	kv := reflect.ValueOf(&k).Elem()
	var e reflect.Value
	inRead, inDirty := false, false
	if ro := field(v, "read").Field(0).Elem(); ro.IsValid() && !ro.Field(0).IsNil() {
		if x := ro.Field(0).MapIndex(kv); x.IsValid() {
			inRead, e = true, x
		}
	}
	if d := field(v, "dirty"); !d.IsNil() {
		if x := d.MapIndex(kv); x.IsValid() {
			inDirty = true
			if !e.IsValid() {
				e = x
			}
		}
	}
	st := "absent"
	if e.IsValid() {
		p := field(e.Elem(), "p").Pointer()
		_, live := m.Load(k) // Load of a key in read does not change the state
		switch {
		case p == 0:
			st = "deleted"
		case live:
			st = "live"
		default:
			st = "expunged"
		}
	}
	return fmt.Sprintf("key %v: read=%t dirty=%t %s", k, inRead, inDirty, st)
}

func main() {
	fmt.Println("# promotion: misses count up to len(dirty)")
	var m sync.Map
	fmt.Println("zero:", state(&m))
	for i := 1; i <= 3; i++ {
		m.Store(i, i*10)
		fmt.Printf("store %d: %s\n", i, state(&m))
	}
	for i := 1; i <= 3; i++ {
		m.Load(100 + i)
		fmt.Printf("load miss %d: %s\n", 100+i, state(&m))
	}
	m.Load(1)
	fmt.Println("load hit 1:", state(&m))

	fmt.Println("# delete in read, then a new key: dirtyLocked expunges")
	m.Delete(2)
	fmt.Println("delete 2:", state(&m))
	fmt.Println(key(&m, 2))
	m.Store(4, 40)
	fmt.Println("store 4:", state(&m))
	fmt.Println(key(&m, 2))
	fmt.Println(key(&m, 1))
	m.Store(2, 21)
	fmt.Println("store 2:", state(&m))
	fmt.Println(key(&m, 2))

	fmt.Println("# LoadOrStore of a dirty-only key counts a miss; Range promotes")
	v, loaded := m.LoadOrStore(4, 41)
	fmt.Printf("loadorstore 4: %v %t %s\n", v, loaded, state(&m))
	m.Delete(3)
	fmt.Println("delete 3:", state(&m))
	n := 0
	m.Range(func(k, v any) bool { n++; return true })
	fmt.Printf("range saw %d: %s\n", n, state(&m))
	fmt.Println(key(&m, 3))
	v, loaded = m.LoadAndDelete(4)
	fmt.Printf("loadanddelete 4: %v %t %s\n", v, loaded, state(&m))
	fmt.Println(key(&m, 4))

	fmt.Println("# the notes' example (seed 001), Range lines sorted")
	var sm sync.Map
	sm.Store(1, "a")
	if v, ok := sm.Load(1); ok {
		fmt.Println(v)
	}
	if vv, ok := sm.LoadOrStore(1, "c"); ok {
		fmt.Println(vv)
	}
	if vv, ok := sm.LoadOrStore(2, "c"); !ok {
		fmt.Println(vv)
	}
	var lines []string
	sm.Range(func(k, v any) bool {
		lines = append(lines, fmt.Sprintf("%v:%v", k, v))
		return true
	})
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Println(l)
	}
}
