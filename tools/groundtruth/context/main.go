// Pins the texts tests/11_context expects: context's errors and panics.
// Mirrors Go 1.19 src/context/context.go (its panics and error values).
package main

import (
	"context"
	"fmt"
	"time"
)

func panicText(f func()) (s string) {
	defer func() {
		if r := recover(); r != nil {
			s = fmt.Sprint("panic: ", r)
		}
	}()
	f()
	return ""
}

func main() {
	fmt.Println(context.Canceled.Error())
	fmt.Println(context.DeadlineExceeded.Error())
	fmt.Println("timeout:", context.DeadlineExceeded.(interface{ Timeout() bool }).Timeout())
	fmt.Println(panicText(func() { context.WithValue(context.Background(), nil, 1) }))
	fmt.Println(panicText(func() { context.WithValue(nil, 1, 1) }))
	fmt.Println(panicText(func() { context.WithCancel(nil) }))
	fmt.Println(panicText(func() { context.WithTimeout(nil, time.Second) }))
	c, cancel := context.WithCancel(context.Background())
	d := c.Done()
	cancel()
	fmt.Println("same Done after cancel:", d == c.Done())
	c2, _ := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	fmt.Println("passed deadline:", c2.Err())
}
