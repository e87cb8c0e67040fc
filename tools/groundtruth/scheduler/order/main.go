// Command order prints the order in which n goroutines, started by main
// with GOMAXPROCS(1), run once main sleeps (the notes' runnext example).
//
// Usage: order -n 10
package main

import (
	"flag"
	"fmt"
	"runtime"
	"strings"
	"time"
)

func main() {
	n := flag.Int("n", 10, "goroutines to start")
	flag.Parse()
	runtime.GOMAXPROCS(1)
	out := make([]string, 0, *n)
	for i := 0; i < *n; i++ {
		i := i
		go func() { out = append(out, fmt.Sprint(i)) }()
	}
	time.Sleep(100 * time.Millisecond)
	fmt.Println(strings.Join(out, " "))
}
