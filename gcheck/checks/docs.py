"""The documentation of every check id: one source of truth for
`gcheck explain`, shaped like clippy's and ruff's rule pages (What it does /
Why is this bad / Example / Use instead / Known problems).

Adding a check means adding its CheckDoc here; tests/test_explain.py fails
for an id that a check reports but that has no page.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckDoc:
    id: str
    severity: str  # what the check usually reports: "error" or "warning"
    summary: str  # one line, for `gcheck explain` without an id
    what: str  # What it does
    why: str  # Why is this bad
    example: str  # Go code with the bug
    use_instead: str  # the same code, fixed
    known_problems: str


_DOCS = [
    CheckDoc(
        id="global-deadlock",
        severity="error",
        summary="every goroutine is blocked: the runtime kills the program "
                "('all goroutines are asleep - deadlock!')",
        what="""\
Explores every interleaving of the entry function (main or a TestXxx) and
its goroutines, and reports a reachable state where the entry goroutine is
blocked and no other goroutine or timer can ever make progress: every
goroutine waits on a channel operation, a select, a lock, a WaitGroup or a
condition variable that nobody left can complete. The finding is reported at
the operation the entry goroutine is blocked on, with the shortest trace that
leads there and a dump of every goroutine, like the runtime's own.""",
        why="""\
The Go runtime detects this at run time and aborts the whole process with
"fatal error: all goroutines are asleep - deadlock!". It cannot be
recovered. Because it depends on the schedule, it often hides in tests and
shows up under load, on another machine, or after an unrelated change.""",
        example="""\
func main() {
    results := make(chan int)
    for i := 0; i < 3; i++ {
        results <- i * i // nobody receives yet: main blocks here forever
    }
    for i := 0; i < 3; i++ {
        fmt.Println(<-results)
    }
}""",
        use_instead="""\
func main() {
    results := make(chan int, 3) // room for every result
    for i := 0; i < 3; i++ {
        results <- i * i
    }
    for i := 0; i < 3; i++ {
        fmt.Println(<-results)
    }
}""",
        known_problems="""\
The exploration is bounded (--max-states, --max-depth, --timeout): a deadlock
only reachable past the bound is missed, and the summary then says
"bounded". Calls gcheck does not model (most of the standard library outside
sync, time and context) are treated as no-ops with unknown results, so a
deadlock that depends on what they do can be missed or, rarely, reported on
a path the real code cannot take (both sides of an unknown branch are
explored).""",
    ),
    CheckDoc(
        id="goroutine-leak",
        severity="error",
        summary="a goroutine blocked forever (or never terminating) after the entry function returned",
        what="""\
Reports a goroutine that, once the entry function has returned, is blocked
forever on an operation no live goroutine can complete (a partial deadlock):
a send nobody receives, a receive from a channel nobody sends on or closes,
a select whose cases can never be ready, a Lock never unlocked, a Wait never
released. For a test entry, a goroutine that loops forever without a
reachable exit (a ticker loop with no stop) is reported too, because it
outlives the test. The finding is on the operation the goroutine is stuck
on (or its go statement for an endless loop), with the trace.""",
        why="""\
A leaked goroutine is never collected: its stack, and everything it
references (buffers, connections, the channel itself), stays in memory for
the life of the process. A handler that leaks one goroutine per request
grows without bound until the process runs out of memory, and nothing
crashes to tell you why.""",
        example="""\
func first(urls []string) string {
    ch := make(chan string)
    for _, u := range urls {
        go func() { ch <- fetch(u) }() // all but one sender block forever
    }
    return <-ch
}""",
        use_instead="""\
func first(urls []string) string {
    ch := make(chan string, len(urls)) // every sender can finish
    for _, u := range urls {
        go func() { ch <- fetch(u) }()
    }
    return <-ch
}""",
        known_problems="""\
For main, a goroutine that still runs (can finish, or loops by design as a
server does) is not a leak: the process exit reaps it. Goroutines blocked on
channels reachable from package-level variables are still reported when no
goroutine can ever use them. Same exploration bounds and unmodelled calls as
global-deadlock.""",
    ),
    CheckDoc(
        id="ticker-not-stopped",
        severity="warning",
        summary="a time.Ticker (or relied-on Timer) that becomes unreachable without Stop",
        what="""\
Reports a ticker from time.NewTicker (and a timer from time.NewTimer that
the code relies on) that, on some explored path, becomes unreachable - its
owner function returns or its goroutine ends - without Stop. A Stop skipped
by an early `return err` is reported with that path as the trace, while
`defer t.Stop()` is silent. `time.Tick` inside a loop or outside code that
lives as long as the program is reported too. Severity follows the Go
version (the nearest go.mod's go line, or --go-version): below 1.23 an
unstopped ticker is a true leak (error); from 1.23 on it is collected once
unreferenced (warning, and the message says so).""",
        why="""\
Before Go 1.23 the runtime keeps every started ticker alive until Stop, so
each forgotten ticker leaks its timer and keeps firing into its channel for
the life of the process; a function that creates one per call leaks one per
call. From 1.23 on the garbage collector can reclaim an unreferenced ticker,
but the ticker still fires (and costs CPU) until it is collected, and code
built with an older go line in go.mod keeps the old behaviour.""",
        example="""\
func poll(ctx context.Context, check func() error) error {
    t := time.NewTicker(time.Second)
    for {
        select {
        case <-ctx.Done():
            return ctx.Err() // the ticker is never stopped
        case <-t.C:
            if err := check(); err != nil {
                return err
            }
        }
    }
}""",
        use_instead="""\
func poll(ctx context.Context, check func() error) error {
    t := time.NewTicker(time.Second)
    defer t.Stop()
    for {
        select {
        case <-ctx.Done():
            return ctx.Err()
        case <-t.C:
            if err := check(); err != nil {
                return err
            }
        }
    }
}""",
        known_problems="""\
A ticker handed to code gcheck does not model (stored in an unknown
structure, passed to an unmodelled call) is treated as escaping and not
reported. A goroutine looping on t.C with no way out is a goroutine-leak in
every Go version, reported under that id.""",
    ),
    CheckDoc(
        id="send-on-closed",
        severity="error",
        summary="a send on a closed channel: the program panics",
        what="""\
Reports a channel send that can happen after the channel was closed on some
interleaving, with the trace that closes it first.""",
        why="""\
A send on a closed channel panics ("send on closed channel") and, unless
recovered, kills the process. It usually means the closing side does not
know that other senders are still running: a producer closes a shared
results channel while other producers are still sending.""",
        example="""\
func gather(jobs []job) []result {
    out := make(chan result)
    for _, j := range jobs {
        go func() {
            out <- run(j)
            close(out) // the first producer to finish closes it for everyone
        }()
    }
    ...
}""",
        use_instead="""\
func gather(jobs []job) []result {
    out := make(chan result)
    var wg sync.WaitGroup
    for _, j := range jobs {
        wg.Add(1)
        go func() {
            defer wg.Done()
            out <- run(j)
        }()
    }
    go func() { wg.Wait(); close(out) }() // closed once, after every send
    ...
}""",
        known_problems="""\
Only the interleavings within the exploration bounds are seen. A send and a
close guarded by state gcheck does not model (an unknown call's result) are
explored on both sides of the guard.""",
    ),
    CheckDoc(
        id="close-of-closed",
        severity="error",
        summary="closing a channel that is already closed: the program panics",
        what="""\
Reports a close of a channel that can already be closed on some
interleaving: two shutdown paths, a Stop method called twice, a deferred
close after an explicit one.""",
        why="""\
Closing a closed channel panics ("close of closed channel"). Shutdown code
is where it hides: it runs rarely, often from two places at once (a signal
handler and a failing worker), and the panic then masks the original
error.""",
        example="""\
func (s *server) Stop() {
    close(s.quit) // a second Stop panics
}""",
        use_instead="""\
func (s *server) Stop() {
    s.stopOnce.Do(func() { close(s.quit) })
}""",
        known_problems="""\
Same exploration bounds as the other model checks. A close guarded by a
flag that gcheck cannot track precisely (a field of an unknown value) may be
explored on a path the program never takes.""",
    ),
    CheckDoc(
        id="close-of-nil",
        severity="error",
        summary="closing a nil channel: the program panics",
        what="""\
Reports a close of a channel variable or field that is still nil on some
path: a channel created only on one branch, a struct whose channel field is
initialised lazily, an embedded struct built without its constructor.""",
        why="""\
close(nil) panics ("close of nil channel"). The nil channel usually comes
from a zero-value struct or a missed make, and the panic fires in shutdown
code, far away from the missing initialisation.""",
        example="""\
type worker struct{ done chan struct{} }

func (w *worker) stop() { close(w.done) } // w := &worker{} never made done""",
        use_instead="""\
func newWorker() *worker { return &worker{done: make(chan struct{})} }

func (w *worker) stop() { close(w.done) }""",
        known_problems="""\
Same exploration bounds as the other model checks.""",
    ),
    CheckDoc(
        id="unlock-of-unlocked",
        severity="error",
        summary="Unlock of a mutex that is not locked: a fatal error, not recoverable",
        what="""\
Reports a sync.Mutex Unlock (or sync.RWMutex Unlock/RUnlock) that can run
while the lock is not held: an unlock on an error path that never locked, a
double unlock, a deferred unlock after a manual one.""",
        why="""\
Unlocking an unlocked mutex is a fatal error ("sync: unlock of unlocked
mutex"): unlike a panic it cannot be recovered, and it kills the whole
process with every goroutine in it.""",
        example="""\
func (c *cache) get(k string) (string, error) {
    if k == "" {
        c.mu.Unlock() // never locked on this path
        return "", errEmpty
    }
    c.mu.Lock()
    defer c.mu.Unlock()
    return c.m[k], nil
}""",
        use_instead="""\
func (c *cache) get(k string) (string, error) {
    if k == "" {
        return "", errEmpty
    }
    c.mu.Lock()
    defer c.mu.Unlock()
    return c.m[k], nil
}""",
        known_problems="""\
Same exploration bounds as the other model checks.""",
    ),
    CheckDoc(
        id="negative-waitgroup",
        severity="error",
        summary="WaitGroup counter below zero (Done called more often than Add): panic",
        what="""\
Reports a sync.WaitGroup Done (or Add with a negative delta) that can bring
the counter below zero on some interleaving: Done called twice for one Add,
Add(1) after the goroutine already called Done, an Add skipped on one path.""",
        why="""\
A negative WaitGroup counter panics ("sync: negative WaitGroup counter").
Before it does, Wait may already have returned early, so the code after it
ran while workers were still going.""",
        example="""\
for _, j := range jobs {
    go func() {
        defer wg.Done()
        wg.Add(1) // too late: Done may run first
        run(j)
    }()
}
wg.Wait()""",
        use_instead="""\
for _, j := range jobs {
    wg.Add(1) // before the goroutine starts
    go func() {
        defer wg.Done()
        run(j)
    }()
}
wg.Wait()""",
        known_problems="""\
Same exploration bounds as the other model checks.""",
    ),
    CheckDoc(
        id="runtime-panic",
        severity="error",
        summary="another runtime panic reached on some interleaving (nil map write, index out of range, "
                "explicit panic)",
        what="""\
Reports a runtime panic that has no id of its own - a write to a nil map, an
index out of range, a nil pointer dereference, an explicit panic call -
reached on some explored interleaving, with its trace.""",
        why="""\
An unrecovered panic in any goroutine kills the whole process. When it
depends on the interleaving it escapes tests that happen to schedule the
goroutines the lucky way.""",
        example="""\
var counts map[string]int // never made

func record(k string) { counts[k]++ } // panics: assignment to entry in nil map""",
        use_instead="""\
var counts = map[string]int{}

func record(k string) { counts[k]++ }""",
        known_problems="""\
Only the operations gcheck models are checked: index bounds and nil
dereferences of values from unmodelled calls are unknown, and are not
reported.""",
    ),
    CheckDoc(
        id="defer-in-loop",
        severity="warning",
        summary="a defer inside a loop holds every iteration's resource until the function returns",
        what="""\
Reports a defer statement whose innermost enclosing function contains it
inside a for (or range) loop. The message names what is held - the file
opened in the loop, the lock, the context from context.WithTimeout - and
until when: the enclosing function's return. A defer in a function literal
called in the loop is its own function's business and is silent, and so are
loops that provably run at most once (a body that always ends in return or
break with no continue, `for i := 0; i < 1; i++`, a range over a
one-element literal) and a defer that every path follows with a return or a
break out of the loop (it runs at most once per call, like a defer outside
the loop).""",
        why="""\
Deferred calls run when the surrounding function returns, not at the end of
the loop iteration. Every iteration pushes one more deferred call and keeps
what it would release: a loop over ten thousand files holds ten thousand
open descriptors (and fails with "too many open files" half-way), a defer
cancel() keeps every context's timer alive, a deferred Unlock keeps the lock
across iterations (and the next Lock deadlocks).""",
        example="""\
func writeAll(paths []string, data []byte) error {
    for _, p := range paths {
        f, err := os.Create(p)
        if err != nil {
            return err
        }
        defer f.Close() // every file stays open until writeAll returns
        if _, err := f.Write(data); err != nil {
            return err
        }
    }
    return nil
}""",
        use_instead="""\
func writeAll(paths []string, data []byte) error {
    for _, p := range paths {
        if err := writeOne(p, data); err != nil {
            return err
        }
    }
    return nil
}

func writeOne(p string, data []byte) error {
    f, err := os.Create(p)
    if err != nil {
        return err
    }
    defer f.Close() // runs at the end of each file
    _, err = f.Write(data)
    return err
}""",
        known_problems="""\
A loop that runs a few times by construction (over a fixed small list) is
still reported unless gcheck can prove it runs at most once, and so is a
deliberate defer per iteration (locking a chain of parents one by one and
releasing them all on return). The held resource is named from the
assignment in the loop body; when the deferred value comes from elsewhere
the message stays generic. `goto` loops are not recognised as loops.""",
    ),
    CheckDoc(
        id="substring-retention",
        severity="warning",
        summary="a small substring stored where it outlives the call keeps its whole string alive",
        what="""\
Reports a slice expression s[i:j] of a string whose result is stored where
it outlives the call - a package-level variable, a map (as key or value), a
field reached through a pointer or of a value that escapes, a channel - or
returned by one of the package's functions (directly, or inside a map or
struct it returns) to a caller that stores it, when s is a parameter, the
result of a call (a read), a large allocation or of unknown size. The
finding is on the slice expression, or on the call when a function returns
the piece. Types come from the package's own declarations (parameters, var
declarations, struct fields, literals, make, function results) and a table
of standard functions; where a type is unknown the check is silent.
Silent too: the copying forms (strings.Clone(s[i:j]),
string([]byte(s[i:j])), a strings.Builder), small sources (literals,
constants), sources kept alive anyway (package-level variables, another
field of the object the piece is stored in), pieces that are all of s but a
constant few bytes (s[4:], s[:len(s)-1]), and s = s[i:j] in place.""",
        why="""\
A substring shares the memory of the string it is cut from; Go never
copies on slicing. As long as the substring is reachable, the garbage
collector keeps the whole original: a 50-byte key cut from a 1 MiB log line
and kept in a map pins the full MiB, per entry. Memory grows with the input
size rather than with what the program keeps, and heap profiles blame the
code that read the input, not the line that kept the piece.""",
        example="""\
type index struct{ seen map[string]int }

func (ix *index) add(line string) {
    key := line[:50] // keeps all of line alive in the map
    ix.seen[key]++
}""",
        use_instead="""\
func (ix *index) add(line string) {
    key := strings.Clone(line[:50]) // a 50-byte copy; line can be freed
    ix.seen[key]++
}""",
        known_problems="""\
Where a type is unknown (values from unmodelled calls, generic code) the
check stays silent. Substrings made by standard functions (strings.Fields,
strings.Cut, strings.TrimSpace) are not tracked, only slice expressions.
Storage through method calls (sync.Map.Store, container/list) is not seen
as a store, and only one package is seen at a time. A source whose size is
unknown is reported even when it happens to be short at run time (command
line arguments), and so are deliberate zero-copy parsers that keep pieces of
their input on purpose.""",
    ),
    CheckDoc(
        id="subslice-retention",
        severity="warning",
        summary="a small subslice stored where it outlives the call keeps its whole backing array alive",
        what="""\
Reports a slice expression b[i:j] of a slice (or array) whose result is
stored where it outlives the call - a package-level variable, a map, a
field reached through a pointer or of a value that escapes, a channel,
appended to such a slice - or returned by a function whose caller stores
it, when b is a parameter, the result of a call (os.ReadFile, io.ReadAll),
a large allocation (make with a constant size of 1024 elements or more) or
of unknown size. The same rules as substring-retention decide what is
silent; in addition b[:0] (reusing the capacity) and b[:cap(b)] are not
pieces, and in-place reslicing (x = x[1:], *p = (*p)[:n]) is left to
pointer-slice-retention. The copying forms are silent: bytes.Clone,
slices.Clone, append([]T(nil), b[i:j]...), make + copy.""",
        why="""\
A subslice shares the backing array of the slice it is cut from. Keeping
16 header bytes of a 64 KiB packet buffer keeps the whole 64 KiB buffer, and
keeping the first 8 bytes of a file read with os.ReadFile keeps the whole
file in memory, for as long as the small piece is reachable.""",
        example="""\
func (c *capture) record(pkt []byte) {
    c.headers = append(c.headers, pkt[:16]) // pins the whole packet buffer
}""",
        use_instead="""\
func (c *capture) record(pkt []byte) {
    c.headers = append(c.headers, bytes.Clone(pkt[:16]))
}""",
        known_problems="""\
Same type limits as substring-retention. A buffer that is reused for every
read (rather than freshly allocated) is reported too, although there the
bigger bug is that the kept bytes get overwritten.""",
    ),
    CheckDoc(
        id="pointer-slice-retention",
        severity="warning",
        summary="reslicing a slice of pointers without clearing the dropped elements keeps them alive",
        what="""\
Reports a reslice that drops elements at the front or back of a slice whose
elements are pointers or hold pointers, stored back in place where it
outlives the call (a field, a package-level variable, *p, also through a
local alias as in heap.Interface's Pop: old := *pq; ...; *pq = old[:n-1]),
or a reslice of a parameter that is returned (the pop helper whose caller
writes s = pop(s)), when the dropped elements were not set to nil (or
cleared with clear) in the function. Drops at the front are any s[i:],
s[i:j] or s[i:j:k] with i not 0; drops at the back are the stack pop
s[:len(s)-1] and the in-place filter s[:n] whose n counts the kept
elements.
Strings are not counted as pointers here.""",
        why="""\
Reslicing changes which part of the backing array the slice header shows,
not what the array holds. The dropped elements are still in the array, so
whatever they point to stays reachable: a queue that pops with
q.jobs = q.jobs[1:] keeps every finished job (and its payload) alive until
append happens to reallocate, and a stack that pops with
s = s[:len(s)-1] keeps the popped element until a later push overwrites
its slot.""",
        example="""\
func (q *Queue) Pop() *Job {
    j := q.jobs[0]
    q.jobs = q.jobs[1:] // q.jobs's array still points at j
    return j
}""",
        use_instead="""\
func (q *Queue) Pop() *Job {
    j := q.jobs[0]
    q.jobs[0] = nil // the array no longer keeps j alive
    q.jobs = q.jobs[1:]
    return j
}""",
        known_problems="""\
Clearing is recognised syntactically: an assignment of nil (or an empty
literal, or a variable named zero...) to an element of the same slice
expression, or clear() on it, anywhere in the function (a loop may clear on
earlier iterations); a clear of the wrong element is accepted. Not
reported, although the old elements stay until overwritten: the reuse idiom
s = s[:0], and s[:n] with an n gcheck cannot relate to len(s) (it may as
well grow the slice). A window into a slice the function does not own
(return s.items[2:]) drops nothing from the program's view and is silent.""",
    ),
    CheckDoc(
        id="finalizer-cycle",
        severity="error",
        summary="runtime.SetFinalizer on an object in a reference cycle: the finalizer never runs",
        what="""\
Reports runtime.SetFinalizer(x, f) when x's type is on a reference cycle
that the program builds through fields - a doubly linked list
(n.prev = l.tail; l.tail.next = n), a parent pointer paired with a children
slice, a callback closure stored in x that captures x - and when the
finalizer closure itself refers to x. The cycle is shown in the message,
with the lines that build it.""",
        why="""\
The garbage collector never frees a cycle that contains an object with a
finalizer: there is no order in which the finalizers could safely run. So
the finalizer never runs, and the whole cycle - the object and everything
reachable from it - leaks for the life of the process. The finalizer was
usually the safety net that releases a file, a socket or C memory, so the
leak takes the resource with it. A finalizer closure that captures its own
object keeps the object reachable from the finalizer itself, with the same
result.""",
        example="""\
func (l *lru) open(key string) *entry {
    e := &entry{key: key}
    runtime.SetFinalizer(e, func(e *entry) { e.release() })
    l.pushBack(e) // e.prev = l.tail; l.tail.next = e: a cycle
    return e
}""",
        use_instead="""\
func (l *lru) open(key string) *entry {
    e := &entry{key: key}
    runtime.AddCleanup(e, release, e.fd) // cleanups do not keep cycles alive
    l.pushBack(e)
    return e
}""",
        known_problems="""\
Cycles are found per function over access paths and matched to the
finalizer by type: a type that is linked into a cycle somewhere (a list
with two or more elements) counts, even when the particular object the
finalizer is set on ends up alone. Cycles built across several functions
without any single function linking both directions are missed, and so are
cycles through maps, interfaces or unmodelled calls.""",
    ),
]

