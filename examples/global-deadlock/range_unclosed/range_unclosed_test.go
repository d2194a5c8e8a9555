// Package range_unclosed collects pages rendered by parallel workers.
//
// Real-world pattern: the fan-out/fan-in aggregators of hugo's site builder
// and kubernetes' parallel listers. Each worker sends its page to results
// and the collector ranges over results, but nobody closes the channel:
// after the last page the collector waits forever for more, the workers
// have all exited, and the test deadlocks.
package range_unclosed

import (
	"sort"
	"strings"
	"sync"
	"testing"
)

type page struct {
	path  string
	words int
}

type site struct {
	sources map[string]string
}

func (s *site) collect() []page {
	results := make(chan page)
	var wg sync.WaitGroup
	for path, body := range s.sources {
		wg.Add(1)
		go func(path, body string) {
			defer wg.Done()
			results <- page{path: path, words: len(strings.Fields(body))}
		}(path, body)
	}
	var pages []page
	for p := range results { // want global-deadlock
		pages = append(pages, p)
	}
	wg.Wait()
	sort.Slice(pages, func(i, j int) bool { return pages[i].path < pages[j].path })
	return pages
}

func TestCollect(t *testing.T) {
	s := &site{sources: map[string]string{
		"index.md": "welcome to the site",
		"about.md": "about us",
	}}
	if pages := s.collect(); len(pages) != 2 {
		t.Fatalf("got %d pages, want 2", len(pages))
	}
}
