// Command log_prefix_index indexes the requests seen in an access log.
//
// Real-world pattern: a log processor that keeps a short key cut from each
// line (timestamp and request id, the first 50 bytes) in a map to spot
// duplicate deliveries. A substring shares the memory of its line, so each
// 50-byte key keeps its whole line alive: here a 1 MiB request dump per
// line, so the index of 32 requests holds 32 MiB instead of 1.6 KB.
//
// oracle: skip retained memory is not a runtime failure (tests/test_static_checks.py measures it)
package main

import (
	"fmt"
	"runtime"
	"strings"
)

type index struct {
	seen map[string]int
}

func (ix *index) add(line string) {
	if len(line) < 50 {
		return
	}
	key := line[:50] // want substring-retention "strings.Clone"
	ix.seen[key]++
}

// logLine stands in for a bufio.Reader over a log whose lines carry whole
// request bodies.
func logLine(i, size int) string {
	return fmt.Sprintf("2024-05-01T12:00:%02d req=%08d ", i%60, i) + strings.Repeat("x", size)
}

func heapMiB() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc >> 20
}

func main() {
	ix := &index{seen: map[string]int{}}
	for i := 0; i < 32; i++ {
		ix.add(logLine(i, 1<<20))
	}
	heap := heapMiB() // the index is still in use here
	fmt.Printf("indexed %d requests, heap in use: %d MiB\n", len(ix.seen), heap)
}
