// Command nil_chan_send reports request metrics asynchronously.
//
// Real-world pattern: a struct whose channel field is only initialised by
// its constructor, built with a composite literal instead (docker's and
// kubernetes' metric and event sinks). The samples channel is nil, so the
// reporting goroutine's send blocks forever; the reader's select never
// sees that case ready and just times out.
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
		r.samples <- sample{name: r.prefix + name, value: v} // want goroutine-leak
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
	r := &reporter{prefix: "http."} // bypasses newReporter: samples is nil
	r.observe("latency_ms", 12.5)
	fmt.Println(len(r.drain(5*time.Millisecond)), "samples")
}
