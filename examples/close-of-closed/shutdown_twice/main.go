// Command shutdown_twice runs the reader and writer loops of a connection.
//
// Real-world pattern: grpc's http2 transports and docker's attach
// connections, where both the read loop and the write loop tear the
// connection down on error. Each calls shutdown, and shutdown closes the
// closed channel unconditionally: whichever loop comes second panics.
package main

import (
	"fmt"
	"sync"
)

type conn struct {
	closed chan struct{}
	in     []string // frames the peer sends
	out    []string // frames we write; "" is a write error
}

func (c *conn) shutdown() {
	close(c.closed) // want close-of-closed
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
