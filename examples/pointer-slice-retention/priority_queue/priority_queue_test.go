// Package priority_queue schedules tasks by deadline with container/heap.
//
// Real-world pattern: the heap.Interface Pop method copied from a blog post
// without the line that clears the vacated slot: *pq = old[0 : n-1] leaves
// the popped *task in the backing array, so every task the scheduler has
// finished (with its request and response buffers) stays reachable until
// a later Push overwrites that slot. The container/heap documentation's own
// PriorityQueue example sets old[n-1] = nil for exactly this reason.
//
// oracle: skip retained memory is not a runtime failure
package priority_queue

import (
	"container/heap"
	"testing"
)

type task struct {
	name     string
	deadline int
	body     []byte
}

type queue []*task

func (pq queue) Len() int           { return len(pq) }
func (pq queue) Less(i, j int) bool { return pq[i].deadline < pq[j].deadline }
func (pq queue) Swap(i, j int)      { pq[i], pq[j] = pq[j], pq[i] }

func (pq *queue) Push(x any) { *pq = append(*pq, x.(*task)) }

func (pq *queue) Pop() any {
	old := *pq
	n := len(old)
	t := old[n-1]
	*pq = old[0 : n-1] // want pointer-slice-retention `old\[n-1\] = nil`
	return t
}

func TestEarliestDeadlineFirst(t *testing.T) {
	pq := &queue{}
	heap.Push(pq, &task{name: "report", deadline: 30, body: make([]byte, 1<<20)})
	heap.Push(pq, &task{name: "backup", deadline: 10, body: make([]byte, 1<<20)})
	heap.Push(pq, &task{name: "email", deadline: 20, body: make([]byte, 1<<20)})
	var order []string
	for pq.Len() > 0 {
		order = append(order, heap.Pop(pq).(*task).name)
	}
	if len(order) != 3 || order[0] != "backup" || order[2] != "report" {
		t.Fatalf("order = %v", order)
	}
}
