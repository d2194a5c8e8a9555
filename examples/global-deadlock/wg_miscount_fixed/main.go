// Command wg_miscount_fixed probes a set of backends concurrently.
//
// Fixed twin of wg_miscount: wg.Add(1) moved next to the go statement it
// counts, after the skip, so every Add has its Done.
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
		if pr.addr == "" {
			continue // disabled
		}
		wg.Add(1)
		go func(pr probe) {
			defer wg.Done()
			p.check(pr)
		}(pr)
	}
	wg.Wait()
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
