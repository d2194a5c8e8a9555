// Command conditional_chan_init_fixed runs maintenance jobs with optional progress output.
//
// Fixed twin of conditional_chan_init: the close is deferred on the same
// branch that makes the channel, so quiet jobs never close a nil channel.
package main

import (
	"fmt"
	"sync"
)

type jobSpec struct {
	name  string
	steps int
	quiet bool
}

func printProgress(name string, progress <-chan int, wg *sync.WaitGroup) {
	defer wg.Done()
	for step := range progress {
		fmt.Printf("%s: step %d done\n", name, step)
	}
}

func runJob(spec jobSpec) error {
	var progress chan int
	var wg sync.WaitGroup
	defer wg.Wait()
	if !spec.quiet {
		progress = make(chan int, spec.steps)
		wg.Add(1)
		go printProgress(spec.name, progress, &wg)
		defer close(progress)
	}
	for i := 1; i <= spec.steps; i++ {
		if progress != nil {
			progress <- i
		}
	}
	return nil
}

func main() {
	jobs := []jobSpec{
		{name: "backup", steps: 2},
		{name: "vacuum", steps: 3, quiet: true},
	}
	for _, j := range jobs {
		if err := runJob(j); err != nil {
			fmt.Println(j.name, "failed:", err)
		}
	}
}
