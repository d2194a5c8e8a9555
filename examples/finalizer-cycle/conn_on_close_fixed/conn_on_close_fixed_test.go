// Package conn_on_close_fixed is a connection pool whose connections hand
// themselves back on Close.
//
// Fixed twin of conn_on_close: the close hook takes the connection as a
// parameter instead of capturing it, so no field of c leads back to c and a
// forgotten connection is collected and finalized.
package conn_on_close_fixed

import (
	"runtime"
	"sync/atomic"
	"testing"
)

var forgotten atomic.Int32

type conn struct {
	id      int
	closed  bool
	onClose func(*conn)
}

type pool struct {
	idle []*conn
}

func (p *pool) put(c *conn) { p.idle = append(p.idle, c) }

func (p *pool) dial(id int) *conn {
	c := &conn{id: id, onClose: p.put}
	runtime.SetFinalizer(c, func(c *conn) { c.finalize() })
	return c
}

// finalize is the safety net for a connection nobody closed.
func (c *conn) finalize() {
	if !c.closed {
		forgotten.Add(1)
	}
}

func (c *conn) Close() {
	c.closed = true
	c.onClose(c)
}

func TestDialAndClose(t *testing.T) {
	p := &pool{}
	c := p.dial(1)
	c.Close()
	p.dial(2) // forgotten: the finalizer releases it
	if len(p.idle) != 1 || p.idle[0].id != 1 {
		t.Fatalf("idle = %v, want connection 1", p.idle)
	}
}
