// Command unlock_twice_error_path_fixed reserves stock in an inventory.
//
// Fixed twin of unlock_twice_error_path: the deferred Unlock is the only
// one; the error path just returns.
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
	defer inv.mu.Unlock()
	have := inv.stock[item]
	if have < n {
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
