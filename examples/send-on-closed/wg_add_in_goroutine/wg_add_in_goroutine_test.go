// Package wg_add_in_goroutine crawls a set of URLs in parallel.
//
// Real-world pattern: wg.Add called inside the goroutine it counts (a
// frequent finding in kubernetes and etcd tests). Nothing orders that Add
// before the caller's Wait: Wait can see a zero counter and return at once,
// the caller closes results, and the crawler's send then panics. The rate
// limiter that each goroutine waits on first makes that order the usual
// one.
package wg_add_in_goroutine

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
		go func(u string) {
			c.acquire()
			wg.Add(1) // too late: crawl may already be past wg.Wait
			defer wg.Done()
			results <- c.fetch(u) // want send-on-closed
		}(u)
	}
	wg.Wait() // want runtime-panic "reused"
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
	t.Logf("crawled %d pages", len(pages))
}
