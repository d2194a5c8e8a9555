// Package lock_leak_error_path_fixed is a small key-value store with async flushes.
//
// Fixed twin of lock_leak_error_path: set releases the mutex with a defer,
// so every return path unlocks and the background flush can run.
package lock_leak_error_path_fixed

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
	defer s.mu.Unlock()
	if v < 0 {
		return errNegative
	}
	s.data[key] = v
	s.dirty = true
	return nil
}

// flushAsync persists pending writes in the background; callers don't wait.
func (s *store) flushAsync() {
	go s.flush()
}

func (s *store) flush() {
	s.mu.Lock()
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
