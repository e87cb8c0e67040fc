// Command uncaught is a helper for the maps ground-truth generator in the
// parent directory. Each case ends the process the way a Go program dies of
// a map misuse, so the generator can record the exit status and the first
// lines of stderr that gort's death tests must reproduce:
//
//	nilmap     assigns to a nil map in main (an unrecovered panic)
//	writes     two goroutines insert into one map with no lock
//	readwrite  one goroutine inserts while another reads
//	iterwrite  one goroutine inserts while another ranges over the map
//
// The three races are detected by the runtime's hashWriting flag and end in
// a fatal error; which goroutine notices first varies, so the generator
// keeps only the first stderr line of those. Each race runs until detected.
//
// It is not meant to be run by hand; ../main.go builds and runs it.
package main

import (
	"fmt"
	"os"
)

var (
	sink   int
	key    = "k"
	nilMap map[string]int
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: uncaught nilmap|writes|readwrite|iterwrite")
		os.Exit(64)
	}
	m := map[int]int{}
	switch os.Args[1] {
	case "nilmap":
		nilMap[key] = 1
		fmt.Fprintln(os.Stderr, "uncaught: no panic")
		os.Exit(65)
	case "writes":
		for g := 0; g < 2; g++ {
			go func(g int) {
				for i := 0; ; i++ {
					m[2*i+g] = i
				}
			}(g)
		}
	case "readwrite":
		go func() {
			for i := 0; ; i++ {
				m[i&1023] = i
			}
		}()
		go func() {
			for i := 0; ; i++ {
				sink += m[i&1023]
			}
		}()
	case "iterwrite":
		for i := 0; i < 100; i++ {
			m[i] = i
		}
		go func() {
			for i := 0; ; i++ {
				m[i&1023] = i
			}
		}()
		go func() {
			for {
				for k := range m {
					sink += k
				}
			}
		}()
	default:
		fmt.Fprintf(os.Stderr, "uncaught: unknown case %q\n", os.Args[1])
		os.Exit(64)
	}
	select {} // the racing goroutines end the process
}
