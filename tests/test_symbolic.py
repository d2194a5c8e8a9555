"""Symbolic integers (issue 5): path conditions decided by z3, witnesses,
symbolic loop bounds and capacities, and the z3 figures in the stats.

Entry parameters are the inputs: `Options(entry="produce")` on
`func produce(n, m, c int)` explores produce for every n, m, c (within the
bounds) and each finding carries the values that trigger it
(`finding.witness`). The examples under examples/*/sym_* get their unknown
numbers from the environment instead (a default entry has no parameters);
tests/test_examples.py checks those against their `// want` comments, and a
few of their witnesses are checked here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gcheck.api import Options, check_paths, select_entries
from gcheck.lower import lower_package
from gcheck.model import symbolic as S
from gcheck.report.text import render
from gcheck.solver.search import explore
from gcheck.solver.smt import Solver
from gcheck.syntax import parse_file

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


def write(tmp_path: Path, src: str) -> Path:
    (tmp_path / "main.go").write_text(textwrap.dedent(src).lstrip("\n"))
    (tmp_path / "go.mod").write_text("module example.com/x\n\ngo 1.27\n")
    return tmp_path


def check(tmp_path: Path, src: str, entry: str | None = None):
    r = check_paths([str(write(tmp_path, src))], Options(entry=entry))
    assert not r.errors, r.errors
    assert r.stats, "no entry was explored"
    return r


def line_of(src: str, marker: str) -> int:
    """1-based line of the (dedented) source that contains marker."""
    for n, line in enumerate(textwrap.dedent(src).lstrip("\n").splitlines(), start=1):
        if marker in line:
            return n
    raise AssertionError(f"{marker!r} not in source")


def site_line(name: str) -> int:
    """The line of a call-site symbol `pkg.Func@LINE#k`."""
    return int(name.split("@")[1].split("#")[0])


def found(r, check_id: str, line: int | None = None):
    fs = [f for f in r.findings if f.check == check_id and (line is None or f.pos.line == line)]
    assert len(fs) == 1, f"want one {check_id} at line {line}, got:\n{render(r)}"
    return fs[0]


def graph(tmp_path: Path, src: str, entry: str):
    """The explored state graph of one entry (for properties over all paths)."""
    prog = lower_package([parse_file(str(write(tmp_path, src) / "main.go"))])
    ((_, idx),) = select_entries(prog, entry)
    return explore(prog, idx)


def ivar(name: str):
    return S.var(name, S.INT).t


def implies(solver: Solver, pc: tuple, term) -> bool:
    """pc entails term: pc and not term has no model."""
    return not solver.feasible(tuple(pc) + (S.negate(term),))


def terminal(g) -> list[int]:
    """States with no successor that no bound cut short."""
    out = []
    for i, s in enumerate(g.states):
        if g.succ[i] or any(gr.pending is not None and gr.pending.op == "cut" for gr in s.gs):
            continue
        out.append(i)
    return out


# ====================================================================== producer / consumer

PRODUCE = """
    package main

    func produce(n, m, c int) {
        ch := make(chan int, c)
        go func() {
            for i := 0; i < n; i++ {
                ch <- i // send
            }
        }()
        for j := 0; j < m; j++ {
            <-ch // recv
        }
    }

    func main() {}
"""


@pytest.fixture(scope="module")
def produce(tmp_path_factory):
    return check(tmp_path_factory.mktemp("produce"), PRODUCE, "produce")


def test_producer_leak_witness(produce):
    f = found(produce, "goroutine-leak", line_of(PRODUCE, "// send"))
    assert f.witness == {"c": 0, "m": 0, "n": 1}
    assert f.witness["n"] > f.witness["m"] + f.witness["c"]
    assert "with c=0, m=0, n=1" in render(produce)


def test_consumer_deadlock_witness(produce):
    f = found(produce, "global-deadlock", line_of(PRODUCE, "// recv"))
    assert f.witness == {"c": 0, "m": 1, "n": 0}
    # no other finding: a path cut by the symbolic path bound is not a deadlock
    assert len(produce.findings) == 2, render(produce)


def test_producer_leaks_exactly_when_n_exceeds_m_plus_cap(tmp_path):
    """Over every explored path: a leak's path condition entails n > m + c,
    a clean end's entails n <= m + c (parameters kept non-negative)."""
    src = PRODUCE.replace("func produce(n, m, c int) {", "func produce(n, m, c uint) {")
    src = src.replace("i := 0", "i := uint(0)").replace("j := 0", "j := uint(0)")
    g = graph(tmp_path, src, "produce")
    z = Solver()
    n, m, c = ivar("n"), ivar("m"), ivar("c")
    leak = (">", n, ("+", m, c))
    leaks = cleans = 0
    for i in terminal(g):
        s = g.states[i]
        if not s.entry_done:
            continue  # the consumer waits for more than was sent: a deadlock
        if s.gs:
            leaks += 1
            assert implies(z, s.pc, leak), s.pc
        else:
            cleans += 1
            assert implies(z, s.pc, S.negate(leak)), s.pc
    assert leaks >= 3 and cleans >= 3
    # an unsigned parameter is never negative
    assert not z.feasible(g.states[0].pc + (("<", n, 0),))


