// Command timeout_select_fixed resolves a host name with a deadline.
//
// Fixed twin of timeout_select: the result channel has room for the one
// answer, so the lookup goroutine can always deliver it and exit, even when
// the caller has already given up.
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
	ch := make(chan string, 1) // the sender never waits for a receiver
	go func() {
		ch <- r.lookup(host)
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
