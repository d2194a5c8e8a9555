// Package runlock_conditional_fixed is a host-to-backend routing table.
//
// Fixed twin of runlock_conditional: the locking and the lock-free lookup
// are two functions, so the one used under the write lock never touches
// the read lock.
package runlock_conditional_fixed

import (
	"sync"
	"testing"
)

type routeTable struct {
	mu     sync.RWMutex
	routes map[string]string
}

func (rt *routeTable) lookup(host string) (string, bool) {
	rt.mu.RLock()
	defer rt.mu.RUnlock()
	return rt.lookupLocked(host)
}

// lookupLocked requires rt.mu to be held (read or write).
func (rt *routeTable) lookupLocked(host string) (string, bool) {
	backend, ok := rt.routes[host]
	return backend, ok
}

func (rt *routeTable) update(host, backend string) bool {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if old, ok := rt.lookupLocked(host); ok && old == backend {
		return false
	}
	rt.routes[host] = backend
	return true
}

func TestRouteUpdate(t *testing.T) {
	rt := &routeTable{routes: map[string]string{"api.example.com": "10.0.0.1:8080"}}
	if b, _ := rt.lookup("api.example.com"); b != "10.0.0.1:8080" {
		t.Fatalf("backend = %q", b)
	}
	if !rt.update("api.example.com", "10.0.0.2:8080") {
		t.Fatal("update reported no change")
	}
}
