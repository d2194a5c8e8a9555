// Command abba_lock_fixed moves money between two accounts concurrently.
//
// Fixed twin of abba_lock: both locks are always taken in a global order
// (by account id), so no two transfers can each hold the lock the other
// needs.
package main

import (
	"fmt"
	"sync"
	"time"
)

type account struct {
	mu      sync.Mutex
	id      int
	balance int
}

type ledger struct {
	journalDelay time.Duration
}

// journal records the intent to transfer before the money moves.
func (l *ledger) journal(from, to, amount int) {
	time.Sleep(l.journalDelay)
}

func (l *ledger) transfer(from, to *account, amount int) {
	first, second := from, to
	if second.id < first.id {
		first, second = second, first
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	l.journal(from.id, to.id, amount)
	second.mu.Lock()
	defer second.mu.Unlock()
	from.balance -= amount
	to.balance += amount
}

func main() {
	l := &ledger{journalDelay: 20 * time.Millisecond}
	a := &account{id: 1, balance: 100}
	b := &account{id: 2, balance: 100}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		l.transfer(a, b, 10)
	}()
	go func() {
		defer wg.Done()
		l.transfer(b, a, 20)
	}()
	wg.Wait()
	fmt.Println("balances:", a.balance, b.balance)
}