def test_producer_witness_in_json(tmp_path):
    write(tmp_path, PRODUCE)
    p = subprocess.run([sys.executable, "-m", "gcheck", "check", str(tmp_path), "--entry", "produce",
                        "--format", "json", "--exit-zero"], capture_output=True, text=True, cwd=REPO,
                       env=dict(os.environ, PYTHONHASHSEED="4242"), timeout=120)
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    by_line = {f["line"]: f for f in d["findings"]}
    assert by_line[line_of(PRODUCE, "// send")]["witness"] == {"c": 0, "m": 0, "n": 1}
    assert by_line[line_of(PRODUCE, "// recv")]["witness"] == {"c": 0, "m": 1, "n": 0}
    st = d["stats"][0]
    assert st["z3"]["queries"] > 0 and st["z3"]["cache_hits"] > 0


def test_witnesses_are_deterministic(produce, tmp_path):
    """The same witnesses and traces on every run, whatever the hash seed."""

    def key(r):
        return [(f.check, f.pos.line, f.witness, [(s.goroutine, s.what) for s in f.trace.steps])
                for f in r.findings]

    again = check(tmp_path, PRODUCE, "produce")
    assert key(again) == key(produce)
    assert (again.stats[0].states, again.stats[0].z3_queries) == (produce.stats[0].states,
                                                                  produce.stats[0].z3_queries)


# ====================================================================== WaitGroup miscount

WG = """
    package main

    import "sync"

    func process(items []string) {
        var wg sync.WaitGroup
        wg.Add(len(items) + 1)
        for _, it := range items {
            go func() {
                defer wg.Done()
                _ = it
            }()
        }
        wg.Wait() // wait
    }

    func main() {}
"""


def test_waitgroup_deadlocks_for_every_length(tmp_path):
    f = found(check(tmp_path, WG, "process"), "global-deadlock", line_of(WG, "// wait"))
    assert f.witness == {"len(items)": 0}
    g = graph(tmp_path, WG, "process")
    z = Solver()
    n = ivar("len(items)")
    lengths = set()
    for i in terminal(g):
        s = g.states[i]
        assert not s.entry_done, "process returned on some path"
        k = next(k for k in range(5) if implies(z, s.pc, ("==", n, k)))
        lengths.add(k)
    assert lengths == {0, 1, 2, 3}  # len(items)+1 is tried up to 4


def test_waitgroup_fixed_returns_for_every_length(tmp_path):
    src = WG.replace("wg.Add(len(items) + 1)", "wg.Add(len(items))")
    r = check(tmp_path, src, "process")
    assert r.findings == []
    g = graph(tmp_path, src, "process")
    z = Solver()
    ends = terminal(g)
    assert all(g.states[i].entry_done and not g.states[i].gs for i in ends)
    n = ivar("len(items)")
    assert {k for i in ends for k in range(5) if implies(z, g.states[i].pc, ("==", n, k))} == {0, 1, 2, 3, 4}


# ====================================================================== worker pool

POOL = """
    package main

    import "sync"

    func pool(workers, batch int) {
        if workers < 1 {
            return
        }
        if workers > 2 {
            return
        }
        if batch > 3 {
            return
        }
        jobs := make(chan int, batch)
        for i := 0; i < batch; i++ {
            jobs <- i
        }
        close(jobs)
        results := make(chan int, workers)
        var wg sync.WaitGroup
        for w := 0; w < workers; w++ {
            wg.Add(1)
            go func() {
                defer wg.Done()
                for j := range jobs {
                    results <- j * j
                }
            }()
        }
        wg.Wait() // wait
        close(results)
        for range results {
        }
    }

    func main() {}
"""