# gcheck's own diagnostics about suppression comments (gcheck/suppress.py).
_DOCS += [
    CheckDoc(
        id="bad-suppression",
        severity="error",
        summary="a //gcheck:ignore comment that cannot be used: no reason, or an unknown check id",
        what="""\
Reports a `//gcheck:ignore` comment that names no check id, names an id
gcheck does not know, or gives no reason, and any other `//gcheck:`
directive gcheck does not know. Such a comment suppresses nothing.""",
        why="""\
A suppression is a reviewed decision that a finding does not apply; the
reason is what the next reader needs to trust it. A misspelt check id
silently suppresses nothing, so the finding it was meant for would still
fail the build - or, worse, a later rename would go unnoticed.""",
        example="""\
ch <- v //gcheck:ignore goroutine-leaks""",
        use_instead="""\
ch <- v //gcheck:ignore goroutine-leak the caller always drains ch (see Run)""",
        known_problems="""\
None known.""",
    ),
    CheckDoc(
        id="unused-suppression",
        severity="warning",
        summary="a //gcheck:ignore comment that suppresses no finding",
        what="""\
Reports a check id of a `//gcheck:ignore` comment that suppressed no
finding on its line, when that check ran completely on the package
(enabled, every entry explored, no bound hit).""",
        why="""\
The finding the comment was written for is gone - fixed, or moved to
another line. A stale suppression would silently hide a new finding that
later appears on that line.""",
        example="""\
close(done) //gcheck:ignore close-of-closed Stop is only called once (Stop now uses sync.Once)""",
        use_instead="""\
close(done)""",
        known_problems="""\
Not reported when the exploration was bounded: the finding may simply not
have been reached.""",
    ),
]

DOCS: dict[str, CheckDoc] = {d.id: d for d in _DOCS}


def ids() -> list[str]:
    return [d.id for d in _DOCS]


def get(check_id: str) -> CheckDoc | None:
    return DOCS.get(check_id)
