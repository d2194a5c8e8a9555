// Package defer_close_twice is a decoding stage of a pipeline.
//
// Real-world pattern: pipeline stages in hugo and etcd's backup tooling
// that own their output channel and close it with a defer, where a later
// edit added an explicit close on the error path "so the consumer stops
// early". On a malformed record the stage closes its channel, returns, and
// the deferred close panics.
package defer_close_twice

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
	defer close(out) // want close-of-closed
	for _, l := range lines {
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			close(out) // tell the consumer to stop early
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
