// Package decls exercises every declaration form.
package decls

import "fmt"
import (
	"errors"
	m "math"
	. "strings"
	_ "unsafe"
)

//go:generate echo hello
//gcheck:ignore deadlock

const Single = 1

const (
	A = iota
	B
	C, D     = iota, iota * 2
	E    int = 7
)

var x int
var y, z = 1, "two"
var (
	p  *int
	q  []string = nil
	fn func(int) (string, error)
)

type (
	Celsius                   float64
	Alias                     = Celsius
	Pair[K comparable, V any] struct {
		Key K
		Val V
	}
	Number interface {
		~int | ~int64 | ~float64
	}
	Set[T comparable] = map[T]struct{}
)

type Arr [N]int
type Arr2 [N * 2]int
type Arr3 [len(Single)]byte
type PtrParam[P *Celsius, Q any] struct{}
type SliceParam[P []int] struct{}
type ListNode[T any] struct {
	next *ListNode[T]
	val  T
}

type Shape interface {
	Area() float64
	fmt.Stringer
	Perimeter() (p float64)
}

type Embeds struct {
	Celsius
	*ListNode[int]
	fmt.Formatter
	a, b int    `json:"a"`
	c    string "plain tag"
	d    [4]byte
}

const N = 4

func Plain() {}

func Results(a, b int, c string) (n int, err error) {
	return a + b, errors.New(c)
}

func Unnamed(int, string) error { return nil }

func Variadic(format string, args ...any) string {
	return fmt.Sprintf(format, args...)
}

func Map[K comparable, V any](m map[K]V, f func(V) V) map[K]V {
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = f(v)
	}
	return out
}

func (c Celsius) String() string { return fmt.Sprint(float64(c)) }

func (l *ListNode[T]) Push(v T) *ListNode[T] {
	return &ListNode[T]{next: l, val: v}
}

func noBody(x int) int

func useAll() {
	_ = ToUpper("x")
	_ = m.Pi
	_ = Map[string, int](nil, func(v int) int { return v })
	var s Set[int] = Set[int]{}
	_ = s
}
