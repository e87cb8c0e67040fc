// Command fatal misuses Go 1.19's sync package in one way per -case and
// lets the program die (or finish), so regen.sh can record what real Go
// prints on stderr and the exit status. The cases mirror the death tests
// of chapters 07_mutex, 08_rwmutex and 09_waitgroup.
package main

import (
	"flag"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	c := flag.String("case", "", "which misuse to run")
	flag.Parse()
	switch *c {
	case "mutex-unlock-unlocked":
		var mu sync.Mutex
		mu.Unlock()
	case "mutex-unlock-twice":
		var mu sync.Mutex
		mu.Lock()
		mu.Unlock()
		mu.Unlock()
	case "mutex-recover-does-not-catch":
		// sync's fatal errors are throws: recover() never sees them.
		defer func() { fmt.Println("recovered:", recover()) }()
		var mu sync.Mutex
		mu.Unlock()
	case "mutex-lock-twice":
		// The wait reason of a goroutine blocked in Mutex.Lock.
		var mu sync.Mutex
		mu.Lock()
		mu.Lock()
	case "rwmutex-runlock-unlocked":
		var rw sync.RWMutex
		rw.RUnlock()
	case "rwmutex-runlock-while-write-locked":
		var rw sync.RWMutex
		rw.Lock()
		rw.RUnlock()
	case "rwmutex-unlock-unlocked":
		var rw sync.RWMutex
		rw.Unlock()
	case "rwmutex-unlock-read-locked":
		var rw sync.RWMutex
		rw.RLock()
		rw.Unlock()
	case "rwmutex-rlock-after-lock":
		var rw sync.RWMutex
		rw.Lock()
		rw.RLock()
	case "rwmutex-lock-after-rlock":
		var rw sync.RWMutex
		rw.RLock()
		rw.Lock()
	case "waitgroup-negative":
		var wg sync.WaitGroup
		wg.Add(-1)
	case "waitgroup-done-too-often":
		var wg sync.WaitGroup
		wg.Add(1)
		wg.Done()
		wg.Done()
	case "waitgroup-by-value":
		// The notes' example: each goroutine gets a copy of wg, so the
		// Done calls never reach the WaitGroup main waits on.
		wg := sync.WaitGroup{}
		for i := 0; i < 5; i++ {
			wg.Add(1)
			go func(wg sync.WaitGroup, i int) {
				fmt.Printf("i:%d", i)
				wg.Done()
			}(wg, i)
		}
		wg.Wait()
		fmt.Println("exit")
	case "waitgroup-wait-forever":
		var wg sync.WaitGroup
		wg.Add(1)
		wg.Wait()
	case "once-recursive":
		var once sync.Once
		once.Do(func() { once.Do(func() {}) })
	case "once-panic-counts-as-done":
		var once sync.Once
		func() {
			defer func() { fmt.Println("recovered:", recover()) }()
			once.Do(func() { panic("boom") })
		}()
		ran := false
		once.Do(func() { ran = true })
		fmt.Println("second f ran:", ran)
	case "cond-wait-forever":
		var mu sync.Mutex
		c := sync.NewCond(&mu)
		mu.Lock()
		c.Wait()
	case "cond-copied":
		var mu sync.Mutex
		c := sync.NewCond(&mu)
		c.Signal()
		c2 := *c
		c2.Signal()
	case "cond-wait-unlocked":
		// Wait unlocks c.L first: with L not held that is Mutex's fatal error.
		var mu sync.Mutex
		c := sync.NewCond(&mu)
		c.Wait()
	case "cond-broadcast-10":
		// The notes' example, ending when all ten listeners are through
		// instead of waiting for an interrupt.
		var status int64
		c := sync.NewCond(&sync.Mutex{})
		var done sync.WaitGroup
		for i := 0; i < 10; i++ {
			done.Add(1)
			go func() {
				defer done.Done()
				c.L.Lock()
				for atomic.LoadInt64(&status) != 1 {
					c.Wait()
				}
				fmt.Println("listen")
				c.L.Unlock()
			}()
		}
		time.Sleep(100 * time.Millisecond)
		go func() {
			c.L.Lock()
			atomic.StoreInt64(&status, 1)
			c.Broadcast()
			c.L.Unlock()
		}()
		done.Wait()
	default:
		fmt.Fprintln(os.Stderr, "unknown case", *c)
		os.Exit(3)
	}
}
