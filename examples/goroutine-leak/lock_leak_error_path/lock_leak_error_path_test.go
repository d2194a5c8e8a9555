// Package lock_leak_error_path is a small key-value store with async flushes.
//
// Real-world pattern: the most common lock bug in GoKer's kubernetes and
// docker kernels - an early return on an error path that skips the Unlock.
// The mutex stays held, and the next goroutine that needs it (here the
// background flush, which the test does not wait for) blocks forever.
package lock_leak_error_path

import (
	"errors"
	"sync"
	"testing"
)

var errNegative = errors.New("store: negative value")

type store struct {
	mu      sync.Mutex
	data    map[string]int
	dirty   bool
	flushes int
	persist func(map[string]int)
}

func (s *store) set(key string, v int) error {
	s.mu.Lock()
	if v < 0 {
		return errNegative // returns with s.mu held
	}
	s.data[key] = v
	s.dirty = true
	s.mu.Unlock()
	return nil
}

// flushAsync persists pending writes in the background; callers don't wait.
func (s *store) flushAsync() {
	go s.flush()
}

func (s *store) flush() {
	s.mu.Lock() // want goroutine-leak
	defer s.mu.Unlock()
	if s.dirty {
		s.persist(s.data)
		s.flushes++
		s.dirty = false
	}
}

func TestSetRejectsNegative(t *testing.T) {
	s := &store{data: map[string]int{}, persist: func(map[string]int) {}}
	if err := s.set("replicas", -1); err != errNegative {
		t.Fatalf("err = %v", err)
	}
	s.flushAsync()
}
