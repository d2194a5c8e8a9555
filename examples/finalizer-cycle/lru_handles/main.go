// Command lru_handles caches open file handles in an LRU list.
//
// Real-world pattern: a handle cache whose entries sit on a doubly linked
// list (prev and next pointers) and carry a finalizer as a safety net that
// releases the handle if an entry is dropped without being closed. Two
// neighbours point at each other, so every entry is on a reference cycle;
// the garbage collector never frees a cycle that holds an object with a
// finalizer, so the safety net never fires and evicted entries leak.
//
// oracle: skip a finalizer that never runs is not a runtime failure (tests/test_static_checks.py counts them)
package main

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"time"
)

var released atomic.Int32

type entry struct {
	key        string
	fd         int
	prev, next *entry
}

type lru struct {
	head, tail *entry
	size       int
}

func (l *lru) pushBack(e *entry) {
	if l.tail == nil {
		l.head, l.tail = e, e
	} else {
		e.prev = l.tail
		l.tail.next = e
		l.tail = e
	}
	l.size++
}

func (l *lru) open(key string, fd int) *entry {
	e := &entry{key: key, fd: fd}
	runtime.SetFinalizer(e, func(e *entry) { released.Add(1) }) // want finalizer-cycle "e -prev-> l.tail -next-> e"
	l.pushBack(e)
	return e
}

// serve fills a cache for one batch of requests; the cache is dropped when
// it returns.
func serve() int {
	l := &lru{}
	for i := 0; i < 16; i++ {
		l.open(fmt.Sprintf("/data/shard-%02d", i), 100+i)
	}
	return l.size
}

func main() {
	n := serve()
	for i := 0; i < 10; i++ {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
	fmt.Printf("released %d of %d handles\n", released.Load(), n)
}