def test_pool_sized_by_workers_deadlocks_when_batch_exceeds_it(tmp_path):
    r = check(tmp_path, POOL, "pool")
    f = found(r, "global-deadlock", line_of(POOL, "// wait"))
    assert f.witness["batch"] > f.witness["workers"] >= 1
    assert f.witness == {"batch": 2, "workers": 1}
    assert len(r.findings) == 1, render(r)


def test_pool_sized_by_batch_is_clean(tmp_path):
    r = check(tmp_path, POOL.replace("make(chan int, workers)", "make(chan int, batch)"), "pool")
    assert r.findings == [], render(r)


# ====================================================================== infeasible paths

def test_nested_contradiction_is_silent(tmp_path):
    r = check(tmp_path, """
        package main

        func f(x int) {
            ch := make(chan int)
            if x > 5 {
                if x < 3 {
                    go func() { ch <- 1 }()
                }
            }
        }

        func main() {}
    """, "f")
    assert r.findings == [], render(r)
    assert r.stats[0].complete and r.stats[0].z3_queries > 0


def test_value_tested_twice_takes_the_same_side(tmp_path):
    """The defensive re-check after defaulting can never be true (the shape of
    examples/goroutine-leak/sym_dead_error_branch_fixed)."""
    src = """
        package main

        func run(size int) {
            if size <= 0 {
                size = 100
            }
            warm := make(chan int)
            go func() { warm <- 3 }()
            if size <= 0 {
                return
            }
            <-warm
        }

        func main() {}
    """
    assert check(tmp_path, src, "run").findings == []
    buggy = src.replace("size = 100", "println(size)")
    f = found(check(tmp_path, buggy, "run"), "goroutine-leak", line_of(src, "warm <- 3"))
    assert f.witness["size"] <= 0


CORRELATED = """
    package main

    import (
        "os"
        "strconv"
    )

    func main() {
        n, err := strconv.Atoi(os.Getenv("N"))
        done := make(chan int)
        if err == nil {
            go func() { done <- n }() // send
        }
        println("working")
        if err == nil {
            <-done // recv
        }
    }
"""


def test_correlated_err_checks_are_silent(tmp_path):
    r = check(tmp_path, CORRELATED)
    assert r.findings == [], render(r)
    assert r.stats[0].complete


def test_two_different_calls_are_not_correlated(tmp_path):
    src = CORRELATED.replace("        if err == nil {\n            <-done",
                             "        if _, err2 := strconv.Atoi(os.Getenv(\"M\")); err2 == nil {\n            <-done")
    r = check(tmp_path, src)
    leak = found(r, "goroutine-leak", line_of(src, "// send"))
    dead = found(r, "global-deadlock", line_of(src, "// recv"))
    # the leak needs the first call to succeed and the second to fail, the deadlock the converse
    assert [s.what for s in leak.trace.steps][:2] == [
        "if err == nil: true (symbolic) (go func literal)", "if err2 == nil: false (symbolic)"]
    assert [s.what for s in dead.trace.steps] == [
        "if err == nil: false (symbolic)", "if err2 == nil: true (symbolic)"]


def test_witness_names_dead_call_results(tmp_path):
    src = CORRELATED.replace("        if err == nil {\n            <-done",
                             "        if _, err2 := strconv.Atoi(os.Getenv(\"M\")); err2 == nil {\n            <-done")
    dead = found(check(tmp_path, src), "global-deadlock", line_of(src, "// recv"))
    first, second = sorted(dead.witness, key=site_line)
    assert dead.witness[first] != 0 and dead.witness[second] == 0


def test_loop_over_unknown_results_keeps_each_result_consistent(tmp_path):
    """A pending branch on a call-site symbol survives the renumbering of
    dead symbols (a loop calling the same unmodelled function)."""
    r = check(tmp_path, """
        package main

        import "math/rand"

        func main() {
            for i := 0; i < 3; i++ {
                x := rand.Intn(10)
                if x > 5 {
                    if x <= 5 {
                        ch := make(chan int)
                        go func() { ch <- 1 }()
                    }
                }
            }
        }
    """)
    assert r.findings == [], render(r)


def test_go_division_truncates_toward_zero(tmp_path):
    src = """
        package main

        func div(x int) {
            if x < 0 {
                if x/10 == 0 {
                    ch := make(chan int)
                    go func() { ch <- 1 }() // div
                }
            }
        }

        func mod(x int) {
            if x%2 == -1 {
                ch := make(chan int)
                go func() { ch <- 1 }() // mod
            }
        }

        func never(x int) {
            if x > 0 {
                if x%3 < 0 {
                    ch := make(chan int)
                    go func() { ch <- 1 }()
                }
            }
        }

        func main() {}
    """
    f = found(check(tmp_path, src, "div"), "goroutine-leak")
    assert -9 <= f.witness["x"] <= -1
    f = found(check(tmp_path, src, "mod"), "goroutine-leak")
    assert f.witness["x"] < 0 and f.witness["x"] % 2 == 1
    assert check(tmp_path, src, "never").findings == []


