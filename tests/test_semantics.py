"""Go concurrency semantics, one tiny program at a time.

Each case is a complete Go program (package main with func main, or a test
file with TestXxx functions). The findings gcheck must report are marked in
the source with `// want <check> [<check>...]` at the end of the line, as in
examples/; a case with no marker must be clean. Every case must also be
explored completely (no bound, no cut), so "no finding" really means
"no interleaving shows one".

The expected behaviour of every case was confirmed against the real Go
toolchain (go run / go test, Go 1.27) where the runtime can show it: a
`time.Sleep` in a case only forces the interleaving the finding needs, so the
runtime shows it too (gcheck treats a sleep as a plain scheduling point).
Two kinds of case cannot be confirmed that way: pre-1.23 timer semantics
(`go 1.22` in go.mod), because Go 1.27 removed the asynctimerchan setting and
runs every program with unbuffered timer channels (those cases follow the
Go 1.22 documentation and runtime source), and goroutine leaks, which the
runtime does not report (the goroutine is still blocked when the test or
main returns).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

import pytest

from gcheck.api import Options, check_paths
from gcheck.report.text import render
from gcheck.solver.search import Limits

# The model checker's own checks; other checks (static ones such as
# defer-in-loop) are tested elsewhere, so their findings are ignored here.
CORE_CHECKS = frozenset({
    "global-deadlock", "goroutine-leak", "send-on-closed", "close-of-closed", "close-of-nil",
    "unlock-of-unlocked", "negative-waitgroup", "runtime-panic",
})

WANT = re.compile(r"//\s*want\s+([a-z][a-z0-9-]*(?:\s+[a-z][a-z0-9-]*)*)\s*$")


@dataclass
class Case:
    id: str
    src: str
    go: str = "1.27"  # the go.mod `go` line
    xfail: str | None = None
    timeout: float = 20.0  # seconds of exploration (every passing case needs far less)

    @property
    def is_test(self) -> bool:
        return "testing.T" in self.src


def wanted(src: str) -> set[tuple[str, int]]:
    out = set()
    for n, line in enumerate(src.splitlines(), start=1):
        m = WANT.search(line)
        if m:
            out.update((check, n) for check in m.group(1).split())
    return out


def check(tmp_path, src: str, go: str = "1.27", options: Options | None = None):
    src = textwrap.dedent(src).lstrip("\n")
    name = "x_test.go" if "testing.T" in src else "main.go"
    (tmp_path / name).write_text(src)
    (tmp_path / "go.mod").write_text(f"module example.com/x\n\ngo {go}\n")
    return src, check_paths([str(tmp_path)], options or Options())


def assert_findings(tmp_path, src: str, go: str = "1.27", options: Options | None = None):
    src, r = check(tmp_path, src, go, options)
    assert not r.errors, r.errors
    assert r.stats, "no entry point was explored"
    incomplete = [(s.entry, s.bound) for s in r.stats if not s.complete]
    assert not incomplete, f"exploration incomplete: {incomplete}\n{render(r)}"
    got = {(f.check, f.pos.line) for f in r.findings if f.check in CORE_CHECKS}
    assert got == wanted(src), render(r)
    return r


def case(id, src, go="1.27", xfail=None, timeout=20.0):
    c = Case(id, src, go, xfail, timeout)
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(c, id=id, marks=marks)


# ====================================================================== channels

CHANNELS = [
    case("unbuffered-rendezvous", """
        package main

        func main() {
            ch := make(chan int)
            go func() { ch <- 1 }()
            if v := <-ch; v != 1 {
                panic("wrong value")
            }
        }
    """),
    case("unbuffered-send-without-receiver", """
        package main

        func main() {
            ch := make(chan int)
            ch <- 1 // want global-deadlock
        }
    """),
    case("unbuffered-sender-leaks-when-main-returns-first", """
        package main

        func main() {
            ch := make(chan int)
            go func() {
                ch <- 1 // want goroutine-leak
            }()
        }
    """),
    case("buffered-fits", """
        package main

        func main() {
            ch := make(chan int, 2)
            ch <- 1
            ch <- 2
            if <-ch != 1 || <-ch != 2 {
                panic("not FIFO")
            }
        }
    """),
    case("buffered-full-blocks", """
        package main

        func main() {
            ch := make(chan int, 1)
            ch <- 1
            ch <- 2 // want global-deadlock
        }
    """),
    case("buffered-empty-blocks", """
        package main

        func main() {
            ch := make(chan int, 1)
            ch <- 1
            <-ch
            <-ch // want global-deadlock
        }
    """),
    case("closed-channel-drains-then-zero-and-not-ok", """
        package main

        func main() {
            ch := make(chan int, 2)
            ch <- 5
            close(ch)
            v, ok := <-ch
            if v != 5 || !ok {
                panic("buffered value lost")
            }
            v, ok = <-ch
            if v != 0 || ok {
                panic("closed channel gave a value")
            }
            v, ok = <-ch
            if !ok {
                panic("ok is false") // want runtime-panic
            }
        }
    """),
    case("comma-ok-in-select-on-closed-channel", """
        package main

        func main() {
            ch := make(chan string)
            close(ch)
            select {
            case s, ok := <-ch:
                if s != "" || ok {
                    panic("closed channel gave a value")
                }
            }
        }
    """),
    case("nil-channel-send-blocks-forever", """
        package main

        func main() {
            var ch chan int
            ch <- 1 // want global-deadlock
        }
    """),
    case("nil-channel-receive-leaks-in-test", """
        package x

        import "testing"

        func TestNilRecv(t *testing.T) {
            var ch chan int
            go func() {
                <-ch // want goroutine-leak
            }()
        }
    """),
    case("nil-case-in-select-is-never-ready", """
        package main

        func main() {
            var off chan int
            ch := make(chan int, 1)
            ch <- 1
            select {
            case off <- 1:
                panic("nil channel was ready")
            case v := <-off:
                _ = v
                panic("nil channel was ready")
            case <-ch:
            }
        }
    """),
    case("select-only-nil-cases-blocks-forever", """
        package main

        func main() {
            var a, b chan int
            select { // want global-deadlock
            case <-a:
            case b <- 1:
            }
        }
    """),
    case("select-nil-case-with-default-takes-default", """
        package main

        func main() {
            var off chan int
            took := false
            select {
            case <-off:
            default:
                took = true
            }
            if !took {
                panic("default not taken")
            }
        }
    """),
    case("select-default-when-nothing-ready", """
        package main

        func main() {
            ch := make(chan int)
            select {
            case ch <- 1:
                panic("no receiver, yet the send happened")
            case <-ch:
                panic("no sender, yet the receive happened")
            default:
            }
        }
    """),
    case("select-default-not-taken-when-sender-waits", """
        package main

        import "time"

        func main() {
            ch := make(chan int)
            go func() { ch <- 1 }()
            time.Sleep(50 * time.Millisecond)
            select {
            case <-ch:
            default:
                panic("default taken while a sender was blocked")
            }
        }
    """),
    case("select-default-not-taken-when-receiver-waits", """
        package main

        import "time"

        func main() {
            ch := make(chan int)
            done := make(chan bool)
            go func() { <-ch; close(done) }()
            time.Sleep(50 * time.Millisecond)
            select {
            case ch <- 1:
            default:
                panic("default taken while a receiver was blocked")
            }
            <-done
        }
    """),
    case("select-default-taken-when-sender-not-there-yet", """
        package main

        import "sync"

        func main() {
            var mu sync.Mutex
            ch := make(chan int, 1)
            go func() {
                mu.Lock() // a visible step before the send: it may come late
                mu.Unlock()
                ch <- 1
            }()
            select {
            case <-ch:
            default:
                panic("sender not there yet") // want runtime-panic
            }
        }
    """),
    case("two-selects-with-default-never-meet", """
        package main

        func main() {
            ch := make(chan int)
            done := make(chan bool)
            go func() {
                select {
                case ch <- 1:
                    panic("a non-blocking send found a non-blocking receiver")
                default:
                }
                close(done)
            }()
            select {
            case <-ch:
                panic("a non-blocking receive found a non-blocking sender")
            default:
            }
            <-done
        }
    """),
    case("empty-select-blocks-forever", """
        package main

        func main() {
            select {} // want global-deadlock
        }
    """),
    case("main-parked-on-empty-select-while-serving", """
        package main

        import "time"

        func main() {
            go func() {
                tk := time.NewTicker(time.Second)
                for range tk.C {
                }
            }()
            select {}
        }
    """),
    case("empty-select-in-goroutine-leaks", """
        package x

        import "testing"

        func TestParked(t *testing.T) {
            go func() {
                select {} // want goroutine-leak
            }()
        }
    """),
    case("range-ends-when-closed-and-drained", """
        package main

        func main() {
            ch := make(chan int, 1)
            go func() {
                for i := 1; i <= 3; i++ {
                    ch <- i
                }
                close(ch)
            }()
            sum := 0
            for v := range ch {
                sum += v
            }
            if sum != 6 {
                panic("lost values")
            }
        }
    """),
    case("range-without-close-blocks", """
        package main

        func main() {
            ch := make(chan int)
            go func() {
                ch <- 1
                ch <- 2
            }()
            for v := range ch { // want global-deadlock
                _ = v
            }
        }
    """),
    case("select-picks-any-ready-case", """
        package main

        func main() {
            a := make(chan int, 1)
            b := make(chan int, 1)
            a <- 1
            b <- 1
            select {
            case <-a:
                panic("a") // want runtime-panic
            case <-b:
                panic("b") // want runtime-panic
            }
        }
    """),
    case("select-cannot-rendezvous-with-itself", """
        package main

        func main() {
            ch := make(chan int)
            select { // want global-deadlock
            case ch <- 1:
            case <-ch:
            }
        }
    """),
    case("channel-of-channels-request-reply", """
        package main

        func main() {
            reqs := make(chan chan int)
            go func() {
                for r := range reqs {
                    r <- 42
                }
            }()
            resp := make(chan int)
            reqs <- resp
            if <-resp != 42 {
                panic("wrong reply")
            }
            close(reqs)
        }
    """),
    case("send-on-closed-panics", """
        package main

        func main() {
            ch := make(chan int, 1)
            close(ch)
            ch <- 1 // want send-on-closed
        }
    """),
    case("send-on-closed-in-select-panics", """
        package main

        func main() {
            ch := make(chan int)
            other := make(chan int)
            close(ch)
            select { // want send-on-closed
            case <-other:
            case ch <- 1:
            }
        }
    """),
    case("close-makes-blocked-sender-panic", """
        package main

        import "time"

        func main() {
            ch := make(chan int)
            done := make(chan bool)
            go func() {
                defer close(done)
                ch <- 1 // want send-on-closed
            }()
            time.Sleep(10 * time.Millisecond)
            close(ch)
            <-done
        }
    """),
    case("close-of-closed-panics", """
        package main

        func main() {
            ch := make(chan int)
            close(ch)
            close(ch) // want close-of-closed
        }
    """),
    case("close-of-nil-panics", """
        package main

        func main() {
            var ch chan int
            close(ch) // want close-of-nil
        }
    """),
    case("close-wakes-blocked-receivers", """
        package main

        import "sync"

        func main() {
            ch := make(chan int)
            var wg sync.WaitGroup
            for i := 0; i < 2; i++ {
                wg.Add(1)
                go func() {
                    defer wg.Done()
                    if _, ok := <-ch; ok {
                        panic("received a value")
                    }
                }()
            }
            close(ch)
            wg.Wait()
        }
    """),
]

# ====================================================================== defer, panic, exit

CONTROL = [
    case("recover-in-deferred-func", """
        package main

        import "errors"

        func safeClose(ch chan int) (err error) {
            defer func() {
                if r := recover(); r != nil {
                    err = errors.New("closed twice")
                }
            }()
            close(ch)
            return nil
        }

        func main() {
            ch := make(chan int)
            if safeClose(ch) != nil {
                panic("first close failed")
            }
            if safeClose(ch) == nil {
                panic("second close did not fail")
            }
        }
    """),
    case("recover-returns-the-panic-value", """
        package main

        func try(f func()) (v any) {
            defer func() { v = recover() }()
            f()
            return nil
        }

        func main() {
            if v := try(func() { panic("boom") }); v != "boom" {
                panic("wrong value")
            }
            v := try(func() {
                ch := make(chan int)
                close(ch)
                close(ch)
            })
            if _, ok := v.(error); !ok {
                panic("a runtime panic recovers as an error")
            }
            if try(func() {}) != nil {
                panic("recover without a panic")
            }
        }
    """),
    case("repanic-after-recover", """
        package main

        func main() {
            defer func() {
                r := recover()
                panic(r) // want runtime-panic
            }()
            panic("boom")
        }
    """),
    case("unrecovered-panic-in-goroutine-kills-program", """
        package main

        func main() {
            done := make(chan bool)
            go func() {
                var m map[string]int
                m["a"] = 1 // want runtime-panic
                done <- true
            }()
            <-done
        }
    """),
    case("defer-arguments-evaluated-at-defer", """
        package main

        func expect(want, got int) {
            if want != got {
                panic("defer semantics")
            }
        }

        func main() {
            x := 1
            defer func() { expect(2, x) }() // the closure sees the final x
            defer expect(1, x)              // the argument was evaluated here
            x = 2
        }
    """),
    case("recover-not-called-directly-by-deferred-func", """
        package main

        func helper() { recover() }

        func main() {
            defer func() { helper() }()
            panic("boom") // want runtime-panic
        }
    """),
    case("defer-lifo-holds-lock-during-send", """
        package main

        import (
            "sync"
            "time"
        )

        var mu sync.Mutex

        func worker(done chan bool) {
            mu.Lock()
            defer mu.Unlock()
            defer func() { done <- true }() // runs first, with mu still held
        }

        func main() {
            done := make(chan bool)
            go worker(done)
            time.Sleep(50 * time.Millisecond) // the worker takes mu first
            mu.Lock() // want global-deadlock
            mu.Unlock()
            <-done
        }
    """),
    case("defer-lifo-releases-lock-before-send", """
        package main

        import "sync"

        var mu sync.Mutex

        func worker(done chan bool) {
            defer func() { done <- true }() // runs last, after Unlock
            mu.Lock()
            defer mu.Unlock()
        }

        func main() {
            done := make(chan bool)
            go worker(done)
            mu.Lock()
            mu.Unlock()
            <-done
        }
    """),
    case("defer-in-loop-runs-at-function-end", """
        package main

        import "sync"

        func main() {
            var mu sync.Mutex
            for i := 0; i < 2; i++ {
                mu.Lock() // want global-deadlock
                defer mu.Unlock()
            }
        }
    """),
    case("os-exit-skips-defers-and-reaps-goroutines", """
        package main

        import "os"

        func main() {
            ch := make(chan int)
            go func() { ch <- 1 }() // blocked forever, but the process is gone
            done := make(chan int)
            close(done)
            defer close(done) // never runs
            os.Exit(0)
        }
    """),
    case("t-fatal-runs-defers", """
        package x

        import "testing"

        func TestFatal(t *testing.T) {
            stop := make(chan struct{})
            defer close(stop)
            go func() { <-stop }()
            t.Fatal("failed")
            var nilch chan int
            close(nilch) // never reached
        }
    """),
    case("goexit-runs-defers-in-goroutine", """
        package main

        import (
            "runtime"
            "sync"
        )

        func main() {
            var wg sync.WaitGroup
            wg.Add(1)
            go func() {
                defer wg.Done()
                runtime.Goexit()
                panic("after Goexit")
            }()
            wg.Wait()
        }
    """),
    case("t-skip-ends-the-test", """
        package x

        import "testing"

        func TestSkipped(t *testing.T) {
            ch := make(chan int)
            t.Skip("not ready")
            ch <- 1 // never reached
        }

        func TestSkippedf(t *testing.T) {
            var ch chan int
            t.Skipf("not ready: %d", 1)
            close(ch) // never reached
        }
    """),
    case("t-run-subtest", """
        package x

        import "testing"

        func TestParent(t *testing.T) {
            ch := make(chan int, 1)
            t.Run("fill", func(t *testing.T) { ch <- 1 })
            t.Run("drain", func(t *testing.T) { <-ch })
            <-ch // want global-deadlock
        }
    """),
    case("t-fatal-skips-the-rest-of-the-test", """
        package x

        import "testing"

        func TestFatal(t *testing.T) {
            stop := make(chan struct{})
            go func() {
                <-stop // want goroutine-leak
            }()
            t.Fatalf("failed: %d", 1)
            close(stop)
        }
    """),
]

# ====================================================================== sync

SYNC = [
    case("mutex-double-lock", """
        package main

        import "sync"

        func main() {
            var mu sync.Mutex
            mu.Lock()
            mu.Lock() // want global-deadlock
        }
    """),
    case("unlock-of-unlocked-is-fatal-even-with-recover", """
        package main

        import "sync"

        func main() {
            defer func() { recover() }()
            var mu sync.Mutex
            mu.Unlock() // want unlock-of-unlocked
        }
    """),
    case("mutex-unlocked-by-another-goroutine", """
        package main

        import "sync"

        func main() {
            var mu sync.Mutex
            mu.Lock()
            done := make(chan bool)
            go func() {
                mu.Unlock()
                done <- true
            }()
            <-done
            mu.Lock()
            mu.Unlock()
        }
    """),
    case("mutex-copy-copies-its-state", """
        package main

        import "sync"

        type box struct{ mu sync.Mutex }

        func main() {
            var b box
            b.mu.Lock()
            c := b // copies a locked mutex
            b.mu.Unlock()
            c.mu.Lock() // want global-deadlock
        }
    """),
    case("mutex-through-sync-locker-interface", """
        package main

        import "sync"

        func main() {
            var mu sync.Mutex
            var l sync.Locker = &mu
            l.Lock()
            mu.Unlock()
            l.Lock()
            mu.Lock() // want global-deadlock
        }
    """),
    case("abba-lock-order", """
        package main

        import (
            "sync"
            "time"
        )

        func main() {
            var a, b sync.Mutex
            var wg sync.WaitGroup
            wg.Add(2)
            go func() {
                defer wg.Done()
                a.Lock()
                time.Sleep(10 * time.Millisecond)
                b.Lock()
                b.Unlock()
                a.Unlock()
            }()
            go func() {
                defer wg.Done()
                b.Lock()
                time.Sleep(10 * time.Millisecond)
                a.Lock()
                a.Unlock()
                b.Unlock()
            }()
            wg.Wait() // want global-deadlock
        }
    """),
    case("rwmutex-readers-share", """
        package main

        import "sync"

        func main() {
            var rw sync.RWMutex
            rw.RLock()
            done := make(chan bool)
            go func() {
                rw.RLock()
                rw.RUnlock()
                done <- true
            }()
            <-done
            rw.RUnlock()
            rw.Lock()
            rw.Unlock()
        }
    """),
    case("rwmutex-writer-excludes-readers", """
        package main

        import "sync"

        func main() {
            var rw sync.RWMutex
            rw.Lock()
            rw.RLock() // want global-deadlock
        }
    """),
    case("rwmutex-recursive-rlock-with-writer-queued", """
        package main

        import (
            "sync"
            "time"
        )

        func main() {
            var rw sync.RWMutex
            rw.RLock()
            go func() {
                rw.Lock()
                rw.Unlock()
            }()
            time.Sleep(50 * time.Millisecond) // the writer queues
            rw.RLock() // want global-deadlock
            rw.RUnlock()
            rw.RUnlock()
        }
    """),
    case("rwmutex-runlock-of-unlocked", """
        package main

        import "sync"

        func main() {
            var rw sync.RWMutex
            rw.RUnlock() // want unlock-of-unlocked
        }
    """),
    case("rwmutex-unlock-while-read-locked", """
        package main

        import "sync"

        func main() {
            var rw sync.RWMutex
            rw.RLock()
            rw.Unlock() // want unlock-of-unlocked
        }
    """),
    case("waitgroup-add-done-wait", """
        package main

        import "sync"

        func main() {
            var wg sync.WaitGroup
            var mu sync.Mutex
            n := 0
            for i := 0; i < 3; i++ {
                wg.Add(1)
                go func() {
                    defer wg.Done()
                    mu.Lock()
                    n++
                    mu.Unlock()
                }()
            }
            wg.Wait()
            if n != 3 {
                panic("Wait returned early")
            }
        }
    """),
    case("waitgroup-missing-done", """
        package main

        import "sync"

        func main() {
            var wg sync.WaitGroup
            wg.Add(2)
            go wg.Done()
            wg.Wait() // want global-deadlock
        }
    """),
    case("waitgroup-negative-counter", """
        package main

        import "sync"

        func main() {
            var wg sync.WaitGroup
            wg.Add(1)
            wg.Done()
            wg.Done() // want negative-waitgroup
        }
    """),
    case("waitgroup-passed-by-value", """
        package main

        import "sync"

        func worker(wg sync.WaitGroup) { // a copy: Done never reaches main's counter
            defer wg.Done()
        }

        func main() {
            var wg sync.WaitGroup
            wg.Add(1)
            go worker(wg)
            wg.Wait() // want global-deadlock
        }
    """),
    case("waitgroup-go", """
        package main

        import "sync"

        func main() {
            var wg sync.WaitGroup
            results := make(chan int, 3)
            for i := 0; i < 3; i++ {
                wg.Go(func() { results <- i })
            }
            wg.Wait()
            close(results)
            sum := 0
            for v := range results {
                sum += v
            }
            if sum != 3 {
                panic("lost results")
            }
        }
    """),
    case("once-runs-once", """
        package main

        import "sync"

        func main() {
            var once sync.Once
            var wg sync.WaitGroup
            var mu sync.Mutex
            n := 0
            for i := 0; i < 2; i++ {
                wg.Add(1)
                go func() {
                    defer wg.Done()
                    once.Do(func() {
                        mu.Lock()
                        n++
                        mu.Unlock()
                    })
                }()
            }
            wg.Wait()
            once.Do(func() { n++ })
            if n != 1 {
                panic("ran more than once")
            }
        }
    """),
    case("once-do-recursive-deadlocks", """
        package main

        import "sync"

        func main() {
            var once sync.Once
            once.Do(func() {
                once.Do(func() {}) // want global-deadlock
            })
        }
    """),
    case("cond-signal-wakes-waiter", """
        package main

        import "sync"

        func main() {
            var mu sync.Mutex
            c := sync.NewCond(&mu)
            ready := false
            go func() {
                mu.Lock()
                ready = true
                c.Signal()
                mu.Unlock()
            }()
            mu.Lock()
            for !ready {
                c.Wait()
            }
            mu.Unlock()
        }
    """),
    case("cond-broadcast-wakes-all", """
        package main

        import "sync"

        func main() {
            var mu sync.Mutex
            c := sync.NewCond(&mu)
            ready := false
            var wg sync.WaitGroup
            for i := 0; i < 2; i++ {
                wg.Add(1)
                go func() {
                    defer wg.Done()
                    mu.Lock()
                    for !ready {
                        c.Wait()
                    }
                    mu.Unlock()
                }()
            }
            mu.Lock()
            ready = true
            c.Broadcast()
            mu.Unlock()
            wg.Wait()
        }
    """),
    case("cond-signal-wakes-only-one", """
        package main

        import (
            "sync"
            "time"
        )

        func main() {
            var mu sync.Mutex
            c := sync.NewCond(&mu)
            ready := false
            var wg sync.WaitGroup
            for i := 0; i < 2; i++ {
                wg.Add(1)
                go func() {
                    defer wg.Done()
                    mu.Lock()
                    for !ready {
                        c.Wait()
                    }
                    mu.Unlock()
                }()
            }
            time.Sleep(50 * time.Millisecond) // both goroutines wait
            mu.Lock()
            ready = true
            c.Signal()
            mu.Unlock()
            wg.Wait() // want global-deadlock
        }
    """),
    case("cond-wait-without-lock-is-fatal", """
        package main

        import "sync"

        func main() {
            var mu sync.Mutex
            c := sync.NewCond(&mu)
            c.Wait() // want unlock-of-unlocked
        }
    """),
    case("cond-over-rwmutex", """
        package main

        import "sync"

        func main() {
            var rw sync.RWMutex
            c := sync.NewCond(&rw)
            ready := false
            go func() {
                rw.Lock()
                ready = true
                c.Broadcast()
                rw.Unlock()
            }()
            rw.Lock()
            for !ready {
                c.Wait()
            }
            rw.Unlock()
        }
    """),
    case("cond-lost-signal", """
        package main

        import (
            "sync"
            "time"
        )

        func main() {
            var mu sync.Mutex
            c := sync.NewCond(&mu)
            go func() {
                mu.Lock()
                c.Signal() // nobody is waiting yet: the signal is lost
                mu.Unlock()
            }()
            time.Sleep(50 * time.Millisecond)
            mu.Lock()
            c.Wait() // want global-deadlock
            mu.Unlock()
        }
    """),
]

# ====================================================================== context and time

TIME = [
    case("context-cancel-closes-done-of-children", """
        package main

        import "context"

        func main() {
            parent, cancel := context.WithCancel(context.Background())
            child, cancelChild := context.WithCancel(parent)
            defer cancelChild()
            done := make(chan bool)
            go func() {
                <-child.Done()
                done <- true
            }()
            cancel()
            <-done
            if child.Err() == nil {
                panic("child not cancelled")
            }
        }
    """),
    case("context-cancel-does-not-reach-parent", """
        package main

        import "context"

        func main() {
            parent, cancel := context.WithCancel(context.Background())
            defer cancel()
            child, cancelChild := context.WithCancel(parent)
            cancelChild()
            <-child.Done()
            <-parent.Done() // want global-deadlock
        }
    """),
    case("context-with-timeout-fires", """
        package main

        import (
            "context"
            "time"
        )

        func main() {
            ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
            defer cancel()
            <-ctx.Done()
            if ctx.Err() == nil {
                panic("no error after the deadline")
            }
        }
    """),
    case("context-errors", """
        package main

        import (
            "context"
            "errors"
            "time"
        )

        func main() {
            ctx, cancel := context.WithCancel(context.Background())
            if ctx.Err() != nil {
                panic("error before cancel")
            }
            cancel()
            if ctx.Err() != context.Canceled || !errors.Is(ctx.Err(), context.Canceled) {
                panic("not Canceled")
            }
            tctx, tcancel := context.WithTimeout(context.Background(), time.Millisecond)
            defer tcancel()
            <-tctx.Done()
            if tctx.Err() != context.DeadlineExceeded {
                panic("not DeadlineExceeded")
            }
        }
    """),
    case("context-never-cancelled-leaves-waiter", """
        package x

        import (
            "context"
            "testing"
        )

        func TestWatch(t *testing.T) {
            ctx, cancel := context.WithCancel(context.Background())
            _ = cancel
            go func() {
                <-ctx.Done() // want goroutine-leak
            }()
        }
    """),
    case("context-cancelled-by-defer", """
        package x

        import (
            "context"
            "testing"
        )

        func TestWatch(t *testing.T) {
            ctx, cancel := context.WithCancel(context.Background())
            defer cancel()
            go func() { <-ctx.Done() }()
        }
    """),
    case("time-after-in-select", """
        package main

        import "time"

        func main() {
            ch := make(chan int)
            select {
            case <-ch:
                panic("nobody sends")
            case <-time.After(time.Millisecond):
            }
        }
    """),
    case("time-after-timeout-abandons-sender", """
        package x

        import (
            "testing"
            "time"
        )

        func TestTimeout(t *testing.T) {
            ch := make(chan int)
            go func() {
                ch <- 42 // want goroutine-leak
            }()
            select {
            case <-ch:
            case <-time.After(time.Millisecond):
            }
        }
    """),
    case("after-func-stopped-before-it-fires", """
        package main

        import "time"

        func main() {
            ch := make(chan int)
            t := time.AfterFunc(time.Hour, func() { close(ch) })
            t.Stop()
            <-ch // want global-deadlock
        }
    """),
    case("after-func-runs-in-its-own-goroutine", """
        package main

        import "time"

        func main() {
            ch := make(chan int)
            time.AfterFunc(time.Millisecond, func() { ch <- 1 })
            <-ch
        }
    """),
    case("ticker-loop-without-exit-leaks-in-test", """
        package x

        import (
            "testing"
            "time"
        )

        func TestTicker(t *testing.T) {
            go func() { // want goroutine-leak
                tk := time.NewTicker(time.Millisecond)
                defer tk.Stop()
                for range tk.C {
                }
            }()
        }
    """),
    case("ticker-loop-without-exit-is-silent-in-main", """
        package main

        import "time"

        func main() {
            go func() {
                tk := time.NewTicker(time.Millisecond)
                defer tk.Stop()
                for range tk.C {
                }
            }()
        }
    """),
    case("ticker-loop-with-stop-channel", """
        package x

        import (
            "testing"
            "time"
        )

        func TestTicker(t *testing.T) {
            stop := make(chan struct{})
            done := make(chan struct{})
            go func() {
                defer close(done)
                tk := time.NewTicker(time.Millisecond)
                defer tk.Stop()
                for {
                    select {
                    case <-tk.C:
                    case <-stop:
                        return
                    }
                }
            }()
            close(stop)
            <-done
        }
    """),
    case("idle-ticker-does-not-hide-a-deadlock", """
        package main

        import (
            "sync"
            "time"
        )

        func main() {
            tk := time.NewTicker(time.Millisecond)
            defer tk.Stop()
            <-tk.C
            var mu sync.Mutex
            mu.Lock()
            mu.Lock() // want global-deadlock
        }
    """),
    case("idle-ticker-keeps-the-runtime-awake-go122", """
        package main

        import (
            "sync"
            "time"
        )

        func main() {
            tk := time.NewTicker(time.Millisecond)
            defer tk.Stop()
            <-tk.C
            var mu sync.Mutex
            mu.Lock()
            mu.Lock() // want goroutine-leak
        }
    """, go="1.22"),
    case("timer-stop-then-drain-idiom-go122", """
        package main

        import "time"

        func main() {
            t := time.NewTimer(time.Millisecond)
            time.Sleep(20 * time.Millisecond)
            if !t.Stop() {
                <-t.C
            }
        }
    """, go="1.22"),
    case("timer-stop-then-drain-idiom-go123", """
        package main

        import "time"

        func main() {
            t := time.NewTimer(time.Millisecond)
            time.Sleep(20 * time.Millisecond)
            if !t.Stop() {
                <-t.C
            }
        }
    """, go="1.23"),
    case("timer-stale-value-after-stop-go122", """
        package main

        import "time"

        func main() {
            t := time.NewTimer(time.Millisecond)
            time.Sleep(20 * time.Millisecond)
            t.Stop()
            select {
            case <-t.C:
                panic("stale value") // want runtime-panic
            default:
            }
        }
    """, go="1.22"),
    case("timer-no-stale-value-after-stop-go123", """
        package main

        import "time"

        func main() {
            t := time.NewTimer(time.Millisecond)
            time.Sleep(20 * time.Millisecond)
            t.Stop()
            select {
            case <-t.C:
                panic("stale value")
            default:
            }
        }
    """, go="1.23"),
    case("timer-channel-has-len-before-go123", """
        package main

        import "time"

        func main() {
            t := time.NewTimer(time.Millisecond)
            time.Sleep(20 * time.Millisecond)
            if len(t.C) > 0 {
                <-t.C
                <-t.C // want global-deadlock
            }
        }
    """, go="1.22"),
    case("timer-channel-is-unbuffered-from-go123", """
        package main

        import "time"

        func main() {
            t := time.NewTimer(time.Millisecond)
            time.Sleep(20 * time.Millisecond)
            if len(t.C) > 0 || cap(t.C) > 0 {
                <-t.C
                <-t.C
            }
        }
    """, go="1.23"),
    case("timer-drain-after-receive-deadlocks", """
        package main

        import "time"

        func main() {
            t := time.NewTimer(time.Millisecond)
            <-t.C
            if !t.Stop() {
                <-t.C // want global-deadlock
            }
        }
    """),
]

# ====================================================================== language features

LANGUAGE = [
    # an array type's length is any constant expression (a named constant, 1 << k):
    # it was read from literals only, so [N]int was nil and a[2] a bogus panic
    case("array-length-from-constant-expressions", """
        package main

        const N = 4

        func main() {
            var a [N]int
            var b [1 << 3]int
            a[N-1] = 1
            b[7] = a[3]
            done := make(chan int)
            go func() { done <- b[7] + len(a) + len(b) }()
            if <-done != 13 {
                panic("wrong array contents or lengths")
            }
        }
    """),
    # shifts: a count of 64 or more shifts every bit out (gcheck built a number of
    # 2^40 bits: a MemoryError); a negative count panics
    case("shift-count-past-the-width", """
        package main

        func main() {
            done := make(chan uint)
            go func() { done <- 1 << 40 }()
            s := <-done
            x, y := 1<<s, -8>>s
            if x != 0 || y != -1 {
                panic("bits left after shifting them all out")
            }
        }
    """),
    case("shift-count-negative", """
        package main

        func main() {
            done := make(chan int)
            go func() { done <- -1 }()
            n := <-done
            println(1 << n) // want runtime-panic
        }
    """),
    # a Context of the program's own: Go watches its Done channel (propagateCancel,
    # AfterFunc); gcheck takes its cancellation to come at any time (it reported a
    # global deadlock here: the child was never cancelled)
    case("context-with-a-parent-of-the-programs-own", """
        package main

        import (
            "context"
            "time"
        )

        type myCtx struct{ done chan struct{} }

        func (c *myCtx) Deadline() (time.Time, bool) { return time.Time{}, false }
        func (c *myCtx) Done() <-chan struct{}       { return c.done }
        func (c *myCtx) Err() error {
            select {
            case <-c.done:
                return context.Canceled
            default:
                return nil
            }
        }
        func (c *myCtx) Value(key any) any { return nil }

        func main() {
            parent := &myCtx{done: make(chan struct{})}
            child, cancel := context.WithCancel(parent)
            defer cancel()
            ran := make(chan struct{})
            stop := context.AfterFunc(parent, func() { close(ran) })
            defer stop()
            close(parent.done)
            <-child.Done()
            <-ran
        }
    """),
    # reading a nil map gives the zero value (it was a bogus index-out-of-range panic)
    case("nil-map-reads-give-the-zero", """
        package main

        var global map[string]int

        func count(m map[string]int, k string) int { return m[k] }

        func main() {
        	var m map[string]int
        	done := make(chan int)
        	go func() { done <- m["a"] + global["b"] + count(nil, "c") + len(m) }()
        	v, ok := m["d"]
        	if <-done != 0 || v != 0 || ok {
        		panic("a nil map read gave something")
        	}
        }
    """),
    # and writing one panics, with Go's message
    case("nil-map-write-panics", """
        package main

        func main() {
        	var m map[string]int
        	done := make(chan bool)
        	go func() { done <- true }()
        	<-done
        	m["a"] = 1 // want runtime-panic
        }
    """),
    # a nil value of a named slice or map type finds its methods (new(stack).push was a nil dereference)
    case("named-slice-type-with-pointer-methods", """
        package main

        type stack []int

        func (s *stack) push(v int) { *s = append(*s, v) }

        func (s *stack) pop() int {
        	v := (*s)[len(*s)-1]
        	*s = (*s)[:len(*s)-1]
        	return v
        }

        type set map[string]bool

        func (s set) has(k string) bool { return s[k] }

        func main() {
        	s := new(stack)
        	var t stack
        	var seen set
        	done := make(chan int)
        	go func() {
        		s.push(1)
        		s.push(2)
        		t.push(3)
        		done <- s.pop() + t.pop()
        	}()
        	if <-done != 5 || seen.has("x") || len(*s) != 1 {
        		panic("wrong")
        	}
        }
    """),
    # a backing array stored into many times in one step is changed in place (world.LiveArr)
    case("arrays-filled-in-a-loop", """
        package main

        type point struct{ x, y int }

        func main() {
        	buf := make([]int, 500)
        	pts := make([]point, 100)
        	for i := range buf {
        		buf[i] = i * 2
        	}
        	for i := range pts {
        		pts[i].y = buf[i] + 1
        	}
        	more := append(buf[:10], 7)
        	dst := make([]int, 100)
        	n := copy(dst, buf[100:])
        	done := make(chan int)
        	go func() {
        		buf[499]++
        		done <- buf[499] + pts[99].y + more[10] + n + dst[0] + buf[10]
        	}()
        	if got := <-done; got != 999+199+7+100+200+7 {
        		panic(got)
        	}
        }
    """),
    # an index of a named integer type
    case("index-of-a-named-integer-type", """
        package main

        type Weekday int

        func (d Weekday) Weekend() bool { return d == Saturday || d == Sunday }

        const (
        	Sunday Weekday = iota
        	Monday
        	Saturday = 6
        )

        func main() {
        	var hours [7]int
        	hours[Monday] = 8
        	names := []string{"sun", "mon"}
        	done := make(chan int)
        	go func() { done <- hours[Monday] + len(names[Monday]) }()
        	if <-done != 11 || Monday.Weekend() {
        		panic("wrong")
        	}
        }
    """),
    # a blank function `func _()` made the whole package fail to lower
    case("a-blank-function", """
        package main

        type offset int

        func _() {}

        func main() {
        	buf := make([]byte, 5)
        	var n offset = 2
        	head, word := buf[:n], "hello"[n:]
        	done := make(chan int)
        	go func() { done <- len(head) + len(word) }()
        	if <-done != 5 {
        		panic("wrong lengths")
        	}
        }
    """),
    case("array-index-past-constant-length", """
        package main

        const N = 4

        func main() {
            var a [N]int
            i := N
            done := make(chan int)
            go func() { done <- i }()
            a[<-done] = 1 // want runtime-panic
        }
    """),
    case("loop-variable-per-iteration", """
        package main

        func main() {
            start := make(chan struct{})
            results := make(chan int, 3)
            for i := 0; i < 3; i++ {
                go func() {
                    <-start
                    results <- i
                }()
            }
            close(start)
            sum := 0
            for j := 0; j < 3; j++ {
                sum += <-results
            }
            if sum != 0+1+2 {
                panic("loop variable shared between iterations")
            }
        }
    """),
    case("range-variable-per-iteration", """
        package main

        func main() {
            start := make(chan struct{})
            results := make(chan string, 2)
            for _, s := range []string{"a", "b"} {
                go func() {
                    <-start
                    results <- s
                }()
            }
            close(start)
            if a, b := <-results, <-results; a == b {
                panic("range variable shared between iterations")
            }
        }
    """),
    case("loop-variable-shared-before-go122", """
        package main

        func main() {
            start := make(chan struct{})
            results := make(chan int, 3)
            for i := 0; i < 3; i++ {
                go func() {
                    <-start
                    results <- i
                }()
            }
            close(start)
            sum := 0
            for j := 0; j < 3; j++ {
                sum += <-results
            }
            if sum != 0+1+2 {
                panic("loop variable shared between iterations") // want runtime-panic
            }
        }
    """, go="1.21"),
    case("range-variable-shared-before-go122", """
        package main

        func main() {
            start := make(chan struct{})
            results := make(chan string, 2)
            for _, s := range []string{"a", "b"} {
                go func() {
                    <-start
                    results <- s
                }()
            }
            close(start)
            if a, b := <-results, <-results; a == b {
                panic("range variable shared between iterations") // want runtime-panic
            }
        }
    """, go="1.21"),
    case("pointer-receiver-mutates-shared-state", """
        package main

        import "sync"

        type Counter struct {
            mu sync.Mutex
            n  int
        }

        func (c *Counter) Inc() {
            c.mu.Lock()
            defer c.mu.Unlock()
            c.n++
        }

        func (c Counter) IncCopy() { c.n++ }

        func main() {
            c := &Counter{}
            var wg sync.WaitGroup
            for i := 0; i < 2; i++ {
                wg.Add(1)
                go func() {
                    defer wg.Done()
                    c.Inc()
                }()
            }
            wg.Wait()
            c.IncCopy()
            if c.n != 2 {
                panic("wrong count")
            }
        }
    """),
    case("value-receiver-locks-a-copy", """
        package main

        import "sync"

        type Box struct{ mu sync.Mutex }

        func (b Box) Peek() {
            b.mu.Lock() // locks the copy only
        }

        func main() {
            var b Box
            b.Peek()
            b.mu.Lock()
            b.mu.Unlock()
        }
    """),
    case("embedded-mutex-promoted-lock", """
        package main

        import "sync"

        type Store struct {
            sync.Mutex
            items map[string]int
        }

        func (s *Store) Put(k string, v int) {
            s.Lock() // want global-deadlock
            defer s.Unlock()
            s.items[k] = v
        }

        func main() {
            s := &Store{items: map[string]int{}}
            s.Lock()
            s.Put("a", 1)
        }
    """),
    case("embedded-mutex-shared-between-goroutines", """
        package main

        import "sync"

        type Store struct {
            sync.Mutex
            n int
        }

        func main() {
            s := &Store{}
            done := make(chan bool)
            go func() {
                s.Lock()
                s.n++
                s.Unlock()
                done <- true
            }()
            s.Lock()
            s.n++
            s.Unlock()
            <-done
            if s.n != 2 {
                panic("lost update")
            }
        }
    """),
    case("interface-dynamic-dispatch", """
        package main

        type Closer interface{ Close() }

        type chanCloser struct{ ch chan int }

        func (c *chanCloser) Close() { close(c.ch) } // want close-of-closed

        type noop struct{}

        func (noop) Close() {}

        func closeAll(cs []Closer) {
            for _, c := range cs {
                c.Close()
            }
        }

        func main() {
            c := &chanCloser{ch: make(chan int)}
            closeAll([]Closer{c, noop{}, noop{}})
            closeAll([]Closer{noop{}, c})
        }
    """),
    case("method-values", """
        package main

        type Counter struct{ n int }

        func (c *Counter) Inc()    { c.n++ }
        func (c Counter) Get() int { return c.n }

        func main() {
            c := &Counter{}
            inc := c.Inc
            get := c.Get // binds a copy of *c now
            inc()
            inc()
            if c.n != 2 || get() != 0 {
                panic("method value semantics")
            }
            stop := make(chan int)
            shut := func() { close(stop) } // want close-of-closed
            done := shut
            done()
            shut()
        }
    """),
    case("named-channel-type-with-methods", """
        package main

        type Sem chan struct{}

        func (s Sem) Acquire() { s <- struct{}{} } // want global-deadlock
        func (s Sem) Release() { <-s }

        func main() {
            raw := make(chan struct{}, 1)
            s := Sem(raw)
            s.Acquire()
            s.Release()
            s.Acquire()
            s.Acquire()
        }
    """),
    case("map-of-channels", """
        package main

        func main() {
            m := map[string]chan int{"a": make(chan int, 1), "b": make(chan int)}
            m["a"] <- 1
            if <-m["a"] != 1 {
                panic("lost value")
            }
            close(m["b"])
            if _, ok := m["missing"]; ok {
                panic("missing key present")
            }
            m["missing"] <- 1 // want global-deadlock
        }
    """),
    case("map-of-channels-close-missing-key", """
        package main

        func main() {
            m := map[string]chan int{}
            close(m["x"]) // want close-of-nil
        }
    """),
    case("slice-of-channels-fan-in", """
        package main

        func main() {
            chs := make([]chan int, 3)
            for i := range chs {
                chs[i] = make(chan int)
            }
            for i, ch := range chs {
                go func() { ch <- i }()
            }
            sum := 0
            for _, ch := range chs {
                sum += <-ch
            }
            if sum != 3 {
                panic("lost values")
            }
        }
    """),
    case("slice-of-channels-with-a-nil-element", """
        package main

        func main() {
            chs := make([]chan int, 2)
            chs[0] = make(chan int)
            go func() { chs[0] <- 1 }()
            <-chs[0]
            <-chs[1] // want global-deadlock
        }
    """),
    case("func-values-in-struct-fields", """
        package main

        type hooks struct {
            onStart func()
            onStop  func()
        }

        func main() {
            started := make(chan bool, 1)
            stopped := make(chan bool)
            h := hooks{
                onStart: func() { started <- true },
                onStop:  func() { close(stopped) }, // want close-of-closed
            }
            h.onStart()
            <-started
            h.onStop()
            <-stopped
            h.onStop()
        }
    """),
    case("unknown-branch-explores-both-sides", """
        package main

        import "math/rand"

        func main() {
            ch := make(chan int, 1)
            if rand.Intn(2) == 0 {
                close(ch)
            }
            close(ch) // want close-of-closed
        }
    """),
    case("unknown-branch-deadlock-on-one-side", """
        package main

        import "math/rand"

        func main() {
            ch := make(chan int)
            if rand.Intn(2) == 0 {
                go func() { ch <- 1 }()
            }
            <-ch // want global-deadlock
        }
    """),
]

# ====================================================================== leaks and liveness

LIVENESS = [
    case("running-goroutine-that-can-finish-is-no-leak", """
        package x

        import (
            "math/rand"
            "runtime"
            "testing"
        )

        func TestBusy(t *testing.T) {
            go func() {
                for rand.Intn(10) != 0 {
                    runtime.Gosched()
                }
            }()
        }
    """),
    case("unknown-correlated-conditions-stay-consistent", """
        package main

        import (
            "math/rand"
            "sync"
        )

        func main() {
            var mu sync.Mutex
            locked := rand.Intn(2) == 0
            if locked {
                mu.Lock()
            }
            if locked {
                mu.Unlock()
            }
        }
    """),
    case("unknown-loop-bound", """
        package main

        import (
            "math/rand"
            "sync"
        )

        func main() {
            n := rand.Intn(5)
            var wg sync.WaitGroup
            for i := 0; i < n; i++ {
                wg.Add(1)
                go func() { defer wg.Done() }()
            }
            wg.Wait()
        }
    """, timeout=10),
    case("sleeping-goroutine-is-no-leak", """
        package x

        import (
            "testing"
            "time"
        )

        func TestSleepy(t *testing.T) {
            go func() {
                time.Sleep(time.Second)
                <-time.After(time.Hour)
            }()
        }
    """),
    case("test-blocked-while-another-goroutine-spins", """
        package x

        import (
            "runtime"
            "testing"
        )

        func TestHang(t *testing.T) {
            ch := make(chan int)
            go func() { // want goroutine-leak
                for {
                    runtime.Gosched()
                }
            }()
            <-ch // want goroutine-leak
        }
    """),
    case("main-blocked-while-another-goroutine-spins", """
        package main

        import "runtime"

        func main() {
            ch := make(chan int)
            go func() {
                for {
                    runtime.Gosched()
                }
            }()
            <-ch // want goroutine-leak
        }
    """),
    case("partial-deadlock-after-main-returns", """
        package main

        import "sync"

        func main() {
            var a, b sync.Mutex
            a.Lock()
            go func() {
                b.Lock()
                a.Lock() // want goroutine-leak
            }()
        }
    """),
]

ALL_CASES = CHANNELS + CONTROL + SYNC + TIME + LANGUAGE + LIVENESS


@pytest.mark.parametrize("c", ALL_CASES)
def test_semantics(tmp_path, c: Case):
    assert_findings(tmp_path, c.src, c.go, Options(limits=Limits(timeout=c.timeout)))


def test_arrays_longer_than_modelled_are_unknown_values_with_a_note(tmp_path):
    """A backing array is a tuple copied by every store: a 128 MiB buffer took
    18 s and 3 GB. Past runtime.MAX_ELEMENTS a slice or array is an unknown
    value instead, and the run says so."""
    src = """
        package main

        var table [1 << 27]byte

        var grid [1 << 11][1 << 10]byte // each dimension is short, the whole is not

        func main() {
            buf := make([]byte, 64<<20)
            buf[0] = 1
            table[1] = buf[0]
            grid[2][3] = table[1]
            big := append(make([]byte, 1<<20), 1)
            _ = big
            done := make(chan bool)
            go func() { done <- grid[2][3] == 1 }()
            <-done
        }
    """
    r = assert_findings(tmp_path, src)
    notes = {n.pos.line: n.message for n in r.notes}
    assert notes[8] == "a slice of 67,108,864 elements: gcheck models at most 1,048,576, so the slice is an unknown value"
    assert notes[3].startswith("an array of 134,217,728 elements: gcheck models at most 1,048,576")
    assert notes[5].startswith("an array of 2,097,152 elements")
    assert notes[12].startswith("append grows a slice past 1,048,576 elements")


def test_notes_made_while_exploring_are_reported(tmp_path):
    """make and range note what they abstract when they run; those notes went to the
    lowering's table after it had been read, and were lost."""
    src = """
        package main

        import (
            "os"
            "strings"
        )

        func main() {
            parts := strings.Fields(os.Getenv("X"))
            ch := make(chan int, len(parts))
            n := 0
            for range parts {
                n++
            }
            _ = ch
        }
    """
    r = assert_findings(tmp_path, src)
    notes = {(n.pos.line, n.message) for n in r.notes}
    assert (10, "channel capacity is unknown: explored as unbuffered") in notes, notes
    assert (12, "range over a value of unknown length: explored for up to 3 iterations") in notes, notes


