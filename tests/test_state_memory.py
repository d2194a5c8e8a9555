"""What a search keeps per state (issue 9: cheaper states).

The stored graph shares what repeats (steps, event lists, renamings), the
model remembers what it computed about a frame, pending op or goroutine on the
object itself (so it dies with it), the identity-keyed tables are emptied when
a search starts, and renumbering the heap reuses the copies it made before.
None of it may change a state, a hash or a finding: the state counts of every
example with and without reductions are guarded by test_por/test_symmetry;
here the mechanisms themselves are checked.
"""

from __future__ import annotations

import pickle
import textwrap

from gcheck.api import select_entries
from gcheck.lower import lower_package
from gcheck.model import canon, memo
from gcheck.model.state import Frame, Goroutine, PendingOp
from gcheck.model import values as V
from gcheck.solver.search import explore
from gcheck.syntax import parse_file

POOL = """
package main

import "sync"

func main() {
	jobs := make(chan int)
	results := make(chan int, 3)
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				results <- j * 2
			}
		}()
	}
	for i := 0; i < 3; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(results)
	for range results {
	}
}
"""


def _graph(tmp_path, src: str = POOL):
    f = tmp_path / "main.go"
    f.write_text(textwrap.dedent(src).lstrip())
    prog = lower_package([parse_file(str(f))])
    ((_, idx),) = select_entries(prog, "main")
    return explore(prog, idx)


def test_graph_shares_steps_events_and_renamings(tmp_path):
    g = _graph(tmp_path)
    steps = [st for succ in g.succ for _, st in succ]
    assert len(steps) > 1000
    assert len({id(st) for st in steps}) == len(set(steps))  # one object per distinct step
    assert all(type(e) is tuple for e in g.events)
    assert len({id(e) for e in g.events if e}) == len({e for e in g.events if e})
    renamings = [r for r in g.renaming if r is not None]
    assert renamings, "the pool's workers are twins: some states are stored renamed"
    distinct = {tuple(sorted(r.items())) for r in renamings}
    assert len({id(r) for r in renamings}) == len(distinct)


def test_memo_tables_are_emptied_by_the_next_search(tmp_path):
    _graph(tmp_path)
    assert any(memo.TABLES), "the search remembers heap ids, shapes and locations"
    memo.clear()
    assert not any(memo.TABLES)
    _graph(tmp_path)
    after_one = sum(len(t) for t in memo.TABLES)
    _graph(tmp_path)
    assert sum(len(t) for t in memo.TABLES) == after_one > 0  # one search's worth, not two


def test_facts_kept_on_objects_are_not_compared_hashed_or_pickled():
    p = PendingOp("send", (V.Ref(3), 1), None)
    f = Frame(0, 4, (V.Ref(3),), ())
    fresh = Frame(0, 4, (V.Ref(3),), ())
    assert canon._refs(f) == (3,) and f._refs == (3,)
    assert f == fresh and hash(f) == hash(fresh) and not hasattr(fresh, "_refs")
    assert "_refs" not in repr(f)
    g = Goroutine(2, (f,), p, None, "main.func1")
    canon._goroutine_refs(g)
    back = pickle.loads(pickle.dumps(g))
    assert back == g and not hasattr(back, "_grefs") and not hasattr(back.frames[0], "_refs")


def test_renumbering_reuses_its_copies():
    """The same goroutine moved the same way twice gives the same object, equal
    to what rebuilding it from scratch gives."""
    f = Frame(0, 4, (V.Ref(5), V.Ptr(7, ("mu",))), ())
    p = PendingOp("recv", (V.Ref(5),), None)
    g = Goroutine(3, (f,), p, None, "main.func1")
    m = {5: 1, 7: 2}
    first = canon._moved(g, m)
    assert first is not g
    assert first == canon._remap_goroutine(g, m)
    assert first.frames[0].slots == (V.Ref(1), V.Ptr(2, ("mu",)))
    assert canon._moved(g, dict(m)) is first
    assert canon._moved(g, {5: 5, 7: 7}) is g  # nothing moves: itself
    assert canon._goroutine_refs(first) == (1, 2, 1)


def test_equal_steps_are_one_object_across_searches(tmp_path):
    from gcheck.model.semantics import Step, make_step

    first = {st for succ in _graph(tmp_path).succ for _, st in succ}
    second = {st for succ in _graph(tmp_path).succ for _, st in succ}
    assert first == second and {id(s) for s in first} == {id(s) for s in second}
    st = make_step("sync", 1, 0, 2, -1)
    assert st is make_step("sync", 1, 0, 2, -1) and hash(st) == st._h != 0  # the hash is kept on it
    twin = Step("sync", 1, 0, 2, -1)  # made without make_step (unpickled): still equal
    assert twin == st and hash(twin) == hash(st)
    back = pickle.loads(pickle.dumps(st))
    assert back == st and back._h in (0, hash(st))


def test_architecture_floor_walks_every_state():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    from architecture_floor import measure

    r = measure("pool", 2, repeat=1)
    assert r["states"] == 158 and r["transitions"] == 310  # the families table, without reductions
    assert r["floor"] < min(r["objects"], r["enabled"]) and r["ints"] > r["objects"]


FILL = """
package main

func main() {
	buf := make([]int, 300)
	for i := range buf {
		buf[i] = i
	}
	ptrs := make([]*int, 100)
	for i := range ptrs {
		ptrs[i] = &buf[i]
	}
	done := make(chan int)
	go func() { buf[5] = 9; done <- *ptrs[5] }()
	if <-done != 9 {
		panic("lost store")
	}
}
"""


def test_arrays_changed_in_place_during_a_step_are_frozen_with_their_facts(tmp_path):
    """World.store changes a long backing array in place during a step; no state
    may keep the mutable copy, and the 'only atoms' fact it carries to the frozen
    array must be the one canon would compute."""
    from gcheck.model.world import LiveArr

    g = _graph(tmp_path, FILL)
    arrays = [o for s in g.states for o in s.heap if type(o) in (V.ArrObj, LiveArr)]
    assert arrays and all(type(o) is V.ArrObj for o in arrays)
    known = [o for o in arrays if getattr(o, "_plain", None) is not None]
    assert known, "the arrays stored into carry the fact"
    assert all(o._plain == all(type(x) in canon.ATOMS for x in o.vals) for o in known)


def test_a_reference_stored_in_place_clears_the_only_atoms_fact(tmp_path):
    """If an array that gained a reference kept 'only atoms', canonicalisation would
    skip it, miss the object it references and drop it from the heap."""
    from gcheck.model.world import World
    from gcheck.solver.search import Limits

    f = tmp_path / "main.go"
    f.write_text(textwrap.dedent(FILL).lstrip())
    prog = lower_package([parse_file(str(f))])
    ((_, idx),) = select_entries(prog, "main")
    s = explore(prog, idx).states[0]
    k = next(i for i, o in enumerate(s.heap) if type(o) is V.ArrObj and len(o.vals) == 300)
    assert s.heap[k]._plain is True
    w = World(prog, s, {}, Limits())
    cell = w.new_cell(41)  # a new object only the array will reference
    w.store(V.Ptr(k, (7,)), cell)
    t = w.freeze()
    arr = next(o for o in t.heap if type(o) is V.ArrObj and len(o.vals) == 300)
    assert type(arr.vals[7]) is V.Ptr and t.heap[arr.vals[7].id] == 41  # the cell is kept
    assert getattr(arr, "_plain", None) is not True
