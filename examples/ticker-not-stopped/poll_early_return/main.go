// Command poll_early_return waits for a backend to become healthy.
//
// Real-world pattern: readiness pollers in deployment tools create a ticker,
// then validate their arguments and bail out early on a bad config — the
// early return skips the Stop at the end of the function, so the ticker
// keeps running (forever before Go 1.23) with nobody left to stop it.
//
// oracle: skip no runtime signal shows an unstopped ticker: no crash, and the goroutineleak profile does not cover timers
package main

import (
	"errors"
	"fmt"
	"time"
)

type backend struct {
	name    string
	healthy bool
}

func waitHealthy(b *backend, attempts int) error {
	tick := time.NewTicker(time.Millisecond) // want ticker-not-stopped
	if attempts <= 0 {
		return errors.New("waitHealthy: attempts must be positive")
	}
	for i := 0; i < attempts; i++ {
		<-tick.C
		if b.healthy {
			tick.Stop()
			return nil
		}
	}
	tick.Stop()
	return fmt.Errorf("%s: not healthy after %d attempts", b.name, attempts)
}

func main() {
	b := &backend{name: "db", healthy: true}
	fmt.Println(waitHealthy(b, 0))
	fmt.Println(waitHealthy(b, 2))
}
