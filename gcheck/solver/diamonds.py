"""Diamond completion: a successor read off the graph instead of computed.

State i was reached from p by step u (p is one of the first two states
whose edges into i were found, its BFS parent first). If step t, enabled in i, was
also taken from p, to j1, and t and u commute at p (their actors differ and
their visible operations touch no common location: `por.commute`), then

    i·t = p·u·t = p·t·u = j1·u

so when j1 has been expanded and has its u-edge, to j2, the edge i -t-> j2
is added without running t, freezing, canonicalising and keying its result.
Of the two closing edges of a diamond the first is computed (the far corner
is not known yet), the second is read off; on programs whose goroutines
mostly work apart that is most edges (prodcons N=8 without reductions: 73%).

This saves what sleep sets save, the transitions that only reach again a
state an independent step already led to, but keeps the edges: a sleep set
drops them, and the leak analysis is decided on the cycles of the graph.
It is not a reduction. The graph is the one computing every step gives,
edge for edge and in the same order. `Limits(diamonds="verify")` computes
every step anyway and records each read-off edge that leads elsewhere;
tests/test_diamonds.py runs it over every example and generated programs.
`--no-diamonds` turns it off.

State equality needs more than the persistent-set argument's "same bugs":
the rule is applied only when

- neither step starts a goroutine (the id counter would differ) — finishing
  one is fine, except beside a step that runs a goroutine to main's return
  or to a death by panic: those are steps of their own only while another
  goroutine or an AfterFunc timer may act (model/exec.py: `_finish`), so
  such a step does not commute with one that ends a goroutine, stops,
  resets or arms a timer (the difftest generator's programs found this);
- the path condition and the symbols made are the same in p, i and j1
  (neither step branched on a symbolic value), and so is whether the entry
  has returned (other goroutines' panics mean something else after it);
- no state of the diamond records tickers lost by its last step (a field
  that depends on which step came last);
- none of the edges p -u-> i, p -t-> j1, j1 -u-> j2 joined a state stored
  under other goroutine ids (symmetry's relabelling): then the ids of i·t
  are j2's.

Commutation itself rests on the same assumption as the persistent sets: a
data-race-free program, whose local code between visible operations
touches nothing another goroutine touches without synchronising on a
location in some footprint (reading a channel's length is a visible
operation of its own for that reason).
"""

from __future__ import annotations

from gcheck.model.exec import WAITS_A_STEP, acts_alone
from gcheck.solver.por import commute


class Diamonds:
    """Completes diamonds for one search. Every edge into a state not yet
    expanded is remembered until it is (at most MAX_SOURCES per state): each is
    a side of a diamond the state may close. The frontier's edges only, so the
    memory goes with the frontier, not the graph."""

    def __init__(self, g):
        self.g = g
        self.incoming: dict = {}  # state not expanded yet -> [(p, k)]: succ[p][k] leads to it
        self.sources: list = []  # (p, u, u ran a goroutine to an end that waits, u ended none) into the state expanded
        self._edges: dict = {}  # expanded state -> {step: (k, j)}, for the states asked about lately
        self._gids: dict = {}  # state -> the set of its goroutine ids, likewise

    def arrived(self, i: int, k: int, j: int) -> None:
        """succ[i][k] leads to j; remember it while j waits to be expanded."""
        if j > i:
            seen = self.incoming.setdefault(j, [])
            if len(seen) < MAX_SOURCES:
                seen.append((i, k))

    def begin(self, i: int) -> None:
        """State i is about to be expanded: keep the incoming edges p -u-> i that
        can be a side of a diamond (i keeps p's context, u started no goroutine)."""
        g = self.g
        if len(self._edges) > CACHE:
            self._edges.clear()
            self._gids.clear()
        si = g.states[i]
        gi = self._gids_of(i)
        self.sources = []
        for p, k in self.incoming.pop(i, ()):
            if (p, k) in g.relabel:
                continue
            gp = self._gids_of(p)
            if _same_context(g.states[p], si) and gi <= gp:
                u = g.succ.edge(p, k)[1]
                self.sources.append((p, u, _ends_aside(si, u), gi == gp))

    def complete(self, i: int, t) -> int | None:
        """The state i·t is, when a diamond shows it; None: compute the step."""
        for p, u, u_ends, u_keeps in self.sources:
            j = self._close(p, u, u_ends, u_keeps, i, t)
            if j is not None:
                return j
        return None

    def _close(self, p: int, u, u_ends: bool, u_keeps: bool, i: int, t) -> int | None:
        g = self.g
        e = self._edges_of(p).get(t)
        if e is None or not g.expanded[e[1]] or (p, e[0]) in g.relabel:
            return None  # (j1 not expanded yet: the other side of this diamond will be closed from j1)
        j1 = e[1]
        e = self._edges_of(j1).get(u)
        if e is None or (j1, e[0]) in g.relabel:
            return None
        j2 = e[1]
        states = g.states
        if states[j2].lost_tickers:
            return None
        sp, s1 = states[p], states[j1]
        if not _same_context(sp, s1):
            return None
        gp, g1 = self._gids_of(p), self._gids_of(j1)
        if not g1 <= gp:
            return None  # a goroutine started: the id counter depends on the order
        if (u_ends or _ends_aside(s1, t)) and (
                not u_keeps or g1 != gp or _timer_op(sp, t) or _timer_op(sp, u)
                or not _func_timers(sp) == _func_timers(states[i]) == _func_timers(s1)):
            return None  # whether an end is a step of its own depends on who else may act
        return j2 if commute(sp, t, u) else None

    def _edges_of(self, p: int) -> dict:
        d = self._edges.get(p)
        if d is None:
            d = self._edges[p] = {st: (k, j) for k, (j, st) in enumerate(self.g.succ[p])} if self.g.expanded[p] else {}
        return d

    def _gids_of(self, i: int) -> set:
        d = self._gids.get(i)
        if d is None:
            d = self._gids[i] = {x.gid for x in self.g.states[i].gs}
        return d


MAX_SOURCES = 2  # incoming edges remembered per state (each is tried for every step: benchmarks/PROFILE.md)
CACHE = 4096  # states whose edges and goroutine ids are kept at hand


def _same_context(a, b) -> bool:
    return (a.pc == b.pc and a.syms == b.syms and a.entry_done == b.entry_done
            and not b.lost_tickers and not a.lost_tickers
            and b.crash is None and not b.exited and b.cut is None)


def _ends_aside(after, step) -> bool:
    """Did step run one of its goroutines to an end that waits a step (main's
    return, a death by panic), as it does only while others may act?"""
    for gid in step.actors():
        g = after.goroutine(gid)
        if g is not None and g.pending is not None and g.pending.op in WAITS_A_STEP:
            return True
    return False


def _func_timers(state) -> int:
    """Heap objects that may act as goroutines do (model/exec.py decides by them
    whether an end is a step of its own)."""
    return sum(1 for o in state.heap if acts_alone(o))


def _timer_op(state, step) -> bool:
    """A timer firing, or a step of a goroutine at Stop or Reset."""
    gs = [state.goroutine(gid) for gid in step.actors()]
    return any(x is None or x.pending.op.startswith("timer.") for x in gs)
