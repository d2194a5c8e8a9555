// Command sym_wg_extra_add pings every configured replica before it starts
// serving.
//
// Real-world pattern: wg.Add(len(replicas) + 1), where the extra count was
// for a metrics flusher goroutine that a later refactoring removed (a
// miscount seen in etcd's and cockroach's start-up code). Done runs once per
// replica only, so Wait never returns, whatever the number of replicas: the
// count is off by one for every length, zero included.
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
)

const maxReplicas = 3

func replicaCount() int {
	n, err := strconv.Atoi(os.Getenv("REPLICAS"))
	if err != nil {
		return 2 // unset or malformed
	}
	if n < 0 {
		return 0
	}
	if n > maxReplicas {
		return maxReplicas
	}
	return n
}

func ping(addr string) {
	fmt.Println("ping", addr)
}

func main() {
	n := replicaCount()
	var replicas []string
	for i := 0; i < n; i++ {
		replicas = append(replicas, fmt.Sprintf("replica-%d:2379", i))
	}
	var wg sync.WaitGroup
	wg.Add(len(replicas) + 1) // one per replica, plus the flusher (since removed)
	for _, r := range replicas {
		go func() {
			defer wg.Done()
			ping(r)
		}()
	}
	wg.Wait() // want global-deadlock
	fmt.Println("all replicas reachable")
}
