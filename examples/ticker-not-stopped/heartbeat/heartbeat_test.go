// Package heartbeat sends periodic liveness pings for a session.
//
// Real-world pattern: the keepalive loops of etcd clients and gRPC
// transports. The loop goroutine owns a ticker and exits when the session
// closes — but forgets to stop the ticker, which then outlives the session.
//
// oracle: skip no runtime signal shows an unstopped ticker: no crash, and the goroutineleak profile does not cover timers
package heartbeat

import (
	"sync"
	"testing"
	"time"
)

type session struct {
	mu    sync.Mutex
	alive bool
	done  chan struct{}
}

func (s *session) keepalive(wg *sync.WaitGroup) {
	defer wg.Done()
	t := time.NewTicker(time.Millisecond) // want ticker-not-stopped
	for {
		select {
		case <-t.C:
			s.mu.Lock()
			s.alive = true
			s.mu.Unlock()
		case <-s.done:
			return
		}
	}
}

func TestKeepaliveStopsWithSession(t *testing.T) {
	s := &session{done: make(chan struct{})}
	var wg sync.WaitGroup
	wg.Add(1)
	go s.keepalive(&wg)
	time.Sleep(5 * time.Millisecond)
	close(s.done)
	wg.Wait()
}
