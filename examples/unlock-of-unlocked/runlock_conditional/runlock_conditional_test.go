// Package runlock_conditional is a host-to-backend routing table.
//
// Real-world pattern: a lookup helper that takes the read lock only when
// its caller does not hold the lock already, but releases it
// unconditionally (istio's and traefik-style route tables). When update,
// holding the write lock, calls it with locked=true, the deferred RUnlock
// has no read lock to release: "sync: RUnlock of unlocked RWMutex", a fatal
// error.
package runlock_conditional

import (
	"sync"
	"testing"
)

type routeTable struct {
	mu     sync.RWMutex
	routes map[string]string
}

// lookup finds the backend of host; locked tells it the caller holds mu.
func (rt *routeTable) lookup(host string, locked bool) (string, bool) {
	if !locked {
		rt.mu.RLock()
	}
	defer rt.mu.RUnlock() // want unlock-of-unlocked
	backend, ok := rt.routes[host]
	return backend, ok
}

func (rt *routeTable) update(host, backend string) bool {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if old, ok := rt.lookup(host, true); ok && old == backend {
		return false
	}
	rt.routes[host] = backend
	return true
}

func TestRouteUpdate(t *testing.T) {
	rt := &routeTable{routes: map[string]string{"api.example.com": "10.0.0.1:8080"}}
	if b, _ := rt.lookup("api.example.com", false); b != "10.0.0.1:8080" {
		t.Fatalf("backend = %q", b)
	}
	if !rt.update("api.example.com", "10.0.0.2:8080") {
		t.Fatal("update reported no change")
	}
}
