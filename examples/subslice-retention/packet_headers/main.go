// Command packet_headers records the headers of captured packets.
//
// Real-world pattern: a packet capture (or a protocol sniffer) that reads
// each packet into a fresh 64 KiB buffer and keeps only the 16-byte header
// for later analysis. The header is a subslice of the buffer, so each one
// keeps its whole 64 KiB array alive: 256 headers hold 16 MiB instead of
// 4 KiB.
//
// oracle: skip retained memory is not a runtime failure (tests/test_static_checks.py measures it)
package main

import (
	"fmt"
	"runtime"
)

const headerLen = 16

type capture struct {
	headers [][]byte
}

func (c *capture) record(pkt []byte) {
	if len(pkt) < headerLen {
		return
	}
	c.headers = append(c.headers, pkt[:headerLen]) // want subslice-retention "bytes.Clone"
}

// readPacket stands in for a read from a raw socket into a fresh buffer.
func readPacket(i int) []byte {
	buf := make([]byte, 64<<10)
	buf[0], buf[1] = byte(i>>8), byte(i)
	return buf
}

func heapMiB() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc >> 20
}

func main() {
	c := &capture{}
	for i := 0; i < 256; i++ {
		c.record(readPacket(i))
	}
	heap := heapMiB() // the capture is still in use here
	fmt.Printf("recorded %d headers, heap in use: %d MiB\n", len(c.headers), heap)
}
