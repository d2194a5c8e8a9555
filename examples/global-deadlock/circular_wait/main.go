// Command circular_wait drives a raft-style node and its apply loop.
//
// Real-world pattern: etcd's raft node / applier hand-off (and the many
// GoKer kernels where two goroutines exchange messages over unbuffered
// channels in opposite orders). The node proposes an entry and then waits
// for the apply notification; the applier first reports its progress and
// only then reads the next proposal. Both start with a send, each waiting
// for the other to receive: a circular wait, and since no other goroutine
// exists the runtime reports "all goroutines are asleep".
package main

import "fmt"

type entry struct {
	index int
	data  string
}

type applier struct {
	proposals chan entry
	applied   chan int
	last      int
}

func (a *applier) run(n int) {
	for i := 0; i < n; i++ {
		a.applied <- a.last // report progress before taking work
		e := <-a.proposals
		a.last = e.index
	}
}

type node struct {
	app *applier
	log []entry
}

func (n *node) propose(data string) int {
	e := entry{index: len(n.log) + 1, data: data}
	n.log = append(n.log, e)
	n.app.proposals <- e // want global-deadlock
	return <-n.app.applied
}

func main() {
	app := &applier{proposals: make(chan entry), applied: make(chan int)}
	n := &node{app: app}
	go app.run(2)
	for _, d := range []string{"put a=1", "put b=2"} {
		fmt.Println("applied up to", n.propose(d))
	}
}
