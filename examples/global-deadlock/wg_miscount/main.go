// Command wg_miscount probes a set of backends concurrently.
//
// Real-world pattern: WaitGroup miscounts in kubernetes' node probers and
// cockroach's status fan-outs, where wg.Add(1) sits at the top of the loop
// and a later "skip disabled entries" continue was added between the Add
// and the go statement. The skipped probe's Add is never matched by a Done,
// so Wait blocks forever after every real probe has finished.
package main

import (
	"fmt"
	"sync"
)

type probe struct {
	name string
	addr string // empty: probe disabled
}

type prober struct {
	mu      sync.Mutex
	healthy map[string]bool
}

func (p *prober) check(pr probe) {
	ok := len(pr.addr) > 0 // stands in for a TCP dial
	p.mu.Lock()
	p.healthy[pr.name] = ok
	p.mu.Unlock()
}

func (p *prober) checkAll(probes []probe) {
	var wg sync.WaitGroup
	for _, pr := range probes {
		wg.Add(1)
		if pr.addr == "" {
			continue // disabled: skipped, but counted
		}
		go func(pr probe) {
			defer wg.Done()
			p.check(pr)
		}(pr)
	}
	wg.Wait() // want global-deadlock
}

func main() {
	p := &prober{healthy: map[string]bool{}}
	p.checkAll([]probe{
		{name: "api", addr: "10.0.0.1:443"},
		{name: "legacy-db", addr: ""},
		{name: "cache", addr: "10.0.0.3:6379"},
	})
	fmt.Println(len(p.healthy), "probes done")
}
