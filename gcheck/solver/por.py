"""Partial-order reduction: persistent sets from what goroutines can reach.

A goroutine can only ever operate on heap objects it can reach (from its
frames, its pending operation, or the globals), or on objects another
goroutine hands it — which takes an operation on a channel both can reach.
So a set P of goroutines is persistent in a state when the objects that P's
next operations touch are reachable by no goroutine (or timer) outside P and
not from a global: nothing outside P can do anything dependent with P's next
steps, and exploring only P's steps loses no deadlock, no blocked goroutine
and no panic. P grows from one goroutine by adding every actor that can reach
a touched object; the smallest P found is used.

Sleeps, branches on unknown values and other purely local operations touch
nothing, so a goroutine at one of them is a persistent set on its own. The
cycle proviso (a reduced state whose successors close a cycle is expanded
fully) lives in search.py.
"""

from __future__ import annotations

from gcheck.model import semantics as M
from gcheck.model import values as V
from gcheck.model.canon import _refs, _walk

EVERYTHING = -1  # a touch set containing this conflicts with every actor

_LOCAL_OPS = {"sleep", "yield", "choice", "concretize"}


def _ids(v) -> set:
    out: set = set()
    _walk(v, out.add)
    return out


def _touches(state, p) -> set:
    """Heap objects the pending operation p reads or changes."""
    op = p.op
    if op == "sleep" and any(g.pending is not None and g.pending.op in ("send", "recv", "select")
                             and not g.pending.parked for g in state.gs):
        return {EVERYTHING}  # a completed sleep parks the goroutines waiting on channels
    if op in _LOCAL_OPS:
        return set()
    if op in ("send", "recv", "close"):
        ch = p.args[0]
        return {ch.id} if type(ch) is V.Ref else ({EVERYTHING} if isinstance(ch, V.Unknown) else set())
    if op == "select":
        out = set()
        for _, ch, _ in p.args[0]:
            if type(ch) is V.Ref:
                out.add(ch.id)
            elif isinstance(ch, V.Unknown):
                out.add(EVERYTHING)
        return out
    if op in ("lock", "unlock", "rlock", "runlock", "wlock", "wlock2", "wunlock", "trylock",
              "wg.add", "wg.wait", "wg.wait2", "wg.go", "once.do", "shared", "observe"):
        return {p.args[0].id}
    if op in ("cond.wait", "cond.wake", "cond.signal", "cond.broadcast"):
        cond = state.heap[p.args[0].id]
        return {p.args[0].id} | _ids(cond.lock)
    if op in ("timer.stop", "timer.reset"):
        t = p.args[0].id
        return {t, state.heap[t].chan}
    return {EVERYTHING}  # cancel, exit, t.Run, anything new: no reduction


def _reach(heap, roots: set) -> set:
    seen = set(roots)
    stack = list(roots)
    while stack:
        i = stack.pop()
        for j in _refs(heap[i]):
            if j not in seen:
                seen.add(j)
                stack.append(j)
    return seen


def _plain(timer) -> bool:
    """A timer that only sends on its channel (no AfterFunc, no context deadline)."""
    f = timer.func
    return f is None or (type(f) is V.BuiltinFunc and f.name in ("tick.keep", "tick.gc"))


def reduce(prog, state, steps: list) -> list:
    """A persistent subset of the enabled steps (all of them when none is smaller)."""
    if len(steps) <= 1:
        return steps
    heap = state.heap
    actors = {}  # actor key -> (touches of its next op, objects it can reach)
    for g in state.gs:
        if g.pending is None:
            continue
        roots = set(_ids(g.pending.args))
        for f in g.frames:
            roots.update(_refs(f))
        actors[g.gid] = (_touches(state, g.pending), None, roots)
    for i, obj in enumerate(heap):
        if type(obj) is V.TimerObj and obj.armed:
            t = {i, obj.chan} if _plain(obj) else {EVERYTHING}
            actors[("timer", i)] = (t, None, {i, obj.chan})
    if any(EVERYTHING in t for t, _, _ in actors.values()):
        return steps  # someone's next step (cancel, os.Exit) may affect everybody
    glob = _reach(heap, _ids(state.globals))
    reach = {k: _reach(heap, roots) for k, (_, _, roots) in actors.items()}
    # A select with a default takes it only while no partner is parked on its
    # channels: any step that ends with a goroutine parking there (its local
    # code runs on to a new operation) disables that default.
    pollers = {g.gid: actors[g.gid][0] for g in state.gs
               if g.pending is not None and g.pending.op == "select" and g.pending.args[1]}

    def key_of(st):
        return ("timer", st.target) if st.gid == M.TIMER else st.gid

    best = None
    for start in sorted({key_of(st) for st in steps}, key=repr):
        members = {start}
        touched = set(actors[start][0])
        grown = True
        ok = True
        while grown and ok:
            grown = False
            if EVERYTHING in touched or touched & glob:
                ok = False
                break
            for k in actors:
                if k not in members and touched & reach[k]:
                    members.add(k)
                    touched |= actors[k][0]
                    grown = True
            for q, chans in pollers.items():
                if q not in members and any(chans & reach[m] for m in members):
                    members.add(q)
                    touched |= chans
                    grown = True
        if not ok:
            continue
        subset = [st for st in steps if key_of(st) in members and (not st.partner or st.partner in members)]
        if subset and (best is None or len(subset) < len(best)):
            best = subset
            if len(best) == 1:
                break
    return best if best is not None else steps
