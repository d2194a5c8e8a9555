// Package stop_called_twice_fixed is a controller manager that stops its runnables.
//
// Fixed twin of stop_called_twice: Stop closes stopCh through a sync.Once,
// so stopping an already stopped controller is a no-op.
package stop_called_twice_fixed

import (
	"sync"
	"testing"
)

// runnable is anything the manager starts and stops.
type runnable interface {
	Start()
	Stop()
}

type controller struct {
	name     string
	stopOnce sync.Once
	stopCh   chan struct{}
	stopped  chan struct{}
	synced   int
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
	c.stopOnce.Do(func() { close(c.stopCh) })
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
