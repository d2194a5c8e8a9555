// Command job_queue_fixed runs uploads from a FIFO queue.
//
// Fixed twin of job_queue: Pop clears the slot before reslicing, so a
// finished job (and its payload) is garbage as soon as it has run.
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
	q.jobs[0] = nil // let the job be collected once it has run
	q.jobs = q.jobs[1:]
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
