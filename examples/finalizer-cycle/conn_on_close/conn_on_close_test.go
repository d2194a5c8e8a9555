// Package conn_on_close is a connection pool whose connections hand
// themselves back on Close.
//
// Real-world pattern: a pooled connection with a close hook that captures
// the connection (c.onClose = func() { p.put(c) }) and a finalizer as a
// safety net that counts (and would close) sockets whose owner forgot to
// call Close. The hook stored in c's own field refers to c, so c -> hook ->
// c is a reference cycle: the garbage collector never frees a cycle that
// holds an object with a finalizer, so the safety net never runs and every
// forgotten connection leaks its socket.
//
// oracle: skip a finalizer that never runs is not a runtime failure
package conn_on_close

import (
	"runtime"
	"sync/atomic"
	"testing"
)

var forgotten atomic.Int32

type conn struct {
	id      int
	closed  bool
	onClose func()
}

type pool struct {
	idle []*conn
}

func (p *pool) put(c *conn) { p.idle = append(p.idle, c) }

func (p *pool) dial(id int) *conn {
	c := &conn{id: id}
	c.onClose = func() { p.put(c) }
	runtime.SetFinalizer(c, func(c *conn) { c.finalize() }) // want finalizer-cycle "c -onClose-> func literal -captures c-> c"
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
	c.onClose()
}

func TestDialAndClose(t *testing.T) {
	p := &pool{}
	c := p.dial(1)
	c.Close()
	p.dial(2) // forgotten: only the finalizer could release it
	if len(p.idle) != 1 || p.idle[0].id != 1 {
		t.Fatalf("idle = %v, want connection 1", p.idle)
	}
}
