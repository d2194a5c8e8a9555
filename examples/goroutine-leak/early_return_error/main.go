// Command early_return_error loads users and groups concurrently at start-up.
//
// Real-world pattern: a hand-rolled errgroup (kubelet and cockroach
// start-up code) that returns on the first error while the other loaders
// still have to deliver their result on an unbuffered channel. Once load
// has returned, nobody receives from errc and the slow loader blocks
// forever.
package main

import (
	"errors"
	"fmt"
	"time"
)

type config struct {
	users  []string
	groups []string
}

type loader struct {
	cfg     config
	latency time.Duration
}

func (l *loader) loadUsers() error {
	if len(l.cfg.users) == 0 {
		return errors.New("no users configured")
	}
	return nil
}

// loadGroups reads a slower backend.
func (l *loader) loadGroups() error {
	time.Sleep(l.latency)
	return nil
}

func (l *loader) load() error {
	errc := make(chan error)
	go func() { errc <- l.loadUsers() }()
	go func() {
		errc <- l.loadGroups() // want goroutine-leak
	}()
	for i := 0; i < 2; i++ {
		if err := <-errc; err != nil {
			return err // the other loader is left blocked on errc
		}
	}
	return nil
}

func main() {
	l := &loader{cfg: config{groups: []string{"admins"}}, latency: 30 * time.Millisecond}
	if err := l.load(); err != nil {
		fmt.Println("startup:", err)
	}
}
