// Command job_queue runs uploads from a FIFO queue.
//
// Real-world pattern: a work queue kept as a []*Job that pops from the
// front with q.jobs = q.jobs[1:]. The popped job is gone from the slice but
// not from its backing array, so every finished job - with its 256 KiB
// payload - stays reachable until the queue happens to reallocate: after
// running 63 of 64 uploads the queue still holds all 16 MiB.
//
// oracle: skip retained memory is not a runtime failure (tests/test_static_checks.py measures it)
package main

import (
	"fmt"
	"runtime"
)

type Job struct {
	id      int
	payload []byte
}

type Queue struct {
	jobs []*Job
}

func (q *Queue) Push(j *Job) { q.jobs = append(q.jobs, j) }

func (q *Queue) Len() int { return len(q.jobs) }

func (q *Queue) Pop() *Job {
	j := q.jobs[0]
	q.jobs = q.jobs[1:] // want pointer-slice-retention `q.jobs\[0\] = nil`
	return j
}

func upload(j *Job) int { return len(j.payload) }

func heapMiB() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc >> 20
}

func main() {
	q := &Queue{}
	for i := 0; i < 64; i++ {
		q.Push(&Job{id: i, payload: make([]byte, 256<<10)})
	}
	sent := 0
	for q.Len() > 1 {
		sent += upload(q.Pop())
	}
	heap := heapMiB() // the queue, with one job left, is still in use here
	fmt.Printf("uploaded %d KiB, %d job queued, heap in use: %d MiB\n", sent>>10, q.Len(), heap)
}
