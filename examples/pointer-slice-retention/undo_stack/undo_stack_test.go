// Package undo_stack is the undo history of an image editor.
//
// Real-world pattern: a stack kept as a []*Snapshot that pops with
// h.snaps = h.snaps[:len(h.snaps)-1]. The popped snapshot stays in the
// backing array past the slice's length, so an undone snapshot (a full
// copy of the canvas) stays reachable until a later push overwrites its
// slot - after undoing everything, the history still pins every canvas.
//
// oracle: skip retained memory is not a runtime failure
package undo_stack

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
	s := h.snaps[len(h.snaps)-1]
	h.snaps = h.snaps[:len(h.snaps)-1] // want pointer-slice-retention `h.snaps\[len\(h.snaps\)-1\] = nil`
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
