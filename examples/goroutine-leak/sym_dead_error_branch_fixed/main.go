// Command sym_dead_error_branch_fixed exports the search index in batches,
// and warms the index in the background while it checks its settings.
//
// The fix: a missing or non-positive batch size falls back to the default
// before the warmer starts. The old check after the go statement was kept
// as a guard, but it can never be true any more: size is at least 1 on
// every path that reaches it. A checker that treats the two tests of size
// as unrelated reports a leak on that dead branch; gcheck, which carries
// size as a symbol, must stay silent.
package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
)

const defaultBatch = 100

func loadIndex() int {
	return 3 // entries loaded
}

func run() error {
	size, _ := strconv.Atoi(os.Getenv("EXPORT_BATCH"))
	if size <= 0 {
		size = defaultBatch
	}
	warm := make(chan int)
	go func() {
		warm <- loadIndex()
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
