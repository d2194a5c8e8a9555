// Command abba_lock moves money between two accounts concurrently.
//
// Real-world pattern: lock-order inversion (AB-BA), as in cockroach's
// replica/store locks and docker's container/daemon locks. transfer locks
// the source account and then the destination; two opposite transfers each
// hold one lock and wait for the other. The journal write between the two
// Lock calls makes the bad interleaving the one the runtime actually takes.
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
	from.mu.Lock()
	defer from.mu.Unlock()
	l.journal(from.id, to.id, amount)
	to.mu.Lock()
	defer to.mu.Unlock()
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
	wg.Wait() // want global-deadlock
	fmt.Println("balances:", a.balance, b.balance)
}