def test_package_members_used_as_values(tmp_path):
    """utf8.UTFMax and friends are constants gcheck knows; a member it does not
    know (unicode.MaxASCII) was a function value, and make() compared it with 0:
    an internal error that stopped the run. It is an unknown value, with a note."""
    src = """
        package main

        import (
            "math"
            "os"
            "unicode"
            "unicode/utf8"
        )

        func main() {
            buf := make([]byte, utf8.UTFMax)
            ch := make(chan int, unicode.MaxASCII)
            done := make(chan int)
            go func() { done <- len(buf) }()
            if <-done != 4 || math.MaxInt8 != 127 {
                panic("wrong constant")
            }
            args := append(os.Args, "-v")
            copy(os.Args, args)
            _ = os.Args[1:]
            _ = ch
        }
    """
    r = assert_findings(tmp_path, src)
    notes = {(n.pos.line, n.message) for n in r.notes}
    assert (12, "unicode.MaxASCII is not modelled: used as a value (not called), it is unknown") in notes
    assert (12, "channel capacity is unknown: explored as unbuffered") in notes
    assert (18, "os.Args is not modelled: used as a value (not called), it is unknown") in notes


def test_slicing_an_array_is_a_copy_and_says_so(tmp_path):
    """gcheck's model slices a copy of an array (Go shares it): until that is
    modelled, the run must say so (README: known approximations)."""
    src = """
        package main

        func main() {
            var a [3]int
            s := a[:]
            s[0] = 5
            println(a[0], s[0])
        }
    """
    _, r = check(tmp_path, src)
    assert (5, "slicing an array: gcheck slices a copy of it, so writes through the slice do not "
               "reach the array (Go shares it)") in {(n.pos.line, n.message) for n in r.notes}


