// Command poll_early_return_fixed waits for a backend to become healthy.
//
// Real-world pattern: readiness pollers in deployment tools create a ticker,
// then validate their arguments and bail out early on a bad config — the
// early return skipped the Stop; the fix stops the ticker with defer on
// every path.
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
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	if attempts <= 0 {
		return errors.New("waitHealthy: attempts must be positive")
	}
	for i := 0; i < attempts; i++ {
		<-tick.C
		if b.healthy {
			return nil
		}
	}
	return fmt.Errorf("%s: not healthy after %d attempts", b.name, attempts)
}

func main() {
	b := &backend{name: "db", healthy: true}
	fmt.Println(waitHealthy(b, 0))
	fmt.Println(waitHealthy(b, 2))
}
