// Go twins of bench/sched_bench.cc: the same work, measured in real Go.
//
// Run: cd bench/go && go test -bench 'Gosched|Spawn|ParkReady|Timer' -benchtime 500ms
package bench

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkGoschedSwitch: two goroutines on one P take turns with Gosched.
func BenchmarkGoschedSwitch(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var stop, stopped atomic.Bool
	go func() {
		for !stop.Load() {
			runtime.Gosched()
		}
		stopped.Store(true)
	}()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		runtime.Gosched()
	}
	b.StopTimer()
	stop.Store(true)
	for !stopped.Load() {
		runtime.Gosched()
	}
}

// BenchmarkSpawnExit: go f() and wait (yielding) until f has run.
func BenchmarkSpawnExit(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var ran int64
	for i := 0; i < b.N; i++ {
		go func() { atomic.AddInt64(&ran, 1) }()
		for atomic.LoadInt64(&ran) != int64(i+1) {
			runtime.Gosched()
		}
	}
}

// BenchmarkParkReadyRoundTrip: ping-pong over unbuffered channels; each
// side parks (gopark) and is readied (goready) once per round trip.
func BenchmarkParkReadyRoundTrip(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	ping, pong := make(chan struct{}), make(chan struct{})
	go func() {
		for range ping {
			pong <- struct{}{}
		}
	}()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ping <- struct{}{}
		<-pong
	}
	b.StopTimer()
	close(ping)
}

// BenchmarkTimerAfterFuncStop: start a timer on this P's heap, stop it.
func BenchmarkTimerAfterFuncStop(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	for i := 0; i < b.N; i++ {
		t := time.AfterFunc(time.Hour, func() {})
		t.Stop()
	}
}
