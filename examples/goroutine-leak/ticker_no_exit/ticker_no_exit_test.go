// Package ticker_no_exit is a cache refreshed in the background.
//
// Real-world pattern: a refresh loop over a ticker with no way to stop it
// (knative serving's and istio's periodic caches). The goroutine never
// blocks forever - the ticker keeps firing - but it can never terminate
// either, so it outlives every test (and every cache) that starts it.
package ticker_no_exit

import (
	"sync"
	"testing"
	"time"
)

type cache struct {
	mu       sync.Mutex
	entries  map[string]string
	interval time.Duration
	source   func() map[string]string
}

func newCache(interval time.Duration, source func() map[string]string) *cache {
	return &cache{entries: source(), interval: interval, source: source}
}

func (c *cache) refresh() {
	fresh := c.source()
	c.mu.Lock()
	c.entries = fresh
	c.mu.Unlock()
}

// start refreshes the cache every interval.
func (c *cache) start() {
	go func() { // want goroutine-leak
		ticker := time.NewTicker(c.interval)
		defer ticker.Stop()
		for range ticker.C {
			c.refresh()
		}
	}()
}

func (c *cache) get(key string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entries[key]
}

func TestCacheServesEntries(t *testing.T) {
	c := newCache(time.Millisecond, func() map[string]string {
		return map[string]string{"region": "eu-west-1"}
	})
	c.start()
	if got := c.get("region"); got != "eu-west-1" {
		t.Fatalf("region = %q", got)
	}
}
