// Package unsubscribe_close_fixed is a topic publisher with evictable subscribers.
//
// Fixed twin of unsubscribe_close: eviction closes the subscription's done
// channel instead of its data channel, and the publisher selects on done
// next to the send, so an evicted subscriber is skipped, never panicked on.
package unsubscribe_close_fixed

import (
	"sync"
	"testing"
	"time"
)

type subscription struct {
	topic string
	ch    chan string
	done  chan struct{}
}

type publisher struct {
	mu   sync.Mutex
	subs []*subscription
}

func (p *publisher) subscribe(topic string) *subscription {
	s := &subscription{topic: topic, ch: make(chan string), done: make(chan struct{})}
	p.mu.Lock()
	p.subs = append(p.subs, s)
	p.mu.Unlock()
	return s
}

func (p *publisher) evict(s *subscription) {
	p.mu.Lock()
	for i, x := range p.subs {
		if x == s {
			p.subs = append(p.subs[:i], p.subs[i+1:]...)
			break
		}
	}
	p.mu.Unlock()
	close(s.done)
}

func (p *publisher) publish(topic, msg string) {
	p.mu.Lock()
	subs := append([]*subscription(nil), p.subs...)
	p.mu.Unlock()
	for _, s := range subs {
		if s.topic == topic {
			select {
			case s.ch <- msg:
			case <-s.done:
			}
		}
	}
}

func TestEvictSlowSubscriber(t *testing.T) {
	p := &publisher{}
	s := p.subscribe("deployments")
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.publish("deployments", "web scaled to 3")
		p.publish("deployments", "web scaled to 5")
	}()
	if msg := <-s.ch; msg != "web scaled to 3" {
		t.Fatalf("got %q", msg)
	}
	time.Sleep(20 * time.Millisecond) // the subscriber is slow, then gives up
	p.evict(s)
	<-done
}