def test_go_version_option_overrides_go_mod(tmp_path):
    src = """
        package main

        import "time"

        func main() {
            t := time.NewTimer(time.Millisecond)
            time.Sleep(20 * time.Millisecond)
            t.Stop()
            select {
            case <-t.C:
                panic("stale value") // want runtime-panic
            default:
            }
        }
    """
    assert_findings(tmp_path, src, go="1.27", options=Options(go_version=(1, 22)))


def test_each_test_entry_is_explored(tmp_path):
    src = """
        package x

        import "testing"

        func TestA(t *testing.T) {
            ch := make(chan int)
            close(ch)
            close(ch) // want close-of-closed
        }

        func TestB(t *testing.T) {
            var ch chan int
            close(ch) // want close-of-nil
        }

        func helper(t *testing.T) {
            var ch chan int
            ch <- 1 // not an entry: never reported
        }
    """
    r = assert_findings(tmp_path, src)
    assert sorted(s.entry for s in r.stats) == ["TestA", "TestB"]
    assert {f.entry for f in r.findings} == {"TestA", "TestB"}


_RENDER = """
import sys
from gcheck.api import check_paths, Options
from gcheck.report.text import render
sys.stdout.write(render(check_paths([sys.argv[1]], Options())).rsplit("\\n", 2)[0])
"""


