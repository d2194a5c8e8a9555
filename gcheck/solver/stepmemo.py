"""The step memo: a step's result reused wherever it cannot differ.

A step reads its actors' goroutines, the heap (its operation's objects, and
whatever cells its local code loads: a counter guarded by a mutex is no
location of the operation's footprint) and the package-level roots, and
changes only those. A state space repeats such contexts: a philosopher takes
a free fork in the same way wherever the others stand in their code. So the
search keys a step by

    (the step, its actors' goroutines, the heap, the globals, the goroutine
     counter, whether the entry has returned)

and, once a computation under that key is known to depend on nothing else,
builds every later successor under it from the state at hand: the other
goroutines as they are, the actors' and the heap's new values as computed
(an actor that finished left out). The interpreter's run, the freeze and the
canonicalisation are skipped. The key holds the whole heap, not the
operation's footprint, since local code may load any cell it can reach.

A computed result is remembered only when nothing outside the key shaped it:

- the operation is one of `_OPS`, on channels and locks. The end of a
  sleep parks every goroutine waiting at a channel: where none was waiting
  unparked, nothing outside the actor changed, yet the same step elsewhere
  changes others (seeds 669, 863). A select with a default case (whether a
  partner has parked), a timer, a context cancel, a symbolic branch or an
  unmodelled channel look at more as well;
- no goroutine started; an actor that finished was not the entry (whose end
  sets entry_done) and none stopped at main's return or a death by panic
  (whether those wait a step depends on who else may act: model/exec.py,
  `_finish`); the program did not end; no other goroutine changed; no
  bound, symbol, path condition or lost ticker is involved;
- canonicalisation moved and dropped no heap object (World.renumbered).

Applying it must also leave the heap numbered as computing would
(model/canon.py numbers objects in the order a walk from the goroutines
first meets them). When no reference moved (every changed goroutine and
heap object references what it referenced, none is a timer or a context,
no actor finished) the walk is the same. Otherwise `_Result.apply` walks the
new state again and gives up unless the numbering is unchanged. With
symmetry reduction the goroutines are walked in symmetry.order: while the
search orders twins by what they hold, an actor that changes its place among
its twins gives up too. When the search stops ordering twins it numbers
the states stored so far anew and forgets what was remembered
(search._stop_ordering_twins).

`Limits(step_memo="verify")` computes every step anyway and records each
remembered result that differs from the computed one; tests/test_stepmemo.py
runs it over every example and generated programs, and shows each rule above
matters. `--no-step-memo` turns it off.
"""

from __future__ import annotations

from gcheck.model import memo
from gcheck.model import values as V
from gcheck.model.canon import _goroutine_refs, _order as canonical_order, _refs
from gcheck.model.exec import WAITS_A_STEP
from gcheck.model.semantics import TIMER
from gcheck.model.state import State
from gcheck.model.symmetry import order as symmetric_order

# Operations whose step reads nothing but its actors and the heap (semantics._SYNC).
_OPS = frozenset({"send", "recv", "select", "close", "lock", "unlock", "trylock", "rlock",
                  "runlock", "wlock", "wlock2", "wunlock", "wg.add", "wg.wait", "wg.wait2",
                  "once.do", "cond.wait", "cond.wake", "cond.signal", "cond.broadcast"})
_CHAN_OPS = frozenset({"send", "recv", "close"})
_MOVABLE = (V.TimerObj, V.CtxObj)  # objects canon orders by more than references
LIMIT = 200_000  # remembered results, at most (then forgotten and remembered anew)
# one table, emptied when a search starts (model/memo.py): what the search holds is
# measured with the rest (benchmarks/deep_size.py), and a finished search's table
# goes with the next
_TABLE = memo.table()