def test_unsigned_and_sized_parameters_stay_in_range(tmp_path):
    src = """
        package main

        func u(n uint) {
            if n < 0 {
                ch := make(chan int)
                go func() { ch <- 1 }()
            }
        }

        func b(v byte) {
            if v > 255 {
                ch := make(chan int)
                go func() { ch <- 1 }()
            }
        }

        func s(v int8) {
            if v < 0 {
                ch := make(chan int)
                go func() { ch <- 1 }() // int8
            }
        }

        func main() {}
    """
    assert check(tmp_path, src, "u").findings == []
    assert check(tmp_path, src, "b").findings == []
    f = found(check(tmp_path, src, "s"), "goroutine-leak")
    assert -128 <= f.witness["v"] < 0


def test_assumptions_belong_to_their_entry(tmp_path):
    """len(items) >= 0 holds for process's items, not for other entries."""
    src = WG + """
    func other() {
        ch := make(chan int)
        go func() { ch <- 1 }() // other
    }
    """
    f = found(check(tmp_path, src, "other"), "goroutine-leak")
    assert f.witness == {}


def test_impossible_conjunction_is_silent(tmp_path):
    r = check(tmp_path, """
        package main

        func f(n int) {
            if n < 0 && n > 10 {
                ch := make(chan int)
                go func() { ch <- 1 }()
            }
        }

        func main() {}
    """, "f")
    assert r.findings == [], render(r)


def test_branches_of_two_goroutines_stay_consistent(tmp_path):
    r = check(tmp_path, """
        package main

        func f(x int) {
            ch := make(chan int)
            done := make(chan bool)
            go func() {
                if x > 5 {
                    close(ch)
                }
                done <- true
            }()
            if x < 3 {
                close(ch)
            }
            <-done
        }

        func main() {}
    """, "f")
    assert r.findings == [], render(r)


def test_witness_is_the_smallest_model(tmp_path):
    src = """
        package main

        func big(x int) {
            if x > 1000 {
                ch := make(chan int)
                go func() { ch <- 1 }()
            }
        }

        func neg(x int) {
            if x < -7 {
                ch := make(chan int)
                go func() { ch <- 1 }()
            }
        }

        func flag(verbose bool, x int) {
            if verbose {
                if x >= 2 {
                    ch := make(chan int)
                    go func() { ch <- 1 }()
                }
            }
        }

        func main() {}
    """
    assert found(check(tmp_path, src, "big"), "goroutine-leak").witness == {"x": 1001}
    assert found(check(tmp_path, src, "neg"), "goroutine-leak").witness == {"x": -8}
    assert found(check(tmp_path, src, "flag"), "goroutine-leak").witness == {"verbose": "true", "x": 2}


# ====================================================================== capacity sometimes 0

NOTIFY = """
    package main

    func notify(rate int) {
        events := make(chan string, rate/10) // one slot per 10 events/s
        go func() {
            events <- "started" // send
        }()
    }

    func main() {}
"""


def test_capacity_from_parameter_sometimes_zero(tmp_path):
    r = check(tmp_path, NOTIFY, "notify")
    f = found(r, "goroutine-leak", line_of(NOTIFY, "// send"))
    assert 0 <= f.witness["rate"] <= 9  # rate/10 == 0 in Go (truncating) arithmetic
    assert len(r.findings) == 1


def test_capacity_at_least_one_is_clean(tmp_path):
    src = NOTIFY.replace("make(chan string, rate/10)", "make(chan string, size)").replace(
        "    events :=", "    size := rate / 10\n        if size < 1 {\n            size = 1\n        }\n        events :=")
    r = check(tmp_path, src, "notify")
    assert r.findings == [], render(r)


def test_symbolic_capacity_behaves_per_value(tmp_path):
    src = """
        package main

        func fill(c int) {
            ch := make(chan int, c)
            ch <- 1
            ch <- 2 // second
        }

        func main() {}
    """
    r = check(tmp_path, src, "fill")
    # c = 0 blocks on the first send, c = 1 on the second, c >= 2 returns
    assert found(r, "global-deadlock", line_of(src, "ch <- 1")).witness == {"c": 0}
    assert found(r, "global-deadlock", line_of(src, "// second")).witness == {"c": 1}
    assert len(r.findings) == 2
    guarded = src.replace("    ch := make", "    if c < 2 {\n            return\n        }\n        ch := make")
    assert check(tmp_path, guarded, "fill").findings == []


