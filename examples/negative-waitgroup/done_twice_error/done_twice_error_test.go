// Package done_twice_error uploads files in parallel.
//
// Real-world pattern: a worker that marks itself done early on its error
// path and again through its deferred Done (seen in cockroach and docker
// upload/pull managers). Counting both, the group reaches zero before the
// last worker finishes, and that worker's Done drives the counter negative,
// which panics.
package done_twice_error

import (
	"errors"
	"sync"
	"testing"
	"time"
)

type file struct {
	name string
	data []byte
}

type uploader struct {
	mu     sync.Mutex
	failed []string
	store  func(f file) error
}

func (u *uploader) upload(f file, wg *sync.WaitGroup) {
	defer wg.Done() // want negative-waitgroup
	if err := u.store(f); err != nil {
		u.mu.Lock()
		u.failed = append(u.failed, f.name)
		u.mu.Unlock()
		wg.Done() // report the failure as soon as possible
		return
	}
}

func (u *uploader) uploadAll(files []file) []string {
	var wg sync.WaitGroup
	wg.Add(len(files))
	for _, f := range files {
		go u.upload(f, &wg)
	}
	wg.Wait() // want runtime-panic "reused"
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]string(nil), u.failed...)
}

func TestUploadReportsFailures(t *testing.T) {
	u := &uploader{store: func(f file) error {
		if len(f.data) == 0 {
			return errors.New("empty file")
		}
		time.Sleep(30 * time.Millisecond) // network round trip
		return nil
	}}
	failed := u.uploadAll([]file{{"report.csv", []byte("a,b\n")}, {"empty.txt", nil}})
	if len(failed) != 1 {
		t.Fatalf("failed = %v", failed)
	}
}
