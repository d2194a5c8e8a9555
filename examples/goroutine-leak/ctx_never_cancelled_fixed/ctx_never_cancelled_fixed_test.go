// Package ctx_never_cancelled_fixed watches a file path for changes.
//
// Fixed twin of ctx_never_cancelled: a deferred function cancels the
// context whenever the constructor returns an error, so the loop goroutine
// it already started always has a way out.
package ctx_never_cancelled_fixed

import (
	"context"
	"errors"
	"testing"
)

type watcher struct {
	path   string
	cancel context.CancelFunc
	events chan string
	handle func(event string)
}

func newWatcher(parent context.Context, path string, handle func(string)) (_ *watcher, err error) {
	ctx, cancel := context.WithCancel(parent)
	defer func() {
		if err != nil {
			cancel()
		}
	}()
	w := &watcher{path: path, cancel: cancel, events: make(chan string), handle: handle}
	go w.loop(ctx)
	if path == "" {
		return nil, errors.New("watch: empty path")
	}
	return w, nil
}

func (w *watcher) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-w.events:
			w.handle(ev)
		}
	}
}

func (w *watcher) Close() { w.cancel() }

func TestWatcherDelivers(t *testing.T) {
	got := make(chan string, 1)
	w, err := newWatcher(context.Background(), "/etc/app/config.yaml", func(ev string) { got <- ev })
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.events <- "modified"
	if ev := <-got; ev != "modified" {
		t.Fatalf("got %q", ev)
	}
}

func TestWatcherRejectsEmptyPath(t *testing.T) {
	if _, err := newWatcher(context.Background(), "", func(string) {}); err == nil {
		t.Fatal("empty path accepted")
	}
}
