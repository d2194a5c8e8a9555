// Command nil_chan_send_fixed reports request metrics asynchronously.
//
// Fixed twin of nil_chan_send: the reporter comes from its constructor, so
// samples is a real buffered channel and the reporting goroutine's send
// completes whether or not the reader is still draining.
package main

import (
	"fmt"
	"time"
)

type sample struct {
	name  string
	value float64
}

type reporter struct {
	prefix  string
	samples chan sample // made by newReporter
}

func newReporter(prefix string) *reporter {
	return &reporter{prefix: prefix, samples: make(chan sample, 16)}
}

// observe records a sample without blocking the request path.
func (r *reporter) observe(name string, v float64) {
	go func() {
		r.samples <- sample{name: r.prefix + name, value: v}
	}()
}

// drain collects the samples that arrive within the window.
func (r *reporter) drain(window time.Duration) []sample {
	var out []sample
	for {
		select {
		case s := <-r.samples:
			out = append(out, s)
		case <-time.After(window):
			return out
		}
	}
}

func main() {
	r := newReporter("http.")
	r.observe("latency_ms", 12.5)
	fmt.Println(len(r.drain(5*time.Millisecond)), "samples")
}
