// Package file_magic remembers the magic bytes of every file it has seen,
// to tell file types apart later.
//
// Real-world pattern: a file-type sniffer (upload scanners, indexers) that
// reads each file with os.ReadFile and keeps its first bytes in a map. The
// kept bytes are a subslice of the whole file's contents, so every map
// entry pins a complete copy of its file in memory.
//
// oracle: skip retained memory is not a runtime failure
package file_magic

import (
	"os"
	"path/filepath"
	"testing"
)

type sniffer struct {
	magic map[string][]byte
}

func (s *sniffer) sniff(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	n := min(len(data), 8)
	s.magic[path] = data[:n] // want subslice-retention "os.ReadFile"
	return nil
}

func TestSniff(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "image.png")
	body := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 1<<20)...)
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	s := &sniffer{magic: map[string][]byte{}}
	if err := s.sniff(path); err != nil {
		t.Fatal(err)
	}
	if string(s.magic[path]) != "\x89PNG\r\n\x1a\n" {
		t.Fatalf("magic = %q", s.magic[path])
	}
}
