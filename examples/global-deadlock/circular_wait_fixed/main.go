// Command circular_wait_fixed drives a raft-style node and its apply loop.
//
// Fixed twin of circular_wait: the applier takes a proposal first and
// reports after applying it, so the two goroutines agree on the order of
// the hand-off; the node closes the proposal channel when it is done, which
// ends the applier's loop.
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

func (a *applier) run() {
	for e := range a.proposals {
		a.last = e.index
		a.applied <- a.last
	}
}

type node struct {
	app *applier
	log []entry
}

func (n *node) propose(data string) int {
	e := entry{index: len(n.log) + 1, data: data}
	n.log = append(n.log, e)
	n.app.proposals <- e
	return <-n.app.applied
}

func main() {
	app := &applier{proposals: make(chan entry), applied: make(chan int)}
	n := &node{app: app}
	go app.run()
	for _, d := range []string{"put a=1", "put b=2"} {
		fmt.Println("applied up to", n.propose(d))
	}
	close(app.proposals)
}
