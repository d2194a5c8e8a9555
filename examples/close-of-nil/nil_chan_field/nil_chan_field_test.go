// Package nil_chan_field is a health checker with a stop channel.
//
// Real-world pattern: a struct with a channel field that its constructor
// never makes (docker's and kubernetes' probers and pollers). Selecting on
// the nil stop channel silently never fires, which hides the bug until
// Stop closes it: closing a nil channel panics.
package nil_chan_field

import (
	"sync"
	"testing"
)

type healthChecker struct {
	mu      sync.Mutex
	results map[string]bool
	stop    chan struct{}
	check   func(target string) bool
}

func newHealthChecker(check func(string) bool) *healthChecker {
	return &healthChecker{results: make(map[string]bool), check: check} // stop is never made
}

func (h *healthChecker) run(targets []string, done chan<- struct{}) {
	defer close(done)
	for _, t := range targets {
		select {
		case <-h.stop:
			return
		default:
		}
		ok := h.check(t)
		h.mu.Lock()
		h.results[t] = ok
		h.mu.Unlock()
	}
}

func (h *healthChecker) Stop() {
	close(h.stop) // want close-of-nil
}

func TestHealthChecker(t *testing.T) {
	h := newHealthChecker(func(target string) bool { return target != "" })
	done := make(chan struct{})
	go h.run([]string{"api:443", "db:5432"}, done)
	<-done
	h.Stop()
	if len(h.results) != 2 {
		t.Fatalf("results = %v", h.results)
	}
}
