// Package embedded_lazy_init_fixed is a metrics server built on an embedded lifecycle.
//
// Fixed twin of embedded_lazy_init: Close on a lifecycle that was never
// started is a no-op, so the constructor's error path can call it safely.
package embedded_lazy_init_fixed

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
	if l.stopCh == nil {
		return // never started
	}
	close(l.stopCh)
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
