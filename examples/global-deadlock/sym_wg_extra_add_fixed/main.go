// Command sym_wg_extra_add_fixed pings every configured replica before it
// starts serving.
//
// The fix: the count matches the goroutines started, one Add per replica,
// so Wait returns for every number of replicas.
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
	wg.Add(len(replicas))
	for _, r := range replicas {
		go func() {
			defer wg.Done()
			ping(r)
		}()
	}
	wg.Wait()
	fmt.Println("all replicas reachable")
}
