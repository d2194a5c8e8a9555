// Command close_race_send_fixed follows a container's log stream.
//
// Fixed twin of close_race_send: only the sender closes the data channel;
// the client detaches by closing a separate done channel, and the copier
// selects on it next to each send.
package main

import (
	"fmt"
	"sync"
)

type logLine struct {
	seq  int
	text string
}

type follower struct {
	lines chan logLine
	done  chan struct{}
}

func (f *follower) copyFrom(src []string, wg *sync.WaitGroup) {
	defer wg.Done()
	defer close(f.lines)
	for i, text := range src {
		select {
		case f.lines <- logLine{seq: i, text: text}:
		case <-f.done:
			return
		}
	}
}

// Close detaches the client from the stream.
func (f *follower) Close() {
	close(f.done)
}

func main() {
	f := &follower{lines: make(chan logLine), done: make(chan struct{})}
	var wg sync.WaitGroup
	wg.Add(1)
	go f.copyFrom([]string{"starting", "listening on :8080", "ready"}, &wg)
	first := <-f.lines
	fmt.Println("first line:", first.text)
	f.Close()
	wg.Wait()
}
