// Command early_return_error_fixed loads users and groups concurrently at start-up.
//
// Fixed twin of early_return_error: errc has one slot per loader, so every
// loader can deliver its result and exit even after load has returned on
// the first error.
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
	errc := make(chan error, 2) // one slot per loader
	go func() { errc <- l.loadUsers() }()
	go func() {
		errc <- l.loadGroups()
	}()
	for i := 0; i < 2; i++ {
		if err := <-errc; err != nil {
			return err
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
