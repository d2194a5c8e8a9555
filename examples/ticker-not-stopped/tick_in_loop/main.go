// Command tick_in_loop waits for jobs with a periodic progress report.
//
// Real-world pattern: a worker loop that selects on its job channel and on
// time.Tick for a progress line. time.Tick sits inside the loop, so every
// iteration starts a new ticker that nobody can ever stop: before Go 1.23
// they pile up for the life of the process.
package main

import (
	"fmt"
	"time"
)

func work(jobs <-chan int) int {
	done := 0
	for {
		select {
		case j, ok := <-jobs:
			if !ok {
				return done
			}
			done += j
		case <-time.Tick(time.Second): // want ticker-not-stopped
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
