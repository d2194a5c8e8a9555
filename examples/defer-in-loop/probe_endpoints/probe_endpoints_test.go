// Package probe_endpoints health-checks a list of backends, each with its
// own deadline.
//
// Real-world pattern: a prober (load balancer health checks, service
// discovery) that derives a per-request context with context.WithTimeout
// and defers its cancel inside the loop. None of the contexts is cancelled
// before probeAll returns, so every one keeps its timer and its entry in the
// parent's children until then: a long sweep over thousands of backends
// holds thousands of live timers, and `go vet`'s lostcancel does not flag it.
//
// oracle: skip the contexts are all cancelled when probeAll returns; nothing fails at run time
package probe_endpoints

import (
	"context"
	"errors"
	"testing"
	"time"
)

type backend struct {
	addr    string
	healthy bool
}

func probe(ctx context.Context, b backend) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !b.healthy {
		return errors.New(b.addr + ": unhealthy")
	}
	return nil
}

// probeAll returns the addresses of the healthy backends.
func probeAll(parent context.Context, backends []backend, timeout time.Duration) []string {
	var up []string
	for _, b := range backends {
		ctx, cancel := context.WithTimeout(parent, timeout)
		defer cancel() // want defer-in-loop "context.WithTimeout"
		if err := probe(ctx, b); err == nil {
			up = append(up, b.addr)
		}
	}
	return up
}

func TestProbeAll(t *testing.T) {
	backends := []backend{{"10.0.0.1:80", true}, {"10.0.0.2:80", false}, {"10.0.0.3:80", true}}
	up := probeAll(context.Background(), backends, time.Second)
	if len(up) != 2 {
		t.Fatalf("healthy = %v, want two backends", up)
	}
}
