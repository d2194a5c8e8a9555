// Package priority_queue_fixed schedules tasks by deadline with
// container/heap.
//
// Fixed twin of priority_queue: Pop clears the vacated slot before
// shrinking the slice, as the container/heap documentation's example does,
// so a finished task is garbage once the scheduler is done with it.
package priority_queue_fixed

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
	old[n-1] = nil // avoid a memory leak
	*pq = old[0 : n-1]
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
