// Package double_lock_method is a small LRU cache.
//
// Real-world pattern: the self-deadlock through a helper method seen in
// kubernetes (a family of GoKer kernels) and docker's
// registries: Add holds c.mu and calls the exported Len, which takes c.mu
// again. sync.Mutex is not reentrant, so the goroutine blocks on itself.
package double_lock_method

import (
	"sync"
	"testing"
)

type lruCache struct {
	mu    sync.Mutex
	cap   int
	order []string
	items map[string]int
}

func newLRU(capacity int) *lruCache {
	return &lruCache{cap: capacity, items: make(map[string]int)}
}

// Len is part of the public API, so it locks.
func (c *lruCache) Len() int {
	c.mu.Lock() // want global-deadlock
	defer c.mu.Unlock()
	return len(c.items)
}

func (c *lruCache) Add(key string, v int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[key]; !ok {
		c.order = append(c.order, key)
	}
	c.items[key] = v
	if c.Len() > c.cap { // re-enters c.mu
		c.evictOldest()
	}
}

func (c *lruCache) evictOldest() {
	oldest := c.order[0]
	c.order = c.order[1:]
	delete(c.items, oldest)
}

func TestLRUEvicts(t *testing.T) {
	c := newLRU(2)
	c.Add("a", 1)
	c.Add("b", 2)
	c.Add("c", 3)
	if n := c.Len(); n != 2 {
		t.Fatalf("len = %d, want 2", n)
	}
}
