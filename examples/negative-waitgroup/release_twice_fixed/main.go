// Command release_twice_fixed tracks in-flight requests for a graceful shutdown.
//
// Fixed twin of release_twice: the deferred release is the only one.
package main

import (
	"fmt"
	"sync"
)

type drainer struct {
	inflight sync.WaitGroup
}

// begin registers a request; the caller must call done exactly once.
func (d *drainer) begin() (done func()) {
	d.inflight.Add(1)
	return d.inflight.Done
}

// shutdown waits for the in-flight requests.
func (d *drainer) shutdown() {
	d.inflight.Wait()
}

type request struct {
	path string
	body string
}

type server struct {
	drain   drainer
	handled map[string]int
}

func (s *server) handle(r request) error {
	done := s.drain.begin()
	defer done()
	if r.body == "" {
		return fmt.Errorf("%s: empty body", r.path)
	}
	s.handled[r.path]++
	return nil
}

func main() {
	s := &server{handled: map[string]int{}}
	for _, r := range []request{{"/v1/orders", `{"id":1}`}, {"/v1/orders", ""}} {
		if err := s.handle(r); err != nil {
			fmt.Println("bad request:", err)
		}
	}
	s.drain.shutdown()
}
