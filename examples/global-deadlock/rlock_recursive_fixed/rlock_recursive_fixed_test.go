// Package rlock_recursive_fixed is a service registry guarded by an RWMutex.
//
// Fixed twin of rlock_recursive: snapshot reads the map directly under the
// read lock it already holds instead of calling the locking endpoints, so a
// queued writer can no longer wedge itself between two RLock calls.
package rlock_recursive_fixed

import (
	"sync"
	"testing"
	"time"
)

type registry struct {
	mu       sync.RWMutex
	services map[string][]string

	// testHookSnapshot, if set, runs while snapshot holds the read lock.
	testHookSnapshot func()
}

func (r *registry) register(name, addr string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.services[name] = append(r.services[name], addr)
}

func (r *registry) endpoints(name string) []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.services[name]
}

// snapshot counts the endpoints of every service.
func (r *registry) snapshot() map[string]int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.testHookSnapshot != nil {
		r.testHookSnapshot()
	}
	out := make(map[string]int)
	for name, eps := range r.services {
		out[name] = len(eps)
	}
	return out
}

func TestSnapshotWithConcurrentRegister(t *testing.T) {
	r := &registry{services: map[string][]string{"api": {"10.0.0.1"}}}
	started := make(chan struct{})
	r.testHookSnapshot = func() {
		close(started)
		time.Sleep(20 * time.Millisecond) // let the writer queue on Lock
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-started
		r.register("db", "10.0.0.9")
	}()
	snap := r.snapshot()
	<-done
	if snap["api"] != 1 || len(r.endpoints("db")) != 1 {
		t.Fatalf("snapshot = %v", snap)
	}
}
