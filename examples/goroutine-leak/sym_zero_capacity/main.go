// Command sym_zero_capacity publishes lifecycle events without ever
// blocking its caller.
//
// Real-world pattern: a fire-and-forget publish that hands the event to a
// goroutine and relies on the channel's buffer to absorb it while nobody
// listens (event recorders in kubernetes and nomad). The buffer is computed
// from a setting, one slot per 10 events per second, so any rate below 10
// gives a capacity of 0: the publishing goroutine then blocks on its send
// forever. The default rate, 5, is such a rate.
package main

import (
	"fmt"
	"os"
	"strconv"
)

func eventRate() int {
	v, err := strconv.Atoi(os.Getenv("EVENT_RATE"))
	if err != nil {
		return 5 // unset or malformed
	}
	if v < 0 {
		return 0
	}
	return v
}

type notifier struct {
	events chan string
}

func newNotifier(perSecond int) *notifier {
	return &notifier{events: make(chan string, perSecond/10)} // one slot per 10 events/s
}

// publish never blocks the caller: the event waits in its own goroutine.
func (n *notifier) publish(e string) {
	go n.deliver(e)
}

func (n *notifier) deliver(e string) {
	n.events <- e // want goroutine-leak
}

func main() {
	n := newNotifier(eventRate())
	n.publish("config loaded")
	fmt.Println("started")
}
