// Command tick_in_loop_fixed waits for jobs with a periodic progress report.
//
// Real-world pattern: a worker loop that selects on its job channel and on a
// ticker for a progress line. The fix creates one ticker outside the loop and
// stops it when the worker returns.
package main

import (
	"fmt"
	"time"
)

func work(jobs <-chan int) int {
	done := 0
	progress := time.NewTicker(time.Second)
	defer progress.Stop()
	for {
		select {
		case j, ok := <-jobs:
			if !ok {
				return done
			}
			done += j
		case <-progress.C:
			fmt.Println("progress:", done)
		}
	}
}

func main() {
	jobs := make(chan int, 3)
	jobs <- 1
	jobs <- 2
	close(jobs)
	fmt.Println(work(jobs))
}
