package stmts

import "time"

func statements(ch chan int, done <-chan struct{}, xs []int, m map[string]int) (total int) {
	var local = 3
	const k = 2
	type pt struct{ x, y int }

outer:
	for i := 0; i < len(xs); i++ {
		for j := range xs {
			if j == i {
				continue outer
			} else if j > i {
				break outer
			} else {
				goto done
			}
		}
	}
done:
	for {
		break
	}
	for local > 0 {
		local--
	}
	for range 10 {
		total++
	}
	for i := range 10 {
		total += i
	}
	for k, v := range m {
		_, _ = k, v
	}
	for range ch {
	}
	var key string
	for key = range m {
	}
	_ = key
	for x := range func(yield func(int) bool) {} {
		_ = x
	}

	switch x := local; x {
	case 1, 2:
		fallthrough
	case 3:
	default:
		total = 0
	}
	switch {
	case local > 1:
	}
	switch local++; {
	}
	var v any = local
	switch t := v.(type) {
	case int, *int:
		_ = t
	case nil:
	case chan<- int, <-chan int, map[string]int, func() error:
	}
	switch v := v.(type) {
	default:
		_ = v
	}

	select {
	case ch <- 1:
	case n := <-ch:
		total += n
	case n, ok := <-ch:
		_, _ = n, ok
	case total = <-ch:
	case <-done:
		return
	case <-time.After(time.Second):
	default:
	}
	select {}

	go func(c chan int) { c <- 1 }(ch)
	defer close(ch)
	defer func() { recover() }()

	total += 1
	total -= 1
	total *= 2
	total /= 2
	total %= 7
	total &= 0xff
	total |= 1
	total ^= 2
	total <<= 3
	total >>= 1
	total &^= 4
	a, b := 1, 2
	a, b = b, a
	{
		inner := pt{1, 2}
		_ = inner
	}
	if err := error(nil); err != nil {
		return
	}
	return total
}
