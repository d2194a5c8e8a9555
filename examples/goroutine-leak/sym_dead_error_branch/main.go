// Command sym_dead_error_branch exports the search index in batches, and
// warms the index in the background while it checks its settings.
//
// Real-world pattern: a goroutine is started before a validation that can
// return early (a warm-up or prefetch in kubelet's and grafana's start-up
// paths). When the batch size from the environment is missing or not
// positive, run returns its error and nobody ever receives the warmer's
// result: the warmer blocks on its send forever. An unset EXPORT_BATCH
// parses as 0, so the default configuration takes the error path.
package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
)

func loadIndex() int {
	return 3 // entries loaded
}

func run() error {
	size, _ := strconv.Atoi(os.Getenv("EXPORT_BATCH"))
	warm := make(chan int)
	go func() {
		warm <- loadIndex() // want goroutine-leak
	}()
	if size <= 0 {
		return errors.New("EXPORT_BATCH must be a positive number")
	}
	entries := <-warm
	fmt.Println("exporting", entries, "entries in batches of", size)
	return nil
}

func main() {
	if err := run(); err != nil {
		fmt.Println("export:", err)
	}
}
