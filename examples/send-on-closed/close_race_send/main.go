// Command close_race_send follows a container's log stream.
//
// Real-world pattern: the receiving side closes a channel that another
// goroutine is still sending on (docker's log followers and attach
// streams). The client detaches after the first line and closes the
// stream; the copier is blocked sending the next line, and a send on a
// channel that gets closed panics.
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
}

func (f *follower) copyFrom(src []string, wg *sync.WaitGroup) {
	defer wg.Done()
	for i, text := range src {
		f.lines <- logLine{seq: i, text: text} // want send-on-closed
	}
}

// Close detaches the client from the stream.
func (f *follower) Close() {
	close(f.lines)
}

func main() {
	f := &follower{lines: make(chan logLine)}
	var wg sync.WaitGroup
	wg.Add(1)
	go f.copyFrom([]string{"starting", "listening on :8080", "ready"}, &wg)
	first := <-f.lines
	fmt.Println("first line:", first.text)
	f.Close() // the client detaches while the copier is still sending
	wg.Wait()
}
