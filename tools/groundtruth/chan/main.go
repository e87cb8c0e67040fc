// Command chan observes Go 1.19's channel and select behaviour for gort's
// chapters 05 (channels) and 06 (select): the print order of goroutines
// woken by channel operations under GOMAXPROCS(1), the operations table
// (nil / closed / open channel x close / send / receive), panic texts and
// the goroutine headers of deadlocks.
//
// Run by regen.sh: `chan -case NAME` runs one case and prints its
// observation on stdout (order cases) or dies the way Go dies (panic and
// deadlock cases, whose stderr regen.sh records).
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

var out []string

func say(s string) { out = append(out, s) }

// settle lets every runnable goroutine run until it blocks: on one P, a
// sleeping main lets the scheduler drain the run queues first.
func settle() { time.Sleep(20 * time.Millisecond) }

var cases = map[string]func(){
	// A send to a parked receiver readies it into runnext; the sender
	// keeps running until it blocks.
	"handoff_sender_continues": func() {
		c := make(chan int)
		go func() { v := <-c; say(fmt.Sprint("recv ", v)) }()
		settle()
		c <- 1
		say("sent")
		settle()
	},
	// The readied receiver is in runnext: it runs before a goroutine that
	// was already waiting in runnext (now kicked to the tail of runq).
	"handoff_runnext": func() {
		c := make(chan int)
		go func() { <-c; say("receiver") }()
		settle()
		go func() { say("other") }()
		c <- 1
		runtime.Gosched()
		say("main")
		settle()
	},
	// close wakes every blocked receiver; the wake-up list is a stack
	// (gList) and every goready goes through runnext.
	"close_wakes_receivers": func() {
		c := make(chan int)
		for i := 1; i <= 4; i++ {
			i := i
			go func() {
				v, ok := <-c
				say(fmt.Sprintf("r%d %d %v", i, v, ok))
			}()
			settle()
		}
		close(c)
		say("closed")
		settle()
	},
	// Blocked senders are served in FIFO order.
	"fifo_senders": func() {
		c := make(chan int)
		for i := 1; i <= 4; i++ {
			i := i
			go func() { c <- i }()
			settle()
		}
		for i := 0; i < 4; i++ {
			say(fmt.Sprint(<-c))
		}
	},
	// Blocked receivers are served in FIFO order.
	"fifo_receivers": func() {
		c := make(chan int)
		for i := 1; i <= 4; i++ {
			i := i
			go func() { v := <-c; say(fmt.Sprintf("r%d got %d", i, v)) }()
			settle()
		}
		for i := 1; i <= 4; i++ {
			c <- 10 * i
		}
		settle()
	},
	// A full buffered channel with blocked senders: a receive takes the
	// head and moves the first sender's value to the tail.
	"buffered_full_with_senders": func() {
		c := make(chan int, 2)
		c <- 1
		c <- 2
		for i := 3; i <= 4; i++ {
			i := i
			go func() { c <- i; say(fmt.Sprintf("s%d done", i)) }()
			settle()
		}
		say(fmt.Sprint("len ", len(c)))
		for i := 0; i < 4; i++ {
			say(fmt.Sprint(<-c))
		}
		settle()
	},
	// Receive from a closed channel: buffered values first, then zero
	// values with ok == false, forever.
	"closed_drain": func() {
		c := make(chan int, 3)
		c <- 7
		c <- 8
		close(c)
		for i := 0; i < 4; i++ {
			v, ok := <-c
			say(fmt.Sprintf("%d %v", v, ok))
		}
		say(fmt.Sprintf("len %d cap %d", len(c), cap(c)))
	},
	// Non-blocking operations on the three kinds of channel.
	"nonblocking_table": func() {
		var nilc chan int
		open := make(chan int)
		closed := make(chan int)
		close(closed)
		try := func(name string, c chan int) {
			select {
			case c <- 1:
				say(name + " send: sent")
			default:
				say(name + " send: default")
			}
		}
		try("nil", nilc)
		try("open", open)
		for _, k := range []struct {
			name string
			c    chan int
		}{{"nil", nilc}, {"open", open}, {"closed", closed}} {
			select {
			case v, ok := <-k.c:
				say(fmt.Sprintf("%s recv: %d %v", k.name, v, ok))
			default:
				say(k.name + " recv: default")
			}
		}
		say(fmt.Sprintf("nil len %d cap %d", len(nilc), cap(nilc)))
	},
	// A goroutine blocked forever on a send nobody receives stays alive:
	// a goroutine leak.
	"leak": func() {
		say(fmt.Sprint("before ", runtime.NumGoroutine()))
		for i := 0; i < 10; i++ {
			c := make(chan int)
			go func() { c <- 1 }()
		}
		settle()
		say(fmt.Sprint("after ", runtime.NumGoroutine()))
	},
	// The notes' select-with-timeout example, with shorter times.
	"select_timeout": func() {
		c := make(chan int)
		go func() { time.Sleep(200 * time.Millisecond); c <- 1 }()
		select {
		case i := <-c:
			say(fmt.Sprint("receive from c: ", i))
		case <-time.After(20 * time.Millisecond):
			say("timeout!")
		}
	},

	// Process-ending cases: regen.sh records exit code and stderr.
	"panic_send_closed":  func() { c := make(chan int, 1); close(c); c <- 1 },
	"panic_close_nil":    func() { var c chan int; close(c) },
	"panic_close_closed": func() { c := make(chan int); close(c); close(c) },
	"panic_makechan": func() {
		n := -1
		_ = make(chan int, n)
	},
	"panic_send_closed_while_blocked": func() {
		c := make(chan int)
		go func() { settle(); close(c) }()
		c <- 1
	},
	"panic_select_send_closed": func() {
		c := make(chan int)
		d := make(chan int)
		close(c)
		select {
		case c <- 1:
		case <-d:
		}
	},
	"deadlock_recv":     func() { c := make(chan int); <-c },
	"deadlock_send":     func() { c := make(chan int); c <- 1 },
	"deadlock_recv_nil": func() { var c chan int; <-c },
	"deadlock_send_nil": func() { var c chan int; c <- 1 },
	"deadlock_select": func() {
		c := make(chan int)
		d := make(chan int)
		select {
		case <-c:
		case d <- 1:
		}
	},
	"deadlock_select_nil": func() {
		var c chan int
		select {
		case <-c:
		}
	},
	"deadlock_select_no_cases": func() { select {} },
	"deadlock_range": func() {
		c := make(chan int, 1)
		c <- 1
		for range c {
		}
	},
}

func main() {
	name := flag.String("case", "", "case to run")
	list := flag.Bool("list", false, "list the cases")
	flag.Parse()
	if *list {
		for k := range cases {
			fmt.Println(k)
		}
		return
	}
	runtime.GOMAXPROCS(1)
	f, ok := cases[*name]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown case", *name)
		os.Exit(1)
	}
	f()
	fmt.Println(strings.Join(out, "|"))
}
