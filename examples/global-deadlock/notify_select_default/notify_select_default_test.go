// Package notify_select_default reports when an initial sync is done.
//
// Real-world pattern: a completion notification sent with a non-blocking
// select (grpc's and istio's "notify if anyone is listening" helpers). If
// the waiter is not parked on the channel at that very moment the default
// branch drops the only notification, and the waiter then blocks forever.
package notify_select_default

import (
	"testing"
	"time"
)

type object struct {
	name, version string
}

type informer struct {
	synced chan struct{}
	store  map[string]string
}

func newInformer() *informer {
	return &informer{synced: make(chan struct{}), store: make(map[string]string)}
}

func (inf *informer) run(initial []object) {
	for _, o := range initial {
		inf.store[o.name] = o.version
	}
	// Tell a waiter we have synced, without blocking if there is none.
	select {
	case inf.synced <- struct{}{}:
	default:
	}
}

func TestWaitForSync(t *testing.T) {
	inf := newInformer()
	go inf.run([]object{{"web-0", "v1"}, {"web-1", "v1"}})
	// The controller starts its other informers first.
	time.Sleep(20 * time.Millisecond)
	<-inf.synced // want global-deadlock
	if len(inf.store) != 2 {
		t.Fatalf("store has %d objects", len(inf.store))
	}
}
