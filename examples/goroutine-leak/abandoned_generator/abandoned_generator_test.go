// Package abandoned_generator streams objects from a paginated list API.
//
// Real-world pattern: a generator goroutine feeding an unbuffered channel,
// abandoned by a consumer that stops early (kubernetes' list pagers, hugo's
// content walkers). find returns as soon as it sees the object it wants;
// the generator is left blocked on its next send, forever.
package abandoned_generator

import "testing"

type lister struct {
	pages [][]string
}

// all streams every object, page by page.
func (l *lister) all() <-chan string {
	out := make(chan string)
	go func() {
		defer close(out)
		for _, page := range l.pages {
			for _, obj := range page {
				out <- obj // want goroutine-leak
			}
		}
	}()
	return out
}

func find(l *lister, name string) bool {
	for obj := range l.all() {
		if obj == name {
			return true // stops reading: the generator is stuck on its next send
		}
	}
	return false
}

func TestFindStopsEarly(t *testing.T) {
	l := &lister{pages: [][]string{{"pod-a", "pod-b"}, {"pod-c"}}}
	if !find(l, "pod-b") {
		t.Fatal("pod-b not found")
	}
}
