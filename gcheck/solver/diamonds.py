"""Diamond completion: a successor read off the graph instead of computed.

State i was found from its BFS parent p by step u. If step t, enabled in i,
was also taken from p, to j1, and t and u commute at p (neither can touch
what the other's visible operation touches: `por.commute`), then

    i·t = p·u·t = p·t·u = j1·u

so when j1 has been expanded and has its u-edge, to j2, the edge i -t-> j2
is added without running t, freezing, canonicalising and keying its result:
about three quarters of a transition's time, saved on most edges of programs
whose goroutines mostly work apart (benchmarks/PROFILE.md, fourth session).

This is not a reduction. The graph is the one computing every step would
give, edge for edge and in the same order (`Verifier` checks exactly that,
and the tests run it over every example and the benchmark families), so
every check, trace and figure is unchanged; `--no-diamonds` turns it off.

Equality of states needs more than the persistent-set argument's "same
bugs": the rule is applied only when

- neither step starts a goroutine (the id counter would differ) — finishing
  one is fine, except beside a step that runs the entry goroutine to its
  end: main's return is a step of its own only while another goroutine or
  an AfterFunc timer may act (model/exec.py), so that step does not commute
  with one that ends a goroutine or stops or resets a timer;
- the path condition and the symbols made are the same in p, i and j1
  (neither step branched on a symbolic value), and so is whether the entry
  has returned (other goroutines' panics mean something else after it);
- no state of the diamond records tickers lost by its last step (a field
  that depends on which step came last);
- neither edge p -t-> j1 nor j1 -u-> j2 joined a state stored under other
  goroutine ids (symmetry's relabelling): then the ids of i·t are j2's.

Commutation itself rests on the same assumption as the persistent sets: a
data-race-free program, whose local code between visible operations touches
nothing another goroutine touches without synchronising on a location that
is in some footprint.
"""

from __future__ import annotations

from gcheck.model.canon import canonicalize
from gcheck.solver.por import commute

ENTRY = 1  # the entry goroutine's id (model/exec.py)


class Diamonds:
    """Completes diamonds for one search. Every edge into a state not yet
    expanded is remembered until it is (at most MAX_SOURCES per state): each is
    a side of a diamond the state may close. The frontier's edges only, so the
    memory goes with the frontier, not the graph."""

    def __init__(self, g):
        self.g = g
        self.incoming: dict = {}  # state not expanded yet -> [(p, k)]: succ[p][k] leads to it
        self.sources: list = []  # the incoming edges of the state being expanded, as (p, u)
        self._edges: dict = {}  # expanded state -> {step: (k, j)}, for the states asked about lately
        self._gids: dict = {}  # state -> the set of its goroutine ids, likewise

    def arrived(self, i: int, k: int, j: int) -> None:
        """succ[i][k] leads to j; remember it while j waits to be expanded."""
        if j > i:
            seen = self.incoming.setdefault(j, [])
            if len(seen) < MAX_SOURCES:
                seen.append((i, k))

    def begin(self, i: int) -> None:
        relabel = self.g.relabel
        succ = self.g.succ
        self.sources = [(p, succ[p][k][1]) for p, k in self.incoming.pop(i, ()) if (p, k) not in relabel]
        if len(self._edges) > CACHE:
            self._edges.clear()
            self._gids.clear()

    def complete(self, i: int, t) -> int | None:
        """The state i·t is, when a diamond shows it; None: compute the step."""
        for p, u in self.sources:
            j = self._close(p, u, i, t)
            if j is not None:
                return j
        return None

    def _close(self, p: int, u, i: int, t) -> int | None:
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
        if states[j2].lost_tickers or not self._commuting(p, i, j1, t, u):
            return None
        return j2

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

    def _commuting(self, p: int, i: int, j1: int, t, u) -> bool:
        """Do t and u commute at state p so exactly that both orders give one state (i = p·u, j1 = p·t)?"""
        states = self.g.states
        sp, si, s1 = states[p], states[i], states[j1]
        if not (_same_context(sp, si) and _same_context(sp, s1)):
            return False
        gp, gi, g1 = self._gids_of(p), self._gids_of(i), self._gids_of(j1)
        if not (gi <= gp and g1 <= gp):
            return False  # a goroutine started: the id counter depends on the order
        if ((ENTRY in t.actors() and _entry_ends(s1)) or (ENTRY in u.actors() and _entry_ends(si))) and (
                gi != gp or g1 != gp or _timer_op(sp, t) or _timer_op(sp, u)):
            return False  # whether main's end is a step of its own depends on who else lives
        return commute(sp, t, u)


MAX_SOURCES = 8  # incoming edges remembered per state
CACHE = 4096  # states whose edges and goroutine ids are kept at hand


def _same_context(a, b) -> bool:
    return (a.pc == b.pc and a.syms == b.syms and a.entry_done == b.entry_done
            and not b.lost_tickers and not a.lost_tickers
            and b.crash is None and not b.exited and b.cut is None)


def _entry_ends(after) -> bool:
    """Did the step that led here run the entry goroutine to its end?"""
    g = after.goroutine(ENTRY)
    return g is None or (g.pending is not None and g.pending.op == "return")


def _timer_op(state, step) -> bool:
    """A timer firing, or a step of a goroutine at Stop or Reset."""
    gs = [state.goroutine(gid) for gid in step.actors()]
    return any(x is None or x.pending.op.startswith("timer.") for x in gs)


def same_state(a, b) -> bool:
    """Are two stored states one program state, however their heaps were numbered?

    Stored states are numbered in the order symmetry's twin ordering walks the
    goroutines, and the search stops ordering twins when it pays nothing
    (search.TWINS_TRIAL): the same state found before and after that moment is
    stored twice, numbered two ways. Numbering both again in gid order tells."""
    if a == b:
        return True
    if (a.next_gid, a.entry_done, a.crash, a.exited, a.cut, a.lost_tickers) != (
            b.next_gid, b.entry_done, b.crash, b.exited, b.cut, b.lost_tickers):
        return False
    return _by_gid(a) == _by_gid(b)


def _by_gid(s) -> tuple:
    heap, globals_, gs, pc, syms, _, _ = canonicalize(list(s.heap), s.globals, list(s.gs), s.pc, s.syms)
    return heap, globals_, gs, pc, syms
