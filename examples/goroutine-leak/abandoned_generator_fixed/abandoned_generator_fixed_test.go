// Package abandoned_generator_fixed streams objects from a paginated list API.
//
// Fixed twin of abandoned_generator: the consumer owns a done channel that
// it closes when it stops reading, and the generator selects on it next to
// every send, so it returns instead of blocking.
package abandoned_generator_fixed

import "testing"

type lister struct {
	pages [][]string
}

// all streams every object, page by page, until done is closed.
func (l *lister) all(done <-chan struct{}) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out)
		for _, page := range l.pages {
			for _, obj := range page {
				select {
				case out <- obj:
				case <-done:
					return
				}
			}
		}
	}()
	return out
}

func find(l *lister, name string) bool {
	done := make(chan struct{})
	defer close(done)
	for obj := range l.all(done) {
		if obj == name {
			return true
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
