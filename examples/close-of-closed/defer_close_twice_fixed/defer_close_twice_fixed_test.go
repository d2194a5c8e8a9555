// Package defer_close_twice_fixed is a decoding stage of a pipeline.
//
// Fixed twin of defer_close_twice: the deferred close is the only close, on
// every path; returning early is enough to end the consumer's range loop.
package defer_close_twice_fixed

import (
	"fmt"
	"strings"
	"testing"
)

type record struct {
	key  string
	size int
}

// decode parses key=value lines into records and closes out when done.
func decode(lines []string, out chan<- record) error {
	defer close(out)
	for _, l := range lines {
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			return fmt.Errorf("decode: malformed line %q", l)
		}
		out <- record{key: k, size: len(v)}
	}
	return nil
}

func collect(lines []string) ([]record, error) {
	out := make(chan record, len(lines))
	errc := make(chan error, 1)
	go func() { errc <- decode(lines, out) }()
	var recs []record
	for r := range out {
		recs = append(recs, r)
	}
	return recs, <-errc
}

func TestDecodeAll(t *testing.T) {
	recs, err := collect([]string{"a=1", "bb=22"})
	if err != nil || len(recs) != 2 {
		t.Fatalf("got %v, %v", recs, err)
	}
}

func TestDecodeRejectsMalformed(t *testing.T) {
	if _, err := collect([]string{"a=1", "oops"}); err == nil {
		t.Fatal("malformed input accepted")
	}
}