def test_deterministic_across_processes(tmp_path):
    """Same output whatever Python's string hashing seed: no set or dict order leaks out."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    src = """
        package x

        import (
            "sync"
            "testing"
        )

        func TestMany(t *testing.T) {
            chans := map[string]chan int{"a": make(chan int), "b": make(chan int), "c": make(chan int)}
            var mu sync.Mutex
            for name, ch := range chans {
                go func() {
                    mu.Lock() // want goroutine-leak
                    defer mu.Unlock()
                    if name == "b" {
                        close(ch)
                    }
                    ch <- 1 // want goroutine-leak send-on-closed
                }()
            }
            select {
            case <-chans["a"]:
            case <-chans["c"]:
            }
        }
    """
    assert_findings(tmp_path, src)
    repo = Path(__file__).resolve().parent.parent
    procs = [subprocess.Popen([sys.executable, "-c", _RENDER, str(tmp_path)],
                              env=dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(repo)),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for seed in ("1", "2")]  # run side by side
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        outs.append(out)
    assert outs[0] and outs[0] == outs[1]


def test_deterministic_findings_and_traces(tmp_path):
    src = """
        package main

        import (
            "math/rand"
            "sync"
        )

        func main() {
            var mu sync.Mutex
            ch := make(chan int)
            results := make(chan int, 2)
            for i := 0; i < 2; i++ {
                go func() {
                    mu.Lock()
                    defer mu.Unlock()
                    if rand.Intn(2) == 0 {
                        results <- <-ch
                    }
                    results <- i
                }()
            }
            ch <- 1
            close(ch)
            close(ch) // want close-of-closed
            <-results
        }
    """
    _, r1 = check(tmp_path, src)
    _, r2 = check(tmp_path, src)
    assert r1.findings, "the program has findings"
    assert [(f.check, f.pos, f.message) for f in r1.findings] == \
           [(f.check, f.pos, f.message) for f in r2.findings]
    t1 = render(r1).rsplit("\n", 2)[0]  # drop the summary line (it has timings)
    t2 = render(r2).rsplit("\n", 2)[0]
    assert t1 == t2
    assert "trace (main):" in t1
