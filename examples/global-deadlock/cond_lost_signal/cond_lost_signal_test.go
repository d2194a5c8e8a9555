// Package cond_lost_signal is a work queue built on sync.Cond.
//
// Real-world pattern: a condition variable waited on without re-checking
// its predicate (seen in docker's and kubernetes' hand-rolled queues).
// Signal wakes only a goroutine that is already waiting; when the producer
// adds its item before the consumer reaches Wait, the signal is lost and
// the consumer sleeps forever next to an item it never looks at.
package cond_lost_signal

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

// get waits for the producer's signal and takes the first item.
func (q *workQueue) get() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.cond.Wait() // want global-deadlock
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
