// Package rlock_recursive is a service registry guarded by an RWMutex.
//
// Real-world pattern: recursive read locking, a classic of GoKer's
// cockroach, grpc and kubernetes kernels. snapshot holds the read lock and
// calls endpoints, which read-locks again. That is fine until a writer
// queues on Lock in between: from then on new RLock calls wait for the
// writer, and the writer waits for the outer read lock to be released.
// The test hook lets the writer queue deterministically.
package rlock_recursive

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
	r.mu.RLock() // want global-deadlock
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
	for name := range r.services {
		out[name] = len(r.endpoints(name))
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
	if snap["api"] != 1 {
		t.Fatalf("snapshot = %v", snap)
	}
}
