// Package cond_lost_signal_fixed is a work queue built on sync.Cond.
//
// Fixed twin of cond_lost_signal: get waits in a loop on the predicate
// (an item is there), so an item added before get starts is seen without
// any signal, and a spurious or early wake-up goes back to waiting.
package cond_lost_signal_fixed

import (
	"sync"
	"testing"
	"time"
)

type workQueue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []string
}

func newWorkQueue() *workQueue {
	q := &workQueue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *workQueue) add(item string) {
	q.mu.Lock()
	q.items = append(q.items, item)
	q.mu.Unlock()
	q.cond.Signal()
}

// get waits until an item is queued and takes the first one.
func (q *workQueue) get() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	item := q.items[0]
	q.items = q.items[1:]
	return item
}

func TestQueueHandsOver(t *testing.T) {
	q := newWorkQueue()
	go q.add("pod/default/web-0")
	time.Sleep(20 * time.Millisecond) // the worker finishes its setup first
	if got := q.get(); got != "pod/default/web-0" {
		t.Fatalf("got %q", got)
	}
}
