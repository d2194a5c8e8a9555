// Command shutdown_twice_fixed runs the reader and writer loops of a connection.
//
// Fixed twin of shutdown_twice: shutdown closes the channel through a
// sync.Once, so it is idempotent and either loop may call it.
package main

import (
	"fmt"
	"sync"
)

type conn struct {
	closeOnce sync.Once
	closed    chan struct{}
	in        []string // frames the peer sends
	out       []string // frames we write; "" is a write error
}

func (c *conn) shutdown() {
	c.closeOnce.Do(func() { close(c.closed) })
}

func (c *conn) readLoop(wg *sync.WaitGroup) {
	defer wg.Done()
	for _, frame := range c.in {
		if frame == "GOAWAY" {
			c.shutdown()
			return
		}
	}
}

func (c *conn) writeLoop(wg *sync.WaitGroup) {
	defer wg.Done()
	for _, frame := range c.out {
		if frame == "" {
			c.shutdown()
			return
		}
	}
}

func main() {
	c := &conn{
		closed: make(chan struct{}),
		in:     []string{"SETTINGS", "DATA", "GOAWAY"},
		out:    []string{"HEADERS", ""},
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go c.readLoop(&wg)
	go c.writeLoop(&wg)
	wg.Wait()
	<-c.closed
	fmt.Println("connection closed")
}
