// Package unsubscribe_close is a topic publisher with evictable subscribers.
//
// Real-world pattern: docker's pkg/pubsub and etcd's watch hubs, where
// evicting a subscriber closes its channel while a publisher that already
// copied the subscriber list is about to send to it. The publisher avoids
// holding the lock across sends (see lock_across_send) but now races with
// the close: the pending send panics.
package unsubscribe_close

import (
	"sync"
	"testing"
	"time"
)

type subscription struct {
	topic string
	ch    chan string
}

type publisher struct {
	mu   sync.Mutex
	subs []*subscription
}

func (p *publisher) subscribe(topic string) *subscription {
	s := &subscription{topic: topic, ch: make(chan string)}
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
	close(s.ch)
}

func (p *publisher) publish(topic, msg string) {
	p.mu.Lock()
	subs := append([]*subscription(nil), p.subs...)
	p.mu.Unlock()
	for _, s := range subs {
		if s.topic == topic {
			s.ch <- msg // want send-on-closed
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
