// Package ticker_no_exit_fixed is a cache refreshed in the background.
//
// Fixed twin of ticker_no_exit: the refresh loop also selects on a stop
// channel, and Close closes it and waits for the loop to exit (stopping the
// ticker on the way out); the test closes the cache it starts.
package ticker_no_exit_fixed

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
	stop     chan struct{}
	done     chan struct{}
}

func newCache(interval time.Duration, source func() map[string]string) *cache {
	return &cache{
		entries:  source(),
		interval: interval,
		source:   source,
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
	}
}

func (c *cache) refresh() {
	fresh := c.source()
	c.mu.Lock()
	c.entries = fresh
	c.mu.Unlock()
}

// start refreshes the cache every interval until Close.
func (c *cache) start() {
	go func() {
		defer close(c.done)
		ticker := time.NewTicker(c.interval)
		defer ticker.Stop()
		for {
			select {
			case <-ticker.C:
				c.refresh()
			case <-c.stop:
				return
			}
		}
	}()
}

func (c *cache) Close() {
	close(c.stop)
	<-c.done
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
	defer c.Close()
	if got := c.get("region"); got != "eu-west-1" {
		t.Fatalf("region = %q", got)
	}
}
