// Ground truth for chapter 03 (defer, panic and recover).
//
// Mirrors the puzzles of the study notes and the ideas of Go 1.19
// src/runtime/defer_test.go. Each case is one small program, run as
// `cases -case NAME`; regen.sh records its stdout, its exit code and the
// head of its stderr (up to the goroutine header) in cases.inc, which the
// chapter's tests replay against gort.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"sort"
	"sync"
	"time"
)

// ---- The notes' puzzles ----

func loopPrintln() {
	for i := 0; i < 5; i++ {
		defer fmt.Println(i)
	}
}

func argsEvaluatedAtDefer() {
	i := 1
	defer fmt.Println("Deferred print:", i)
	i++
	fmt.Println("Normal print:", i)
}

func rValue() (r int) {
	r = 1
	defer func() {
		r++
		fmt.Println(" r value = ", r)
	}()
	r = 2
	return
}

func increase(d int) (ret int) {
	defer func() {
		ret++
	}()
	return d
}

type Slice []int

func NewSlice() Slice { return make(Slice, 0) }

func (s *Slice) Add(elem int) *Slice {
	*s = append(*s, elem)
	fmt.Print(elem)
	return s
}

func chained() {
	s := NewSlice()
	defer s.Add(1).Add(2).Add(4)
	s.Add(3)
}

func GetFn() func() {
	fmt.Println("outside")
	return func() {
		fmt.Println("inside")
	}
}

func nestedCall() {
	defer GetFn()()
	fmt.Println("main...")
}

func show(x int) {
	fmt.Print(x + 1)
}

func get(n int) int {
	fmt.Print(n)
	return n
}

func showGet() {
	defer show(get(1))
	defer show(get(3))
	fmt.Print(5)
}

func closureLoop() {
	for i := 0; i < 5; i++ {
		defer func() {
			fmt.Println(i)
		}()
	}
}

func argLoop() {
	for i := 0; i < 5; i++ {
		defer func(i int) {
			fmt.Println(i)
		}(i)
	}
}

func f1() (result int) {
	defer func() {
		result++
	}()
	return 0
}

func f2() (r int) {
	t := 5
	defer func() {
		t = t + 5
	}()
	return t
}

func f3() (r int) {
	defer func(r int) {
		r = r + 5
	}(r)
	return 1
}

type Test struct {
	Max int
}

func (t *Test) Println() {
	fmt.Println(t.Max)
}

func deferExec(f func()) {
	f()
}

func f4() {
	var t *Test
	defer deferExec(t.Println)
	t = new(Test)
}

func testA() {
	a, b := 1, 2
	defer func(a int) {
		fmt.Printf("%v\n", a)
	}(a)
	a += b
	fmt.Printf("%v - %v\n", a, b)
}

func testB() {
	a, b := 1, 2
	defer func() {
		fmt.Printf("%v\n", a)
	}()
	a += b
	fmt.Printf("%v - %v\n", a, b)
}

// ---- recover ----

func helper() any { return recover() }

func recoverInHelper() {
	defer func() { fmt.Println("outer:", recover()) }()
	defer func() { fmt.Println("helper:", helper()) }()
	panic("boom")
}

func recoverInNestedLiteral() {
	defer func() { fmt.Println("outer:", recover()) }()
	defer func() { fmt.Println("literal:", func() any { return recover() }()) }()
	panic("boom")
}

func recoverMatching() { // defer_test.go TestRecoverMatching
	defer func() { fmt.Println("first:", recover()) }()
	defer func() {
		defer func() { fmt.Println("inner:", recover()) }()
	}()
	panic("panic1")
}

func abortedPanic() { // defer_test.go TestAbortedPanic
	defer func() { fmt.Println("last:", recover()) }()
	defer func() { fmt.Println("middle:", recover()) }()
	defer func() { panic("panic2") }()
	panic("panic1")
}

func recoverTwice() {
	defer func() {
		fmt.Println("first:", recover())
		fmt.Println("second:", recover())
	}()
	panic("once")
}

func recoverWithoutPanic() {
	defer func() { fmt.Println("recover:", recover()) }()
	fmt.Println("returning")
}

func deferAfterRecover() (x int) {
	defer func() { x = 2 * x }()
	defer func() {
		recover()
		x = 21
	}()
	panic("p")
}

func recoverDeep() (x int) {
	defer func() {
		if r := recover(); r != nil {
			x = r.(int)
		}
	}()
	deep(3)
	return -1
}

func deep(n int) {
	defer fmt.Println("unwinding", n)
	if n == 0 {
		panic(7)
	}
	deep(n - 1)
}

func interpreter(level int, maxlevel int, rec int) { // defer_test.go TestDeferWithRepeatedRepanics
	defer func() {
		e := recover()
		if e == nil {
			return
		}
		if level != e.(int) {
			fmt.Println("re-panic at level", level)
			panic(e)
		}
		fmt.Println("recovered at level", level)
	}()
	if level+1 < maxlevel {
		interpreter(level+1, maxlevel, rec)
	} else {
		panic(rec)
	}
}

func runtimeErrorRecover() {
	defer func() {
		r := recover()
		re, ok := r.(runtime.Error)
		fmt.Println(ok, re.Error())
		_, isErr := r.(error)
		fmt.Println(isErr)
	}()
	s := []int{1, 2, 3}
	i := 5
	fmt.Println(s[i])
}

func recoverPanicNil() {
	defer func() { fmt.Println("r:", recover()) }()
	panic(nil)
}

func recoverErrorValue() {
	defer func() {
		r := recover()
		err, ok := r.(error)
		fmt.Println(ok, err)
	}()
	panic(errors.New("custom error"))
}

