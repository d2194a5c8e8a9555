// Command timer_stop_drain debounces configuration updates.
//
// Real-world pattern: the "stop and drain" timer idiom in debouncers such
// as istio's push debounce and kubernetes' config watchers. After the
// select has already received from t.C, t.Stop reports false (the timer
// expired) and the drain `<-t.C` waits for a value that will never come.
// The producer's quiet period makes the timer fire, and once it has sent
// its last update and closed the channel nothing can wake the loop.
package main

import (
	"fmt"
	"time"
)

type debouncer struct {
	quiet   time.Duration
	pending []string
	batches [][]string
}

func (d *debouncer) flush() {
	if len(d.pending) > 0 {
		d.batches = append(d.batches, d.pending)
		d.pending = nil
	}
}

func (d *debouncer) run(updates <-chan string) {
	t := time.NewTimer(d.quiet)
	defer t.Stop()
	for {
		select {
		case u, ok := <-updates:
			if !ok {
				d.flush()
				return
			}
			d.pending = append(d.pending, u)
		case <-t.C:
			d.flush()
		}
		// Restart the quiet period.
		if !t.Stop() {
			<-t.C // want global-deadlock
		}
		t.Reset(d.quiet)
	}
}

func main() {
	updates := make(chan string)
	go func() {
		updates <- "route: reviews-v1"
		updates <- "route: reviews-v2"
		time.Sleep(20 * time.Millisecond) // quiet period: the timer fires
		close(updates)
	}()
	d := &debouncer{quiet: 5 * time.Millisecond}
	d.run(updates)
	fmt.Println(len(d.batches), "batches pushed")
}
