// Command lock_across_send_fixed notifies watchers of a key-value store.
//
// Fixed twin of lock_across_send: put copies the watcher list and the
// revision under the lock and sends after releasing it, so a watcher can
// always take the lock on its way to the receive.
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
	s.rev++
	rev := s.rev
	ws := append([]*watcher(nil), s.watchers...)
	s.mu.Unlock()
	for _, w := range ws {
		w.ch <- event{key: key, value: value, rev: rev}
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
