// Command lru_handles_fixed caches open file handles in an LRU list.
//
// Fixed twin of lru_handles: the safety net is a runtime.AddCleanup
// cleanup, which (unlike a finalizer) does not keep a cycle alive, so every
// dropped entry releases its handle.
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
	runtime.AddCleanup(e, func(fd int) { released.Add(1) }, fd)
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
