// Command timer_stop_drain_fixed debounces configuration updates.
//
// Fixed twin of timer_stop_drain: since Go 1.23 (this module says go 1.27)
// Reset discards a pending expiry itself, so the quiet period is restarted
// with a plain Reset and there is no drain that could block.
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
