// Package pool_results_small_fixed is a fixed-size worker pool.
//
// Fixed twin of pool_results_small: the dispatcher drains results while
// the workers run, and a closer goroutine closes results once they are all
// done, so a full buffer only ever delays a worker.
package pool_results_small_fixed

import (
	"sync"
	"testing"
)

type job struct {
	id      int
	payload string
}

type result struct {
	id   int
	size int
}

type pool struct {
	workers int
	handle  func(job) result
}

func (p *pool) process(jobs []job) []result {
	jobc := make(chan job, len(jobs))
	results := make(chan result, p.workers)
	var wg sync.WaitGroup
	for i := 0; i < p.workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobc {
				results <- p.handle(j)
			}
		}()
	}
	for _, j := range jobs {
		jobc <- j
	}
	close(jobc)
	go func() {
		wg.Wait()
		close(results)
	}()
	var out []result
	for r := range results {
		out = append(out, r)
	}
	return out
}

func TestPoolProcessesAll(t *testing.T) {
	p := &pool{
		workers: 2,
		handle:  func(j job) result { return result{id: j.id, size: len(j.payload)} },
	}
	jobs := []job{{1, "a"}, {2, "bb"}, {3, "ccc"}, {4, "dddd"}}
	if got := p.process(jobs); len(got) != len(jobs) {
		t.Fatalf("got %d results, want %d", len(got), len(jobs))
	}
}
