// Package generics holds the type-parameter edge cases where Go's grammar is
// ambiguous (array length or type parameter list?), resolved as gc does.
package generics

const N = 2

type Arr [N]int
type Arr2 [N * 2]int
type Arr3 [len("ab")]byte

type A1[P *struct{}] struct{}
type A2[P *int,] int
type A3[P (*int),] int
type A4[P *struct{} | int] struct{}
type A5[P *struct{} | ~int] struct{}
type A6[P interface{ *int }] int
type A7[P []byte] struct{}
type A8[K comparable, V any] map[K]V
type A9[K, V any] struct{}
type A10[T any] = []T

type Number interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~float32 | ~float64
}

type List[T any] struct {
	head *node[T]
}

type node[T any] struct {
	val  T
	next *node[T]
}

func (l *List[T]) Push(v T) { l.head = &node[T]{v, l.head} }

func (l *List[T]) All() func(yield func(T) bool) {
	return func(yield func(T) bool) {
		for n := l.head; n != nil; n = n.next {
			if !yield(n.val) {
				return
			}
		}
	}
}

func Sum[T Number](xs ...T) (s T) {
	for _, x := range xs {
		s += x
	}
	return
}

func Keys[M ~map[K]V, K comparable, V any](m M) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func Ptr[T any, PT interface{ *T }](v T) PT { return &v }

func use() {
	var l List[int]
	l.Push(1)
	for v := range l.All() {
		_ = v
	}
	_ = Sum[float64](1, 2.5)
	_ = Sum(1, 2, 3)
	_ = Keys(map[string]int{"a": 1})
	_ = Ptr[int](3)
	_ = A8[string, []int]{}
	var f func(A1[int], A9[int, string]) A7[[]byte]
	_ = f
	ch := make(chan List[int], 1)
	_ = (<-chan List[int])(ch)
}
