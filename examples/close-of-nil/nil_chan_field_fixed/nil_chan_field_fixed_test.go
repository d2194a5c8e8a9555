// Package nil_chan_field_fixed is a health checker with a stop channel.
//
// Fixed twin of nil_chan_field: the constructor makes the stop channel.
package nil_chan_field_fixed

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
	return &healthChecker{
		results: make(map[string]bool),
		stop:    make(chan struct{}),
		check:   check,
	}
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
	close(h.stop)
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
