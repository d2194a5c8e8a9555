// Package probe_endpoints_fixed health-checks a list of backends, each with
// its own deadline.
//
// Fixed twin of probe_endpoints: the per-backend context lives in its own
// function, so its deferred cancel runs as soon as that probe is done.
package probe_endpoints_fixed

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
		err := func() error {
			ctx, cancel := context.WithTimeout(parent, timeout)
			defer cancel()
			return probe(ctx, b)
		}()
		if err == nil {
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
