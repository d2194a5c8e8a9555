// Command log_prefix_index_fixed indexes the requests seen in an access log.
//
// Fixed twin of log_prefix_index: the key is copied with strings.Clone, so
// the index holds 50 bytes per request and every line can be freed.
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
	key := strings.Clone(line[:50])
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
