// Package stop_called_twice is a controller manager that stops its runnables.
//
// Real-world pattern: kubernetes controllers whose Stop closes stopCh and
// is reached twice - once from the manager's shutdown and once from a
// deferred cleanup in the caller. The second close panics.
package stop_called_twice

import "testing"

// runnable is anything the manager starts and stops.
type runnable interface {
	Start()
	Stop()
}

type controller struct {
	name    string
	stopCh  chan struct{}
	stopped chan struct{}
	synced  int
}

func newController(name string) *controller {
	return &controller{name: name, stopCh: make(chan struct{}), stopped: make(chan struct{})}
}

func (c *controller) Start() {
	go func() {
		defer close(c.stopped)
		<-c.stopCh
	}()
}

func (c *controller) Stop() {
	close(c.stopCh) // want close-of-closed
	<-c.stopped
}

type manager struct {
	runnables []runnable
}

func (m *manager) add(r runnable) { m.runnables = append(m.runnables, r) }

func (m *manager) start() {
	for _, r := range m.runnables {
		r.Start()
	}
}

func (m *manager) shutdown() {
	for _, r := range m.runnables {
		r.Stop()
	}
}

func TestManagerShutdown(t *testing.T) {
	c := newController("replicaset")
	defer c.Stop() // the test cleans up its controller too
	m := &manager{}
	m.add(c)
	m.start()
	m.shutdown()
}
