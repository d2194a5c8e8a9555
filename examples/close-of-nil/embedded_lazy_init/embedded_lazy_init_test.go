// Package embedded_lazy_init is a metrics server built on an embedded lifecycle.
//
// Real-world pattern: an embedded base type whose channel is created
// lazily in Start (knative's and istio's component lifecycles), and a
// constructor error path that calls Close before Start ever ran. The
// promoted Close closes a nil stop channel and panics.
package embedded_lazy_init

import (
	"errors"
	"sync"
	"testing"
)

// lifecycle is embedded by every component.
type lifecycle struct {
	stopCh chan struct{}
	wg     sync.WaitGroup
}

func (l *lifecycle) Start(run func(stop <-chan struct{})) {
	l.stopCh = make(chan struct{})
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		run(l.stopCh)
	}()
}

func (l *lifecycle) Close() {
	close(l.stopCh) // want close-of-nil
	l.wg.Wait()
}

type metricsServer struct {
	lifecycle
	addr    string
	scrapes int
}

func (m *metricsServer) validate() error {
	if m.addr == "" {
		return errors.New("metrics: empty listen address")
	}
	return nil
}

func (m *metricsServer) serve(stop <-chan struct{}) {
	<-stop
}

func newMetricsServer(addr string) (*metricsServer, error) {
	m := &metricsServer{addr: addr}
	if err := m.validate(); err != nil {
		m.Close() // release what we have so far
		return nil, err
	}
	m.Start(m.serve)
	return m, nil
}

func TestMetricsServerLifecycle(t *testing.T) {
	m, err := newMetricsServer(":9090")
	if err != nil {
		t.Fatal(err)
	}
	m.Close()
}

func TestMetricsServerRejectsEmptyAddr(t *testing.T) {
	if _, err := newMetricsServer(""); err == nil {
		t.Fatal("empty address accepted")
	}
}
