// Command deadlock blocks every goroutine in a chosen way, so the Go
// runtime reports a deadlock; its stderr and exit code are the ground truth
// for gort's checkdead.
//
// Usage: deadlock -case recv|goexit|select
package main

import (
	"flag"
	"runtime"
)

func main() {
	c := flag.String("case", "recv", "recv, goexit or select")
	flag.Parse()
	switch *c {
	case "recv":
		ch := make(chan int)
		<-ch
	case "goexit":
		runtime.Goexit()
	case "select":
		select {}
	}
}