# ====================================================================== stats

def test_symbolic_bounds_are_reported_as_bounds(tmp_path, produce):
    st = produce.stats[0]
    assert not st.complete
    assert "symbolic path bound (16 conditions)" in st.bound
    assert "symbolic value bound (c <= 4)" in st.bound
    r = check(tmp_path, NOTIFY, "notify")
    assert "symbolic value bound (rate / 10 <= 4)" in r.stats[0].bound
    assert any("rate / 10 is explored for the values 0..4 only" in n.message for n in r.notes)


def test_z3_statistics(produce, tmp_path):
    st = produce.stats[0]
    assert st.z3_queries > 0 and st.z3_cache_hits > 0
    assert st.z3_seconds > 0  # feasibility during the search, plus the witnesses after it
    assert st.z3_unknowns == 0
    # a program without unknown numbers never asks z3
    r = check(tmp_path, """
        package main

        func main() {
            ch := make(chan int, 1)
            go func() { ch <- 1 }()
            <-ch
        }
    """)
    assert (r.stats[0].z3_queries, r.stats[0].z3_cache_hits) == (0, 0)
    assert r.stats[0].complete and r.stats[0].bound is None


def test_solver_cache_and_independent_constraints():
    z = Solver()
    x, y = ivar("x"), ivar("y")
    pc = ((">", x, 5),)
    assert z.feasible(pc) and not z.feasible(pc + (("<", x, 3),))
    q = z.queries
    assert not z.feasible(pc + (("<", x, 3),))
    assert z.queries == q and z.hits == 1
    # a constraint on another variable cannot change the answer: same query, from the cache
    assert not z.feasible(((">", y, 1), (">", x, 5), ("<", x, 3)))
    assert z.queries == q and z.hits == 2
    # ... unless it is linked to the new one through a shared variable
    assert z.feasible(((">", y, x), ("<", y, 9), (">", x, 5)))
    assert not z.feasible(((">", y, x), ("<", y, 9), (">", x, 5), (">", x, 7)))
    assert z.witness(pc + (("<", x, 7),)) == {"x": 6}
    assert z.witness(((">", y, x), ("<", y, 9), (">", x, 5))) == {"x": 6, "y": 7}


# ====================================================================== the examples

def example(rel: str):
    r = check_paths([str(EXAMPLES / rel)], Options())
    assert not r.errors, r.errors
    return r


def test_example_stat_twice():
    r = example("goroutine-leak/sym_stat_twice")
    dead = found(r, "global-deadlock")
    assert [s.what for s in dead.trace.steps] == ["if err == nil: false (symbolic)",
                                                  "if err == nil: true (symbolic)"]
    assert [s.pos.line for s in dead.trace.steps] == [29, 33]  # the two os.Stat tests
    assert example("goroutine-leak/sym_stat_twice_fixed").findings == []


def test_example_producer_consumer_is_complete():
    r = example("goroutine-leak/sym_producer_consumer")
    assert [f.check for f in r.findings] == ["goroutine-leak"]
    assert r.stats[0].complete and r.stats[0].z3_queries > 0


def test_witness_minimisation_has_a_bounded_number_of_queries(monkeypatch):
    """Making a witness smallest is a binary search per variable; on a long path
    condition (Go's bufio tests) that took minutes. It asks at most
    WITNESS_QUERIES queries, each bounded by z3's resource count (not by time, so
    the witness stays the same on a loaded machine), and what it gives still
    satisfies the path condition."""
    from gcheck.solver import smt

    names = [f"x{k}" for k in range(12)]
    pc = tuple((">", ("var", n, "int"), 1000 + k) for k, n in enumerate(names))
    solver = smt.Solver()
    asked = []
    real = smt.Solver._model
    monkeypatch.setattr(smt.Solver, "_model", lambda self, *cs: asked.append(cs) or real(self, *cs))
    w = solver.witness(pc)
    assert len(asked) == smt.WITNESS_QUERIES  # then the search stops
    assert all(w[n] > 1000 + k for k, n in enumerate(names))
    assert w["x0"] == 1001  # the first variables got their smallest value
    assert solver.witness(pc) == w  # and the same again