// ---- Goexit ----

func goexitRunsDefers() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer fmt.Println("deferred 1")
		defer func() { fmt.Println("recover in Goexit:", recover()) }()
		func() {
			defer fmt.Println("deferred 2")
			runtime.Goexit()
		}()
		fmt.Println("not reached")
	}()
	wg.Wait()
	fmt.Println("main done")
}

func goexitPanicRecover() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer func() { fmt.Println("recovered:", recover()) }()
		defer func() { panic("in goexit") }()
		runtime.Goexit()
	}()
	wg.Wait()
	fmt.Println("main done")
}

func goexitMain() {
	defer fmt.Println("main's deferred call")
	runtime.Goexit()
}

// ---- goroutines ----

func goroutinesRecoverTheirOwn() {
	var mu sync.Mutex
	var got []string
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() {
				r := recover()
				mu.Lock()
				got = append(got, fmt.Sprint(r))
				mu.Unlock()
			}()
			panic(fmt.Sprint("g", i))
		}(i)
	}
	wg.Wait()
	sort.Strings(got)
	fmt.Println(got)
}

func deferredSleepDuringPanic() {
	runtime.GOMAXPROCS(2)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer func() {
			time.Sleep(10 * time.Millisecond)
			fmt.Println("after sleep:", recover())
		}()
		defer func() {
			time.Sleep(time.Millisecond)
			fmt.Println("still panicking")
		}()
		panic("slow")
	}()
	wg.Wait()
	fmt.Println("main done")
}

// ---- unrecovered panics (exit 2) ----

func panicString() { panic("boom") }
func panicInt()    { panic(42) }
func panicFloat()  { panic(1.5) }
func panicNil()    { panic(nil) }
func panicError()  { panic(errors.New("custom error")) }

type T struct{}

func (T) String() string { return "I am a Stringer" }

func panicStringer() { panic(T{}) }

func panicIndex() {
	s := []int{1, 2, 3}
	i := 5
	fmt.Println(s[i])
}

func repanic() {
	defer func() {
		r := recover()
		panic(fmt.Sprint("again: ", r))
	}()
	panic("first")
}

func repanicSame() {
	defer func() { panic(recover()) }()
	panic("A")
}

func panicDuringPanic() {
	defer func() { panic("B") }()
	panic("A")
}

func threePanics() {
	defer func() { panic("C") }()
	defer func() { panic("B") }()
	panic("A")
}

func panicAfterRecover() {
	defer func() { panic("second") }()
	defer func() { recover() }()
	panic("first")
}

func recoverInHelperOnly() {
	defer func() { helper() }()
	panic("not recovered")
}

func goroutinePanicKillsProcess() {
	defer func() { fmt.Println("main recovers:", recover()) }()
	go func() { panic("in goroutine") }()
	time.Sleep(time.Second)
}

func panicInDeferredAfterRecover() {
	defer func() {
		recover()
		panic("from the recovering call")
	}()
	panic("original")
}

func main() {
	name := flag.String("case", "", "case to run")
	flag.Parse()
	cases := map[string]func(){
		"loop_println":             loopPrintln,
		"args_evaluated":           argsEvaluatedAtDefer,
		"r_value":                  func() { rValue() },
		"increase":                 func() { fmt.Println(increase(1)) },
		"chained":                  chained,
		"nested_call":              nestedCall,
		"show_get":                 showGet,
		"closure_loop":             closureLoop,
		"arg_loop":                 argLoop,
		"f1_f2_f3":                 func() { fmt.Println(f1(), f2(), f3()) },
		"f4":                       f4,
		"test_a":                   testA,
		"test_b":                   testB,
		"recover_in_helper":        recoverInHelper,
		"recover_nested_literal":   recoverInNestedLiteral,
		"recover_matching":         recoverMatching,
		"aborted_panic":            abortedPanic,
		"recover_twice":            recoverTwice,
		"recover_without_panic":    recoverWithoutPanic,
		"defer_after_recover":      func() { fmt.Println(deferAfterRecover()) },
		"recover_deep":             func() { fmt.Println(recoverDeep()) },
		"interpreter":              func() { interpreter(0, 6, 2) },
		"runtime_error_recover":    runtimeErrorRecover,
		"recover_panic_nil":        recoverPanicNil,
		"recover_error_value":      recoverErrorValue,
		"goexit_runs_defers":       goexitRunsDefers,
		"goexit_panic_recover":     goexitPanicRecover,
		"goexit_main":              goexitMain,
		"goroutines_recover_own":   goroutinesRecoverTheirOwn,
		"deferred_sleep_in_panic":  deferredSleepDuringPanic,
		"panic_string":             panicString,
		"panic_int":                panicInt,
		"panic_float":              panicFloat,
		"panic_nil":                panicNil,
		"panic_error":              panicError,
		"panic_stringer":           panicStringer,
		"panic_index":              panicIndex,
		"repanic":                  repanic,
		"repanic_same":             repanicSame,
		"panic_during_panic":       panicDuringPanic,
		"three_panics":             threePanics,
		"panic_after_recover":      panicAfterRecover,
		"recover_in_helper_only":   recoverInHelperOnly,
		"goroutine_panic":          goroutinePanicKillsProcess,
		"panic_in_recovering_call": panicInDeferredAfterRecover,
	}
	if *name == "list" {
		var names []string
		for n := range cases {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Println(n)
		}
		return
	}
	f, ok := cases[*name]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown case", *name)
		os.Exit(3)
	}
	f()
}
