// Command timeout_select resolves a host name with a deadline.
//
// Real-world pattern: the request-with-timeout helper found all over
// kubernetes, etcd and docker clients. The lookup runs in a goroutine that
// hands its answer over an unbuffered channel; when the deadline wins the
// select, nobody will ever receive that answer and the goroutine stays
// blocked on its send forever.
package main

import (
	"fmt"
	"time"
)

type resolver struct {
	latency time.Duration
	table   map[string]string
}

// lookup asks the (slow) upstream server.
func (r *resolver) lookup(host string) string {
	time.Sleep(r.latency)
	return r.table[host]
}

func (r *resolver) resolve(host string, timeout time.Duration) (string, error) {
	ch := make(chan string)
	go func() {
		ch <- r.lookup(host) // want goroutine-leak
	}()
	select {
	case addr := <-ch:
		return addr, nil
	case <-time.After(timeout):
		return "", fmt.Errorf("resolve %s: no answer within %v", host, timeout)
	}
}

func main() {
	r := &resolver{
		latency: 30 * time.Millisecond,
		table:   map[string]string{"db.internal": "10.0.0.7"},
	}
	addr, err := r.resolve("db.internal", 2*time.Millisecond)
	fmt.Println(addr, err)
}
