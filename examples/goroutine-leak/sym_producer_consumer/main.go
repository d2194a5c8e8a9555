// Command sym_producer_consumer exports the newest audit records to a
// printer that stops after a configured number of lines.
//
// Real-world pattern: a producer goroutine streams n items into a channel
// and a consumer takes only m of them (a "head -n" style limit, as in
// docker's and kubectl's log followers). Every number comes from the
// environment, so no single test value shows the bug: the producer leaks
// exactly when n > m + cap, i.e. when it has more records than the printer
// takes plus what the buffer can absorb. With the defaults (3 records,
// limit 2, no buffer) it leaks on the third send.
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
	go func() {
		for i := 0; i < records; i++ {
			lines <- fmt.Sprintf("record %d", i) // want goroutine-leak
		}
		close(lines)
	}()
	for i := 0; i < limit; i++ {
		l, ok := <-lines
		if !ok {
			break
		}
		fmt.Println(l)
	}
}
