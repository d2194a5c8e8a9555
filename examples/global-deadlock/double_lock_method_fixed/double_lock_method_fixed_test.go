// Package double_lock_method_fixed is a small LRU cache.
//
// Fixed twin of double_lock_method: the locked section uses an unexported
// helper that expects c.mu to be held instead of calling the locking Len.
package double_lock_method_fixed

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
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lenLocked()
}

// lenLocked requires c.mu to be held.
func (c *lruCache) lenLocked() int { return len(c.items) }

func (c *lruCache) Add(key string, v int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[key]; !ok {
		c.order = append(c.order, key)
	}
	c.items[key] = v
	if c.lenLocked() > c.cap {
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
