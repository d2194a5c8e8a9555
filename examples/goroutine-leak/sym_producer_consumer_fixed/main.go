// Command sym_producer_consumer_fixed exports the newest audit records to a
// printer that stops after a configured number of lines.
//
// The fix: the printer closes done when it stops reading, and the producer
// selects on it, so it returns whatever n, m and the buffer size are.
package main

import (
	"fmt"
	"os"
	"strconv"
)

const maxSetting = 3 // larger settings are clamped

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

func main() {
	records := setting("AUDIT_RECORDS", 3)
	limit := setting("AUDIT_LIMIT", 2)
	buffer := setting("AUDIT_BUFFER", 0)

	lines := make(chan string, buffer)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(lines)
		for i := 0; i < records; i++ {
			select {
			case lines <- fmt.Sprintf("record %d", i):
			case <-done:
				return
			}
		}
	}()
	for i := 0; i < limit; i++ {
		l, ok := <-lines
		if !ok {
			break
		}
		fmt.Println(l)
	}
}
