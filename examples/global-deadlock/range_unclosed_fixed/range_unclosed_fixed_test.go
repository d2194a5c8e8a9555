// Package range_unclosed_fixed collects pages rendered by parallel workers.
//
// Fixed twin of range_unclosed: a closer goroutine waits for the workers
// and then closes results, which ends the collector's range loop.
package range_unclosed_fixed

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
	go func() {
		wg.Wait()
		close(results)
	}()
	var pages []page
	for p := range results {
		pages = append(pages, p)
	}
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
