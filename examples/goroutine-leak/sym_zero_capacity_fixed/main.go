// Command sym_zero_capacity_fixed publishes lifecycle events without ever
// blocking its caller.
//
// The fix: the computed buffer size is at least 1, so the start-up event
// always fits in the buffer, whatever the configured rate.
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
	size := perSecond / 10 // one slot per 10 events/s
	if size < 1 {
		size = 1 // the start-up event always fits
	}
	return &notifier{events: make(chan string, size)}
}

// publish never blocks the caller: the event waits in its own goroutine.
func (n *notifier) publish(e string) {
	go n.deliver(e)
}

func (n *notifier) deliver(e string) {
	n.events <- e
}

func main() {
	n := newNotifier(eventRate())
	n.publish("config loaded")
	fmt.Println("started")
}
