package exprs

type T struct{ a, b int }
type P struct{ x, y int }
type G[T any] struct{ v T }

func id[T any](x T) T { return x }

func expressions(s string, p *T, c chan int, xs []int, f func(...int) int) {
	_ = 1 + 2*3 - 4/2%3<<1>>1&7&^2 | 1 ^ 3
	_ = xs[0] == 1 || xs[1] != 2 && xs[2] < 3 || xs[3] <= 4 && xs[4] > 5 && xs[5] >= 6
	_ = -xs[0] + +xs[1] - ^xs[2]
	_ = !(xs[0] == 1)
	_ = <-c
	_ = *p
	_ = &T{1, 2}
	_ = []byte(s)
	_ = (*T)(p)
	_ = (<-chan int)(c)
	_ = (chan<- int)(c)
	_ = any(s).(string)
	_ = xs[1:2]
	_ = xs[:2]
	_ = xs[1:]
	_ = xs[:]
	_ = xs[1:2:3]
	_ = xs[:2:3]
	_ = f(xs...)
	_ = f(1, 2,
		3,
	)
	_ = id[int](3)
	_ = G[int]{v: 1}
	_ = []T{{1, 2}, {a: 3}}
	_ = map[string]P{"a": {1, 2}, "b": {x: 3}}
	_ = map[P]string{{1, 2}: "a"}
	_ = [...]int{1, 2, 3}
	_ = [2][]int{{1}, {2, 3}}
	_ = []*T{{1, 2}, &T{3, 4}}
	_ = struct{ n int }{n: 1}
	_ = func(a, b int) int { return a + b }(1, 2)
	if p == (&T{}) {
	}
	if (T{1, 2}) == *p {
	}
	for _, v := range []int{1, 2} {
		_ = v
	}
	for i := range [3]int{} {
		_ = i
	}
	switch (T{}) {
	}
	if x := (T{a: 1}); x.a > 0 {
	}
	if v := map[string]int{"a": 1}["a"]; v > 0 {
	}
	_ = 'a' + '\n' + '\'' + '\x41' + '\u00e9' + '\U0001F600' + '\377' + 'é'
	_ = "tab\t" + `raw
string` + "\"quoted\"" + "\u00e9"
	// Upper-case prefixes on purpose (gofmt would lower-case them).
	_ = 42 + 0x2A + 0X2a + 0o52 + 0O52 + 052 + 0b101010 + 0B1 + 1_000_000 + 0x_FF
	_ = 1.5 + .5 + 1. + 1e3 + 1.5e-3 + 1_0.2_5 + 0x1p-2 + 0x1.8p1 + 0X.8P0
	_ = 2i + 1.5i + 0x1p2i + 0i + 1e3i
	var ch1 chan int
	var ch2 <-chan int
	var ch3 chan<- int
	var ch4 chan (<-chan int)
	var ch5 chan<- chan int
	var ch6 <-chan <-chan int
	var ch7 chan<- <-chan int
	_, _, _, _, _, _, _ = ch1, ch2, ch3, ch4, ch5, ch6, ch7
	/* a block comment
	   spanning lines */
	_ = s /* inline */ + s
}
