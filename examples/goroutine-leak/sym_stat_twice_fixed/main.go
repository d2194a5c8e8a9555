// Command sym_stat_twice_fixed serves with an optional TLS certificate that
// a watcher goroutine reloads.
//
// The fix: the certificate is looked up once, and the same answer decides
// both whether the watcher starts and whether main waits for it. The two
// tests of err != nil are correlated: gcheck must keep them on the same side
// and stay silent.
package main

import (
	"fmt"
	"os"
)

const certFile = "/etc/gateway/tls.crt"

func watch(path string, reloads chan<- string) {
	reloads <- "watching " + path
}

func main() {
	reloads := make(chan string)
	_, err := os.Stat(certFile)
	if err == nil {
		go watch(certFile, reloads)
	}
	fmt.Println("serving")
	if err == nil {
		fmt.Println(<-reloads)
	}
}
