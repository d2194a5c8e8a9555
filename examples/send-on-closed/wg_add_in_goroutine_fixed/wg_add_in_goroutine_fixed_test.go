// Package wg_add_in_goroutine_fixed crawls a set of URLs in parallel.
//
// Fixed twin of wg_add_in_goroutine: wg.Add runs in the caller before the
// go statement, so Wait cannot return until every crawler has sent.
package wg_add_in_goroutine_fixed

import (
	"sync"
	"testing"
	"time"
)

type crawler struct {
	fetch   func(url string) string
	acquire func() // rate limiter: wait for a token
}

func (c *crawler) crawl(urls []string) []string {
	results := make(chan string, len(urls))
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			defer wg.Done()
			c.acquire()
			results <- c.fetch(u)
		}(u)
	}
	wg.Wait()
	close(results)
	var pages []string
	for p := range results {
		pages = append(pages, p)
	}
	return pages
}

func TestCrawl(t *testing.T) {
	c := &crawler{
		fetch:   func(u string) string { return "<html>" + u + "</html>" },
		acquire: func() { time.Sleep(20 * time.Millisecond) },
	}
	pages := c.crawl([]string{"/index.html", "/about.html"})
	if len(pages) != 2 {
		t.Fatalf("crawled %d pages, want 2", len(pages))
	}
}
