// Command uncaught is a helper for the slices ground-truth generator in the
// parent directory. It panics at top level of main, with no recover, so the
// generator can record the exact stderr text and exit status that a Go
// process produces for an unrecovered runtime error. The gort runtime must
// reproduce both (death tests in the slices chapter check them).
//
// Usage: uncaught index|makeslice
//
// It is not meant to be run by hand; ../main.go builds and runs it.
package main

import (
	"fmt"
	"os"
)

// The operands live in package-level variables so that the compiler cannot
// prove the index or length out of range at compile time; the failure must
// come from the runtime check. The results go to sinks so nothing is
// discarded as dead code.
var (
	three    = []int{1, 2, 3}
	five     = 5
	minusOne = -1
	sinkInt  int
	sinkInts []int
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: uncaught index|makeslice")
		os.Exit(64)
	}
	switch os.Args[1] {
	case "index":
		sinkInt = three[five]
	case "makeslice":
		sinkInts = make([]int, minusOne)
	default:
		fmt.Fprintf(os.Stderr, "uncaught: unknown case %q\n", os.Args[1])
		os.Exit(64)
	}
	// Reaching this line means the expected panic did not happen.
	fmt.Fprintln(os.Stderr, "uncaught: no panic")
	os.Exit(65)
}