class StepMemo:
    """Remembered step results of one search, and what they saved."""

    def __init__(self, limits, verify: bool = False):
        self.limits = limits  # read live: the search may stop ordering twins
        self.table = _TABLE  # key -> _Result
        self.table.clear()
        self.verify = verify
        self.hits = 0
        self.checked = 0  # remembered results compared with computed ones, under verify
        self.mismatches: list = []  # (state, step, remembered, computed) under verify

    def key(self, s: State, st):
        """The step's key in state s, or None when its result may depend on more."""
        if st.gid == TIMER or s.pc or s.syms or s.lost_tickers or s.cut is not None:
            return None
        actors = []
        for gid in st.actors():
            g = s.goroutine(gid)
            if g is None or g.panic is not None or g.goexit or not _plain(g.pending):
                return None
            actors.append(g)
        return (st, *actors, s.heap, s.globals, s.next_gid, s.entry_done)

    def lookup(self, s: State, key) -> tuple | None:
        """(successor, events) from a remembered result, or None."""
        found = self._applied(s, key)
        if found is not None:
            self.hits += 1
        return found

    def remember(self, s: State, st, key, t: State | None, events, renumbered: bool) -> None:
        """Keep t, the computed successor of s under st, if nothing outside key shaped it."""
        ended = None if t is None or renumbered else _ended_alone(s, st, t)
        if ended is None:
            return
        if len(self.table) >= LIMIT:
            self.table.clear()
        self.table[key] = _Result(s, t, st.actors(), ended, tuple(events))

    def check(self, s: State, key, t: State | None, events) -> None:
        """Under verify: does the remembered result agree with the computed one?"""
        found = self._applied(s, key)
        if found is None:
            return
        self.checked += 1
        u, ev = found
        if t is None or u != t or u.walk != t.walk or u.trail != t.trail or ev != tuple(events):
            self.mismatches.append((s, key[0], found, (t, tuple(events))))

    def forget(self) -> None:
        """Drop every remembered result (the heap numbering they carry no longer holds)."""
        self.table.clear()

    def _applied(self, s: State, key) -> tuple | None:
        found = self.table.get(key)
        if found is None:
            return None
        u = found.apply(s, self.limits.twins)
        return None if u is None else (u, found.events)


class _Result:
    """A step's effect: its actors' new goroutines (those that ended left out) and
    the new heap, in the numbering of the state it was computed in."""

    __slots__ = ("actors", "ended", "heap", "events", "moves")

    def __init__(self, s: State, t: State, actors: tuple, ended: frozenset, events: tuple):
        self.actors = {g.gid: g for g in t.gs if g.gid in actors}
        self.ended = ended
        self.heap = t.heap
        self.events = events
        # Did a reference move? Then whether the numbering stays as it is depends on
        # who else references what, and each state it is applied to is walked again.
        self.moves = bool(self.ended) or any(
            _goroutine_refs(g) != _goroutine_refs(s.goroutine(gid)) for gid, g in self.actors.items()) or any(
            old is not new and (isinstance(old, _MOVABLE) or isinstance(new, _MOVABLE) or _refs(old) != _refs(new))
            for old, new in zip(s.heap, t.heap))

    def apply(self, s: State, twins: bool) -> State | None:
        """The successor of s (None: it would be numbered otherwise)."""
        by_gid = self.actors
        ended = self.ended
        gs = tuple(by_gid.get(g.gid, g) for g in s.gs if g.gid not in ended)
        walk = _walk_without(s.walk, ended)
        if twins and walk and tuple(g.gid for g in symmetric_order(gs, True)) != walk:
            return None  # an actor took another place among its twins: the heap is numbered anew
        if self.moves:
            if walk:
                at = {g.gid: g for g in gs}
                roots = [at[gid] for gid in walk]
            else:
                roots = gs
            numbered = canonical_order(self.heap, s.globals, roots)
            if len(numbered) != len(self.heap) or any(i != k for i, k in enumerate(numbered)):
                return None
        return State(gs, self.heap, s.globals, s.next_gid, s.entry_done, None, False, None, (), (), (),
                     s.trail, walk)


def _plain(p) -> bool:
    if p is None or p.op not in _OPS:
        return False
    if p.op in _CHAN_OPS:
        return p.args[0] is None or type(p.args[0]) is V.Ref
    if p.op == "select":
        return not p.args[1] and all(ch is None or type(ch) is V.Ref for _, ch, _ in p.args[0])
    return True


def _ended_alone(s: State, st, t: State) -> frozenset | None:
    """The actors that ended in t, the successor of s under st, when nothing but
    st's actors and the heap shaped t; None otherwise."""
    if (t.crash is not None or t.exited or t.cut is not None or t.pc or t.syms or t.lost_tickers
            or t.next_gid != s.next_gid or t.entry_done != s.entry_done or t.globals != s.globals
            or t.trail != s.trail or len(t.heap) != len(s.heap)):
        return None
    actors = st.actors()
    new = {g.gid: g for g in t.gs}
    ended = []
    for old in s.gs:
        g = new.pop(old.gid, None)
        if old.gid not in actors:
            if g is None or (g is not old and g != old):
                return None  # another goroutine changed
        elif g is None:
            ended.append(old.gid)  # (the entry's end sets entry_done, compared above)
        elif g.pending is None or g.pending.op in WAITS_A_STEP or g.panic is not None:
            return None
    if new:
        return None  # a goroutine started
    ended = frozenset(ended)
    return ended if t.walk == _walk_without(s.walk, ended) else None


def _walk_without(walk: tuple, ended) -> tuple:
    """The order the heap is numbered in once goroutines ended (model/world.py
    records none for a single goroutine)."""
    if not ended or not walk:
        return walk
    walk = tuple(gid for gid in walk if gid not in ended)
    return walk if len(walk) > 1 else ()
