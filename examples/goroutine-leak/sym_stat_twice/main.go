// Command sym_stat_twice serves with an optional TLS certificate that a
// watcher goroutine reloads.
//
// Real-world pattern: the same condition is evaluated twice by two calls
// (a time-of-check/time-of-use pair, as in several ingress controllers'
// optional-certificate code): os.Stat decides whether the watcher starts,
// and a second os.Stat later decides whether to wait for its first report.
// When the file appears or disappears in between, the two answers differ:
// either the watcher is started and never heard (it leaks on its send), or
// main waits for a watcher that was never started (all goroutines are
// asleep). Each os.Stat result is its own unknown, so gcheck finds both.
package main

import (
	"fmt"
	"os"
)

// oracle: skip needs the certificate file to appear or vanish between the two os.Stat calls

const certFile = "/etc/gateway/tls.crt"

func watch(path string, reloads chan<- string) {
	reloads <- "watching " + path // want goroutine-leak
}

func main() {
	reloads := make(chan string)
	if _, err := os.Stat(certFile); err == nil {
		go watch(certFile, reloads)
	}
	fmt.Println("serving")
	if _, err := os.Stat(certFile); err == nil {
		fmt.Println(<-reloads) // want global-deadlock
	}
}
