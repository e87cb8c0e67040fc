// Go twins of bench/chan_bench.cc: the same work, measured in real Go.
//
// Run: cd bench/go && go test -bench 'Chan|Select2' -benchtime 500ms
package bench

import (
	"fmt"
	"runtime"
	"testing"
)

func withProcs(b *testing.B, f func(b *testing.B)) {
	for _, procs := range []int{1, 2} {
		b.Run(fmt.Sprintf("procs=%d", procs), func(b *testing.B) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			f(b)
		})
	}
}

// BenchmarkChanPingPong: unbuffered round trip.
func BenchmarkChanPingPong(b *testing.B) {
	withProcs(b, func(b *testing.B) {
		ping := make(chan int)
		pong := make(chan int)
		go func() {
			for v := range ping {
				pong <- v
			}
		}()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			ping <- 1
			<-pong
		}
		b.StopTimer()
		close(ping)
	})
}

// BenchmarkChanBuffered128: one value through a cap-128 channel.
func BenchmarkChanBuffered128(b *testing.B) {
	withProcs(b, func(b *testing.B) {
		c := make(chan int64, 128)
		done := make(chan int64)
		go func() {
			var sum int64
			for v := range c {
				sum += v
			}
			done <- sum
		}()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			c <- int64(i)
		}
		close(c)
		<-done
	})
}

// BenchmarkSelect2Ready: select over two ready channels, then refill.
func BenchmarkSelect2Ready(b *testing.B) {
	withProcs(b, func(b *testing.B) {
		a := make(chan int, 1)
		c := make(chan int, 1)
		a <- 1
		c <- 2
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			select {
			case v := <-a:
				a <- v
			case v := <-c:
				c <- v
			}
		}
	})
}
