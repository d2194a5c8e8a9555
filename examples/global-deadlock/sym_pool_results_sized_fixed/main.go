// Command sym_pool_results_sized_fixed renders thumbnails with a pool of
// workers.
//
// The fix: the results channel is sized by the batch, the number of results
// the collector drains after wg.Wait, so no worker can block on it whatever
// the two settings are.
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
)

const maxSetting = 2 // larger settings are clamped

func setting(name string, def int) int {
	v, err := strconv.Atoi(os.Getenv(name))
	if err != nil {
		return def // unset or malformed
	}
	if v < 0 {
		return 0
	}
	if v > maxSetting {
		return maxSetting
	}
	return v
}

// render returns the size in bytes of the thumbnail it wrote.
func render(id int) int {
	return 4096 + 512*id
}

func main() {
	workers := setting("THUMB_WORKERS", 1)
	if workers < 1 {
		workers = 1
	}
	batch := setting("THUMB_BATCH", 2)

	jobs := make(chan int, batch)
	for i := 0; i < batch; i++ {
		jobs <- i
	}
	close(jobs)

	results := make(chan int, batch) // room for every result
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range jobs {
				results <- render(id)
			}
		}()
	}
	wg.Wait()
	close(results)
	total := 0
	for size := range results {
		total += size
	}
	fmt.Println("wrote", total, "bytes")
}
