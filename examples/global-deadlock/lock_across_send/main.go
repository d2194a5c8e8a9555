// Command lock_across_send notifies watchers of a key-value store.
//
// Real-world pattern: a lock held across a channel send, as in etcd's
// watchable store and grpc's balancer wrappers. put holds s.mu while it
// hands the event to each watcher over an unbuffered channel, but a watcher
// must take s.mu (to record the revision it caught up to) before it gets to
// its receive. If put wins the lock, each side waits for the other.
package main

import (
	"fmt"
	"sync"
	"time"
)

type event struct {
	key, value string
	rev        int
}

type watcher struct {
	id   int
	ch   chan event
	seen int
}

type watchableStore struct {
	mu       sync.Mutex
	rev      int
	watchers []*watcher
}

func (s *watchableStore) put(key, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rev++
	for _, w := range s.watchers {
		w.ch <- event{key: key, value: value, rev: s.rev} // want global-deadlock
	}
}

// next records the revision the watcher has caught up to, then waits.
func (s *watchableStore) next(w *watcher) event {
	s.mu.Lock()
	w.seen = s.rev
	s.mu.Unlock()
	return <-w.ch
}

func main() {
	s := &watchableStore{}
	w := &watcher{id: 1, ch: make(chan event)}
	s.watchers = append(s.watchers, w)
	got := make(chan event)
	go func() {
		time.Sleep(20 * time.Millisecond) // the watcher starts late
		got <- s.next(w)
	}()
	s.put("/config/replicas", "3")
	fmt.Println("watcher saw", <-got)
}
