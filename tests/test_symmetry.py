"""Symmetry reduction (gcheck/model/symmetry.py) must not change what gcheck finds.

Every example is checked with symmetry reduction on and off: the findings must
be the same and the reduced exploration must not visit more states. Programs
whose goroutines are interchangeable must get smaller, and loops that start a
goroutine per round must close into a finite graph, with the leak analysis
following goroutines through the renaming of ids.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from wants import list_examples

from gcheck.api import Options, check_paths
from gcheck.model import symmetry
from gcheck.solver.search import Limits

ROOT = Path(__file__).resolve().parent.parent / "examples"
EXAMPLES = list_examples(ROOT)


def _check(d, symmetry: bool, **limits):
    r = check_paths([str(d)], Options(limits=Limits(timeout=60, symmetry=symmetry, **limits)))
    found = sorted((f.check, Path(f.pos.file).name, f.pos.line, f.message) for f in r.findings)
    return found, r.stats


def _write(tmp_path, src: str, name: str = "main.go") -> Path:
    (tmp_path / name).write_text(textwrap.dedent(src).lstrip())
    (tmp_path / "go.mod").write_text("module m\n\ngo 1.27\n")
    return tmp_path


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda d: str(d.relative_to(ROOT)))
def test_symmetry_keeps_findings(example):
    plain, plain_stats = _check(example, symmetry=False)
    reduced, red_stats = _check(example, symmetry=True)
    assert [f[:3] for f in reduced] == [f[:3] for f in plain]
    for a, b in zip(plain_stats, red_stats):
        if a.complete and b.complete:
            assert b.states <= a.states, (a.entry, a.states, b.states)


POOL = """
package main

import "sync"

func main() {
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				mu.Lock()
				total += j
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < 3; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
}
"""


def test_identical_workers_are_explored_once(tmp_path):
    d = _write(tmp_path, POOL)
    plain, (ps,) = _check(d, symmetry=False)
    reduced, (rs,) = _check(d, symmetry=True)
    assert plain == reduced == []
    assert ps.complete and rs.complete
    assert rs.states * 3 < ps.states, (rs.states, ps.states)


SERVER_LEAK = """
package main

func main() {
	stuck := make(chan int)
	go func() { stuck <- 1 }()
	done := make(chan bool)
	for {
		go func() { done <- true }()
		<-done
	}
}
"""


def test_a_goroutine_per_round_closes_the_graph(tmp_path):
    """Without renaming every round has new ids and the search never ends; with it
    the graph closes, and the goroutine stuck from the start is found."""
    d = _write(tmp_path, SERVER_LEAK)
    plain, (ps,) = _check(d, symmetry=False, max_states=2000)
    assert not ps.complete and plain == []
    reduced, (rs,) = _check(d, symmetry=True, max_states=2000)
    assert rs.complete
    assert [(c, line) for c, _, line, _ in reduced] == [("goroutine-leak", 5)]


def test_recycled_ids_are_not_one_goroutine_running_forever(tmp_path):
    """Each round's goroutine finishes and the next one takes its id in the key: the
    leak analysis must follow ids through the renaming, or it would say the
    handler never terminates. Only the test itself runs forever."""
    d = _write(tmp_path, """
        package serve

        import "testing"

        func TestServe(t *testing.T) {
        	done := make(chan bool)
        	for {
        		go func() { done <- true }()
        		<-done
        	}
        }
        """, "serve_test.go")
    found, (st,) = _check(d, symmetry=True)
    assert st.complete
    assert [(c, line) for c, _, line, _ in found] == [("goroutine-leak", 9)]
    assert "TestServe never returns" in found[0][3]


def test_a_leaking_twin_is_reported_with_its_real_id(tmp_path):
    """Two of three identical workers finish, one is blocked forever: the trace and
    the message use the ids of the real interleaving, whichever twin it is."""
    d = _write(tmp_path, """
        package main

        func main() {
        	results := make(chan int)
        	for i := 0; i < 3; i++ {
        		go func() { results <- i }()
        	}
        	<-results
        	<-results
        }
        """)
    plain, _ = _check(d, symmetry=False)
    reduced, (rs,) = _check(d, symmetry=True)
    assert rs.complete
    assert [f[:3] for f in reduced] == [f[:3] for f in plain] == [("goroutine-leak", "main.go", 6)]
    r = check_paths([str(d)], Options(limits=Limits(timeout=60)))
    (f,) = r.findings
    gid = int(f.message.split("goroutine ")[1].split()[0])
    blocked = [g for g in f.trace.dump if g.gid == gid]
    assert blocked and blocked[0].status == "chan send"
    # the trace's steps use the real ids (2, 3, 4 in spawn order), never a renamed one
    assert {st.goroutine for st in f.trace.steps} <= {1, 2, 3, 4}
    assert gid not in {st.goroutine for st in f.trace.steps}  # it never got to send


def test_keys_rename_lock_holders_and_waiters():
    """The key renames every goroutine id the heap stores, not only the goroutines."""
    from gcheck.goast import Pos
    from gcheck.model import values as V
    from gcheck.model.state import Goroutine, PendingOp, State

    pos = Pos("x.go", 3, 4)

    def worker(gid, op):
        return Goroutine(gid, (), PendingOp(op, (V.Ptr(0, ()),), pos), Pos("x.go", 9, 2), "main.work")

    a = State((worker(2, "unlock"), worker(3, "lock")), (V.MutexV(True, 2),), (), 4)
    b = State((worker(2, "lock"), worker(3, "unlock")), (V.MutexV(True, 3),), (), 4)
    c = State((worker(2, "lock"), worker(3, "unlock")), (V.MutexV(True, 2),), (), 4)
    ka, ra = symmetry.key(a)
    kb, rb = symmetry.key(b)
    kc, _ = symmetry.key(c)
    assert ka == kb  # b is a with the workers swapped
    assert kc != ka  # here the waiting worker holds the lock: not the same situation
    p = symmetry.compose(rb, ra)  # b's ids -> a's ids
    assert p == {2: 3, 3: 2}


def test_a_state_found_across_the_twin_trial_is_stored_once(tmp_path, monkeypatch):
    """The philosophers are twins that never merge: the search stops ordering them
    after the trial and numbers the states stored so far anew (search.py:
    _stop_ordering_twins). Without that, a state found before and after is
    stored twice, and the count depends on which steps are computed."""
    from gcheck.solver import search
    from test_por import _PHILOSOPHERS

    monkeypatch.setattr(search, "TWINS_TRIAL", 50)
    d = _write(tmp_path, _PHILOSOPHERS)
    runs = {(dia, memo): _check(d, symmetry=True, diamonds=dia, step_memo=memo)[1][0]
            for dia, memo in ((True, True), (False, False))}
    counts = {k: (st.states, st.transitions) for k, st in runs.items()}
    assert len(set(counts.values())) == 1, counts
    monkeypatch.setattr(search, "TWINS_TRIAL", 10**9)  # ordered by contents throughout: merges nothing more
    assert counts[(True, True)][0] == _check(d, symmetry=True)[1][0].states
