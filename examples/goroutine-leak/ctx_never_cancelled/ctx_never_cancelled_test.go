// Package ctx_never_cancelled watches a file path for changes.
//
// Real-world pattern: a constructor that starts a goroutine bound to a
// cancellable context and then fails validation without cancelling it
// (istio's and kubernetes' file/config watchers). The caller only gets an
// error, never the watcher, so nothing can call Close: the loop goroutine
// waits on ctx.Done() forever.
package ctx_never_cancelled

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

func newWatcher(parent context.Context, path string, handle func(string)) (*watcher, error) {
	ctx, cancel := context.WithCancel(parent)
	w := &watcher{path: path, cancel: cancel, events: make(chan string), handle: handle}
	go w.loop(ctx)
	if path == "" {
		return nil, errors.New("watch: empty path") // w.cancel is never called
	}
	return w, nil
}

func (w *watcher) loop(ctx context.Context) {
	for {
		select { // want goroutine-leak
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
