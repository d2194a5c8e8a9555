// Package notify_select_default_fixed reports when an initial sync is done.
//
// Fixed twin of notify_select_default: completion is a state, not an
// event, so it is announced by closing the channel: every waiter, early or
// late, sees it.
package notify_select_default_fixed

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
	close(inf.synced)
}

func TestWaitForSync(t *testing.T) {
	inf := newInformer()
	go inf.run([]object{{"web-0", "v1"}, {"web-1", "v1"}})
	// The controller starts its other informers first.
	time.Sleep(20 * time.Millisecond)
	<-inf.synced
	if len(inf.store) != 2 {
		t.Fatalf("store has %d objects", len(inf.store))
	}
}
