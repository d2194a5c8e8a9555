// Command unlock_twice_error_path reserves stock in an inventory.
//
// Real-world pattern: a function converted to `defer mu.Unlock()` that kept
// an explicit Unlock on its error path (found in docker, kubernetes and
// etcd). On that path the mutex is unlocked twice, and unlocking an
// unlocked sync.Mutex is a fatal error that cannot be recovered.
package main

import (
	"fmt"
	"sync"
)

type inventory struct {
	mu    sync.Mutex
	stock map[string]int
}

func (inv *inventory) reserve(item string, n int) error {
	inv.mu.Lock()
	defer inv.mu.Unlock() // want unlock-of-unlocked
	have := inv.stock[item]
	if have < n {
		inv.mu.Unlock() // left over from before the defer was added
		return fmt.Errorf("reserve %s: have %d, want %d", item, have, n)
	}
	inv.stock[item] = have - n
	return nil
}

func main() {
	inv := &inventory{stock: map[string]int{"widget": 3, "gadget": 10}}
	for _, item := range []string{"gadget", "widget"} {
		if err := inv.reserve(item, 5); err != nil {
			fmt.Println(err)
		}
	}
}
