// Package undo_stack_fixed is the undo history of an image editor.
//
// Fixed twin of undo_stack: Undo clears the top slot before shrinking the
// slice, so an undone snapshot is garbage once the caller drops it.
package undo_stack_fixed

import "testing"

type Snapshot struct {
	label  string
	pixels []byte
}

type History struct {
	snaps []*Snapshot
}

func (h *History) Push(s *Snapshot) { h.snaps = append(h.snaps, s) }

// Undo returns the latest snapshot and removes it from the history.
func (h *History) Undo() *Snapshot {
	if len(h.snaps) == 0 {
		return nil
	}
	top := len(h.snaps) - 1
	s := h.snaps[top]
	h.snaps[top] = nil
	h.snaps = h.snaps[:top]
	return s
}

func TestUndo(t *testing.T) {
	h := &History{}
	for _, label := range []string{"crop", "blur", "resize"} {
		h.Push(&Snapshot{label: label, pixels: make([]byte, 1<<20)})
	}
	if s := h.Undo(); s == nil || s.label != "resize" {
		t.Fatalf("undo = %v, want resize", s)
	}
	if s := h.Undo(); s == nil || s.label != "blur" {
		t.Fatalf("undo = %v, want blur", s)
	}
}
